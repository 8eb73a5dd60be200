"""Expense reimbursements: the limits of Tutoring Settings on every save, self-certification,
the approval workflow and the accountant's monthly report."""

import frappe
import pytest
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, get_first_day, getdate, today

from ciac_tutoring.third_sector import expenses
from ciac_tutoring.third_sector.report.volunteer_expenses_by_month import volunteer_expenses_by_month
from ciac_tutoring.third_sector.tests.third_sector_data import tutor_with_pairing
from ciac_tutoring.tutoring.report.report_test_data import make_user
from ciac_tutoring.validation import InvalidFieldsError

CLAIM = expenses.CLAIM


def a_day_this_month(offset: int = 0) -> str:
	"""A past day of the current month (the limits count per calendar month)."""
	first = get_first_day(today())
	return str(min(add_days(first, offset), getdate(today())))


@pytest.fixture
def tutor():
	return tutor_with_pairing("claims")


def claim(tutor, amount, documentation=expenses.SELF_CERTIFICATION, expense_date=None, **values):
	return frappe.get_doc(
		{
			"doctype": CLAIM,
			"tutor": tutor.tutor,
			"pairing": tutor.pairing,
			"expense_date": expense_date or today(),
			"purpose": values.pop("purpose", "Biglietti dell'autobus per andare insieme in Questura"),
			"amount": amount,
			"documentation": documentation,
			"self_certified": 1 if documentation == expenses.SELF_CERTIFICATION else 0,
			"receipt": "/private/files/scontrino.pdf" if documentation == expenses.RECEIPT else None,
			**values,
		}
	).insert()


def set_settings(**values):
	for field, value in values.items():
		frappe.db.set_single_value("Tutoring Settings", field, value)


def test_the_defaults_are_those_of_the_law():
	settings = frappe.get_meta("Tutoring Settings")
	assert settings.get_field("expense_daily_limit").default == "10"
	assert settings.get_field("expense_monthly_limit").default == "150"
	assert settings.get_field("expense_self_certification_allowed").default == "1"


def test_a_self_certified_claim_over_the_day_limit_is_refused_and_nothing_saved(tutor):
	set_settings(expense_daily_limit=10, expense_monthly_limit=150)
	first = claim(tutor, 6)
	assert first.workflow_state == expenses.PENDING
	with pytest.raises(InvalidFieldsError, match="over the limit of .*10.* a day") as refusal:
		claim(tutor, 4.5)
	assert "amount" in refusal.value.errors
	assert frappe.get_all(CLAIM, {"tutor": tutor.tutor}, pluck="name") == [first.name]
	claim(tutor, 4)  # exactly 10 in the day: allowed


def test_a_self_certified_claim_over_the_month_limit_is_refused_and_nothing_saved(tutor):
	set_settings(expense_daily_limit=200, expense_monthly_limit=150)
	day = a_day_this_month()
	claim(tutor, 90, expense_date=day)
	claim(tutor, 60, expense_date=day)
	with pytest.raises(InvalidFieldsError, match="over the limit of .*150.* a month"):
		claim(tutor, 0.5, expense_date=day)
	assert frappe.db.count(CLAIM, {"tutor": tutor.tutor}) == 2


def test_an_edited_claim_is_checked_again_on_save(tutor):
	set_settings(expense_daily_limit=10)
	doc = claim(tutor, 8)
	doc.amount = 12
	with pytest.raises(InvalidFieldsError, match="a day"):
		doc.save()
	assert frappe.db.get_value(CLAIM, doc.name, "amount") == 8


def test_rejected_claims_do_not_count_against_the_limits(tutor):
	set_settings(expense_daily_limit=10)
	rejected = claim(tutor, 10)
	apply_workflow(rejected, "Reject")
	claim(tutor, 10)


def test_a_self_certified_claim_is_refused_when_the_settings_forbid_it(tutor):
	set_settings(expense_self_certification_allowed=0)
	with pytest.raises(InvalidFieldsError, match="not allowed") as refusal:
		claim(tutor, 5)
	assert "documentation" in refusal.value.errors
	assert frappe.db.count(CLAIM, {"tutor": tutor.tutor}) == 0
	claim(tutor, 45, documentation=expenses.RECEIPT)  # a receipt is always accepted


