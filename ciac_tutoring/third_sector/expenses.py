"""Reimbursement of the volunteers' expenses (D.Lgs. 117/2017 art. 17 c. 3-4).

Only expenses actually incurred are reimbursed: documented by a receipt, or self-certified where
CIAC's governing body allows it (Tutoring Settings) and within the limits per day and per month
(10 and 150 euro by default). The limits count the tutor's other claims of the same day or month,
rejected ones left out. The Volunteer Expense Claim controller applies these rules on every save,
so a claim typed in the desk, posted by the portal, imported or sent over REST obeys the same rules.
A manager approves or rejects claims through the workflow "Volunteer Expense Approval".
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt, fmt_money, get_first_day, get_last_day, getdate, today

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

CLAIM = "Volunteer Expense Claim"
RECEIPT = "Receipt"
SELF_CERTIFICATION = "Self-certification"
WORKFLOW_NAME = "Volunteer Expense Approval"
PENDING, APPROVED, REJECTED = "Pending Approval", "Approved", "Rejected"
ALL_CLAIMS = "All claims"


def claimed_total(tutor: str, start, end, exclude: str | None, self_certified_only: bool) -> float:
	"""What the tutor claimed between two dates (both included), rejected claims left out."""
	claim = DocType(CLAIM)
	query = (
		frappe.qb.from_(claim)
		.select(Coalesce(Sum(claim.amount), 0))
		.where(claim.tutor == tutor)
		.where(claim.expense_date[getdate(start) : getdate(end)])
		.where(Coalesce(claim.workflow_state, "") != REJECTED)
		.where(claim.docstatus < 2)
	)
	if exclude:
		query = query.where(claim.name != exclude)
	if self_certified_only:
		query = query.where(claim.documentation == SELF_CERTIFICATION)
	return flt(query.run()[0][0])


def money(value) -> str:
	return fmt_money(value, currency="EUR")


def claim_errors(claim) -> dict[str, str]:
	"""The rules of a claim, field by field (empty when it may be saved)."""
	if claim.workflow_state == REJECTED:
		return {}  # refusing a rejection would keep a claim nobody pays
	settings = get_settings()
	errors = {}
	if flt(claim.amount) <= 0:
		errors["amount"] = _("Amount must be more than zero.")
	if claim.expense_date and getdate(claim.expense_date) > getdate(today()):
		errors["expense_date"] = _("Expense Date cannot be in the future: claim expenses already incurred.")
	if (
		claim.pairing
		and claim.tutor
		and frappe.db.get_value("Pairing", claim.pairing, "tutor") != claim.tutor
	):
		errors["pairing"] = _("Pairing: {0} is not a pairing of this tutor.").format(claim.pairing)
	if claim.documentation == SELF_CERTIFICATION:
		if not settings.expense_self_certification_allowed:
			errors["documentation"] = _(
				"Self-certified expenses are not allowed by CIAC: attach the receipt of the expense."
			)
		elif not claim.self_certified:
			errors["self_certified"] = _("Tick the declaration to self-certify the expense.")
	elif not claim.receipt:
		errors["receipt"] = _("Receipt: attach the receipt of the expense, or self-certify it.")
	if errors or not (claim.tutor and claim.expense_date):
		return errors
	limited = settings.expense_limits_apply_to == ALL_CLAIMS or claim.documentation == SELF_CERTIFICATION
	if limited:
		# One tutor's claims are checked one at a time: two sent at once would each see the total
		# without the other and pass the limits together.
		frappe.db.get_value("Tutor", claim.tutor, "name", for_update=True)
		errors.update(limit_errors(claim, settings))
	return errors


def limit_errors(claim, settings) -> dict[str, str]:
	self_certified_only = settings.expense_limits_apply_to != ALL_CLAIMS
	day = getdate(claim.expense_date)
	amount = flt(claim.amount)
	name = None if claim.is_new() else claim.name
	daily, monthly = flt(settings.expense_daily_limit), flt(settings.expense_monthly_limit)
	day_total = claimed_total(claim.tutor, day, day, name, self_certified_only) + amount
	if daily and day_total > daily:
		return {
			"amount": _("Amount: {0} claimed for {1} in all, over the limit of {2} a day.").format(
				money(day_total), frappe.format(day, "Date"), money(daily)
			)
		}
	month_total = claimed_total(claim.tutor, get_first_day(day), get_last_day(day), name, self_certified_only)
	month_total += amount
	if monthly and month_total > monthly:
		return {
			"amount": _("Amount: {0} claimed in the month in all, over the limit of {1} a month.").format(
				money(month_total), money(monthly)
			)
		}
	return {}
