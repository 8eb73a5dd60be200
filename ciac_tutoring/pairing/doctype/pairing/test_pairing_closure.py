# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt
"""Closing a pairing: its outcome is recorded, and the tutor moves on to phase 4 or Concluded."""

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.pairing.doctype.pairing.pairing import ClosureError
from ciac_tutoring.pairing.doctype.pairing.test_pairing import close, refetch
from ciac_tutoring.tests.factory import make_pairing, make_user
from ciac_tutoring.tests.test_workflow import MANAGER, active_pairing, tutor_at


def started_pairing():
	return make_pairing(status="Active", start_date=add_days(today(), -60))


def assert_nothing_saved(pairing, tutor_phase=None, status="Active"):
	stored = frappe.db.get_value(
		"Pairing", pairing.name, ["status", "closure_date", "closure_initiated_by"], as_dict=True
	)
	assert (stored.status, stored.closure_date, stored.closure_initiated_by or None) == (status, None, None)
	assert not frappe.db.get_all(
		"Pairing Goal", {"parent": pairing.name, "final_progress": (">", 0)}, pluck="name"
	)
	if tutor_phase:
		assert frappe.db.get_value("Tutor", pairing.tutor, "workflow_state") == tutor_phase


@pytest.mark.parametrize(
	"values, message",
	[
		({"closure_initiated_by": None}, "who initiated the closure"),
		({"closing_interview_date": None}, "the closing interview date"),
		({"final_progress": 0}, "the final rating of the goals"),
		({"closing_interview_date": add_days(today(), 1)}, "closing interview date cannot be in the future"),
		({"closing_interview_date": add_days(today(), -90)}, "cannot be before the start date"),
		({"final_progress": 6}, "between 1 and 5"),
	],
)
def test_each_missing_or_wrong_outcome_is_refused_and_nothing_is_saved(values, message):
	pairing = started_pairing()
	with pytest.raises(frappe.ValidationError, match=message):
		close(refetch(pairing), **values)
	assert_nothing_saved(pairing)


def test_the_refusal_lists_everything_missing_at_once():
	pairing = started_pairing()
	with pytest.raises(ClosureError) as refused:
		close(refetch(pairing), closure_initiated_by=None, closing_interview_date=None, final_progress=0)
	message = str(refused.value)
	assert "who initiated the closure" in message and "closing interview date" in message
	goal_names = [row.goal for row in pairing.goals]
	assert all(goal in message for goal in goal_names)


def test_a_started_pairing_closes_with_its_outcome():
	pairing = close(refetch(started_pairing()), final_progress=4, closing_interview_notes="Going well")
	stored = frappe.get_doc("Pairing", pairing.name)
	assert stored.status == "Closed" and stored.closure_initiated_by == "Beneficiary"
	assert [row.final_progress for row in stored.goals] == [4] * 6
	assert stored.closing_interview_notes == "Going well"


def test_a_proposal_that_never_started_needs_no_interview_nor_ratings():
	pairing = make_pairing(status="Proposed")
	with pytest.raises(ClosureError, match="who initiated"):
		close(refetch(pairing), closure_initiated_by=None)
	close(refetch(pairing), closing_interview_date=None, final_progress=0)
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Closed"


def test_an_already_closed_pairing_can_be_edited_without_asking_again():
	pairing = close(refetch(started_pairing()))
	pairing = refetch(pairing)
	pairing.notes = "A follow-up call in a month"
	pairing.save()
	assert frappe.db.get_value("Pairing", pairing.name, "notes") == "A follow-up call in a month"


def phases(tutor) -> list[tuple[str, str]]:
	return [(row.from_phase, row.to_phase) for row in frappe.get_doc("Tutor", tutor.name).phase_history]


def test_a_tutor_not_available_again_is_concluded():
	tutor = tutor_at(gates.MONITORING)
	close(frappe.get_doc("Pairing", active_pairing(tutor)), tutor_available_again=0)
	assert frappe.db.get_value("Tutor", tutor.name, "workflow_state") == gates.CONCLUDED
	assert phases(tutor)[-1] == (gates.MONITORING, gates.CONCLUDED)


def test_a_tutor_available_again_goes_back_to_presentation():
	tutor = tutor_at(gates.TUTORING_STARTED)
	close(frappe.get_doc("Pairing", active_pairing(tutor)), tutor_available_again=1)
	assert frappe.db.get_value("Tutor", tutor.name, "workflow_state") == gates.PRESENTATION
	assert phases(tutor)[-2:] == [
		(gates.TUTORING_STARTED, gates.CONCLUDED),
		(gates.CONCLUDED, gates.PRESENTATION),
	]


def test_a_tutor_with_another_open_pairing_stays_where_it_is():
	tutor = tutor_at(gates.TUTORING_STARTED)
	frappe.db.set_value("Tutor", tutor.name, "capacity", 2)
	make_pairing(tutor=tutor.name, status="Active")
	close(frappe.get_doc("Pairing", active_pairing(tutor)), tutor_available_again=0)
	assert frappe.db.get_value("Tutor", tutor.name, "workflow_state") == gates.TUTORING_STARTED


def test_a_user_who_may_not_move_the_tutor_cannot_close_its_last_pairing():
	tutor = tutor_at(gates.MONITORING)
	pairing = frappe.get_doc("Pairing", active_pairing(tutor))
	frappe.set_user(
		make_user(roles=(MANAGER,)).name
	)  # managers without the coordinator's role take no phase action
	try:
		with pytest.raises(ClosureError, match="Conclude"):
			close(pairing)
	finally:
		frappe.set_user("Administrator")
	assert_nothing_saved(pairing, tutor_phase=gates.MONITORING)
