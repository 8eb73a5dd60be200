"""The demo holds a held group supervision meeting with who came, and an upcoming one with the
tutors invited; loading it again adds nothing."""

import frappe

from demo import base
from demo import supervision as demo


def test_the_demo_holds_a_past_and_an_upcoming_supervision_meeting():
	base.load()
	demo.load()
	demo.load()  # idempotent
	past = frappe.get_all("Supervision Meeting", filters={"topic": demo.PAST_TOPIC}, pluck="name")
	upcoming = frappe.get_all("Supervision Meeting", filters={"topic": demo.UPCOMING_TOPIC}, pluck="name")
	assert len(past) == len(upcoming) == 1

	held = frappe.get_doc("Supervision Meeting", past[0])
	assert held.status == "Held"
	present = [row.tutor for row in held.attendees if row.present]
	assert present and len(present) < len(held.attendees)
	day = held.starts_on.date()
	pairings = frappe.get_all(
		"Pairing", filters={"tutor": ["in", present], "status": "Active"}, fields=["last_monitoring"]
	)
	assert pairings and all(p.last_monitoring and p.last_monitoring >= day for p in pairings)

	planned = frappe.get_doc("Supervision Meeting", upcoming[0])
	assert planned.status == "Planned"
	assert all(row.invited_on for row in planned.attendees)
	assert any(row.registered for row in planned.attendees)
	assert frappe.db.count("Tutoring Reminder Log", {"reference_name": planned.name}) == len(
		[row for row in planned.attendees if frappe.db.get_value("Tutor", row.tutor, "email")]
	)