def test_receipts_are_limited_only_when_the_settings_say_all_claims(tutor):
	set_settings(expense_daily_limit=10, expense_limits_apply_to="Self-certified claims")
	claim(tutor, 40, documentation=expenses.RECEIPT)
	claim(tutor, 10)  # self-certified ones count only among themselves
	set_settings(expense_limits_apply_to="All claims")
	with pytest.raises(InvalidFieldsError, match="a day"):
		claim(tutor, 1, documentation=expenses.RECEIPT)


@pytest.mark.parametrize(
	"values, field",
	[
		({"documentation": expenses.RECEIPT, "receipt": None}, "receipt"),
		({"self_certified": 0}, "self_certified"),
		({"expense_date": add_days(today(), 2)}, "expense_date"),
		({"amount": 0}, "amount"),
	],
)
def test_a_claim_missing_its_proof_or_out_of_time_is_refused_next_to_its_field(tutor, values, field):
	amount = values.pop("amount", 5)
	documentation = values.pop("documentation", expenses.SELF_CERTIFICATION)
	with pytest.raises(InvalidFieldsError) as refusal:
		claim(tutor, amount, documentation=documentation, **values)
	assert field in refusal.value.errors


def test_a_pairing_of_another_tutor_is_refused(tutor):
	other = tutor_with_pairing("claims-other")
	with pytest.raises(InvalidFieldsError, match="not a pairing of this tutor"):
		claim(tutor, 5, pairing=other.pairing)


def test_a_manager_approves_or_rejects_through_the_workflow_a_coordinator_cannot(tutor):
	manager = make_user("claims-manager@example.com", "Manager", roles=("CIAC Manager",))
	coordinator = make_user("claims-coordinator@example.com", "Coordinator", roles=("CIAC Coordinator",))
	first, second = claim(tutor, 5), claim(tutor, 3, documentation=expenses.RECEIPT)
	frappe.set_user(coordinator.name)
	try:
		# the coordinator is offered no transition: Frappe calls the action not valid for them
		with pytest.raises((WorkflowPermissionError, WorkflowTransitionError)):
			apply_workflow(frappe.get_doc(CLAIM, first.name), "Approve")
	finally:
		frappe.set_user("Administrator")
	frappe.set_user(manager.name)
	try:
		approved = apply_workflow(frappe.get_doc(CLAIM, first.name), "Approve")
		rejected = apply_workflow(frappe.get_doc(CLAIM, second.name), "Reject")
	finally:
		frappe.set_user("Administrator")
	assert (approved.workflow_state, approved.docstatus, approved.reviewed_by) == (
		"Approved",
		1,
		manager.name,
	)
	assert (rejected.workflow_state, rejected.docstatus) == ("Rejected", 1)
	assert approved.reviewed_on


def test_the_monthly_report_lists_the_approved_claims_of_the_month(tutor):
	set_settings(expense_daily_limit=100, expense_monthly_limit=300)
	approved = [claim(tutor, amount, expense_date=a_day_this_month()) for amount in (12.5, 20)]
	for doc in approved:
		apply_workflow(doc, "Approve")
	claim(tutor, 7, expense_date=a_day_this_month())  # pending: not for the accountant yet
	frappe.local.lang = "it"
	columns, rows, _message, _chart, summary = volunteer_expenses_by_month.execute({"month": today()})
	mine = [row for row in rows if row.tutor == tutor.tutor]
	assert sorted(row.amount for row in mine) == [12.5, 20]
	assert {row.workflow_state for row in mine} == {"Approvata"}
	assert {row.documentation for row in mine} == {"Autocertificazione"}
	assert [c["label"] for c in columns][:3] == ["Richiesta", "Data della spesa", "Tutor"]
	assert {item["label"]: item["value"] for item in summary}["Totale"] >= 32.5


def test_tutors_hold_no_docperm_on_claims():
	assert "Tutor" not in {perm.role for perm in frappe.get_meta(CLAIM).permissions}
