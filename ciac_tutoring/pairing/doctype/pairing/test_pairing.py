# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, add_months, getdate, today

from ciac_tutoring.pairing.doctype.pairing.pairing import OpenPairingExistsError, TutorCapacityError
from ciac_tutoring.tests.factory import make_pairing


def refetch(doc):
	"""A fresh copy: a document whose save was refused keeps a stale timestamp."""
	return frappe.get_doc(doc.doctype, doc.name)


def closing_outcome(pairing, reason="Project completed", final_progress=3, **values):
	"""What closing asks for: reason, who, closing interview, a final rating of each goal."""
	for row in pairing.goals:
		row.final_progress = final_progress
	return {
		"status": "Closed",
		"closure_date": today(),
		"closure_reason": reason,
		"closure_initiated_by": "Beneficiary",
		"closing_interview_date": today(),
		**values,
	}


def close(pairing, reason="Project completed", **values):
	pairing.update(closing_outcome(pairing, reason, **values))
	return pairing.save()


def test_compliance_is_derived_on_save_whatever_is_sent():
	pairing = make_pairing(
		status="Active",
		start_date=add_days(today(), -100),
		compliance_status="On track",  # sent by a request: not what is saved
		overdue_since=today(),
	)
	stored = frappe.db.get_value("Pairing", pairing.name, ["compliance_status", "overdue_since"])
	assert stored[0] == "Overdue" and getdate(stored[1]) < getdate(today())
	# the saved document holds what update_compliance stored
	assert (pairing.compliance_status, pairing.overdue_since) == stored
	pairing.compliance_status = "On track"
	pairing.save()
	assert frappe.db.get_value("Pairing", pairing.name, "compliance_status") == "Overdue"


def test_defaults_come_from_tutoring_settings():
	settings = frappe.get_doc("Tutoring Settings")
	settings.update(
		{"default_phone_contacts_per_week": 2, "default_meetings_per_month": 3, "default_project_months": 6}
	)
	settings.save()
	pairing = make_pairing(status="Active", start_date="2026-01-10")
	assert (pairing.phone_contacts_per_week, pairing.meetings_per_month) == (2, 3)
	assert getdate(pairing.planned_end_date) == getdate(add_months("2026-01-10", 6))
	# an agreed commitment typed on the pairing wins over the default
	assert make_pairing(meetings_per_month=4).meetings_per_month == 4


def test_new_pairing_gets_the_programmes_goals_in_order():
	pairing = make_pairing()
	expected = frappe.get_all(
		"Tutoring Goal", filters={"enabled": 1}, order_by="sequence asc, name asc", pluck="name"
	)
	assert [row.goal for row in pairing.goals] == expected
	assert len(expected) == 6


def test_goal_progress_is_between_0_and_5():
	pairing = make_pairing()
	pairing.goals[0].progress = 6
	with pytest.raises(frappe.ValidationError, match="progress"):
		pairing.save()


def test_activation_sets_the_start_date():
	assert str(make_pairing(status="Active").start_date) == today()


def test_dates_make_sense():
	with pytest.raises(frappe.ValidationError, match="planned end date"):
		make_pairing(start_date="2026-03-01", planned_end_date="2026-02-01")
	with pytest.raises(frappe.ValidationError, match="presentation date"):
		make_pairing(presentation_date="2026-03-01", start_date="2026-02-01")
	pairing = make_pairing(status="Active", start_date=add_days(today(), -10))
	with pytest.raises(frappe.ValidationError, match="future"):
		close(refetch(pairing), closure_date=add_days(today(), 1))
	with pytest.raises(frappe.ValidationError, match="before the pairing began"):
		close(refetch(pairing), closure_date=add_days(today(), -20))


def test_one_proposed_or_active_pairing_per_beneficiary():
	first = make_pairing(status="Proposed")
	with pytest.raises(OpenPairingExistsError, match=first.name):
		make_pairing(beneficiary=first.beneficiary, status="Active")
	with pytest.raises(OpenPairingExistsError):
		make_pairing(beneficiary=first.beneficiary, status="Proposed")
	close(first)
	assert make_pairing(beneficiary=first.beneficiary, status="Proposed")


def test_active_pairings_never_exceed_the_tutors_capacity():
	from ciac_tutoring.tests.factory import make_tutor

	tutor = make_tutor(capacity=1)
	proposal = make_pairing(tutor=tutor.name, status="Proposed")
	# a proposal holds the tutor's place (as matching counts it) and keeps it when it starts
	with pytest.raises(TutorCapacityError):
		make_pairing(tutor=tutor.name, status="Proposed")
	proposal.update({"status": "Active", "start_date": today()}).save()
	with pytest.raises(TutorCapacityError):
		make_pairing(tutor=tutor.name, status="Active")
	# closed, it gives the place back
	close(refetch(proposal))
	assert make_pairing(tutor=tutor.name, status="Proposed")


def test_closing_needs_a_date_and_a_reason():
	pairing = make_pairing(status="Active")
	with pytest.raises(frappe.ValidationError, match="closure date and the closure reason"):
		refetch(pairing).update({"status": "Closed"}).save()
	with pytest.raises(frappe.ValidationError, match="closure reason"):
		refetch(pairing).update({"status": "Closed", "closure_date": today()}).save()
	close(refetch(pairing), "Other")
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Closed"


def test_a_refused_pairing_saves_nothing():
	first = make_pairing(status="Active")
	before = frappe.db.count("Pairing")
	with pytest.raises(OpenPairingExistsError):
		make_pairing(beneficiary=first.beneficiary, status="Proposed")
	assert frappe.db.count("Pairing") == before


def test_a_form_opened_before_a_contact_was_logged_does_not_save_stale_dates():
	from ciac_tutoring.monitoring.doctype.contact_log.test_contact_log import make_contact_log

	pairing = make_pairing(status="Active", start_date=add_days(today(), -30))
	stale = frappe.get_doc("Pairing", pairing.name)
	make_contact_log(pairing=pairing.name, contact_date=add_days(today(), -1))
	stale.notes = "edited meanwhile"
	stale.save()
	assert frappe.db.get_value("Pairing", pairing.name, "last_phone_contact") == getdate(
		add_days(today(), -1)
	)
