"""Demo step: a group supervision meeting held three weeks ago, with who came (their pairings count
it as their CIAC monitoring), and one in twelve days, the tutors invited and some registered.
Safe to run again: it adds nothing that is there already."""

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime, today

from ciac_tutoring.supervision import invitations

PAST_TOPIC = "Come va la relazione: ascoltare e farsi ascoltare"
UPCOMING_TOPIC = "Burocrazia e autonomia: fin dove accompagnare"
FACILITATOR = "coordinator@ciac.example"


def load() -> None:
	tutors = [row.name for row in invitations.invitable_tutors()]
	if not tutors:
		return
	facilitator = FACILITATOR if frappe.db.exists("User", FACILITATOR) else "Administrator"
	if not frappe.db.exists("Supervision Meeting", {"topic": PAST_TOPIC}):
		starts_on = add_to_date(getdate(add_days(today(), -21)), hours=18)
		frappe.get_doc(
			{
				"doctype": "Supervision Meeting",
				"topic": PAST_TOPIC,
				"facilitator": facilitator,
				"starts_on": starts_on,
				"ends_on": add_to_date(starts_on, hours=2),
				"location": "CIAC, via Cavestro 14, Parma",
				"description": "Un'ora per raccontare, un'ora per confrontarsi.",
				"attendees": [
					{
						"tutor": tutor,
						"invited_on": add_to_date(starts_on, days=-14),
						"registered": 1 if i % 4 != 3 else 0,
						"registered_on": add_to_date(starts_on, days=-10) if i % 4 != 3 else None,
						# most came; one registered but did not, one did not register
						"present": 1 if i % 4 in (0, 1) else 0,
					}
					for i, tutor in enumerate(tutors)
				],
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Supervision Meeting", {"topic": UPCOMING_TOPIC}):
		starts_on = add_to_date(getdate(add_days(today(), 12)), hours=18, minutes=30)
		meeting = frappe.get_doc(
			{
				"doctype": "Supervision Meeting",
				"topic": UPCOMING_TOPIC,
				"facilitator": facilitator,
				"starts_on": starts_on,
				"ends_on": add_to_date(starts_on, hours=2),
				"location": "CIAC, via Cavestro 14, Parma",
				"online_link": "https://meet.jit.si/ciac-supervisione",
			}
		).insert(ignore_permissions=True)
		invitations.invite_tutors(meeting.name)
		meeting.reload()
		for row in meeting.attendees[::2]:
			row.registered, row.registered_on = 1, now_datetime()
		meeting.save(ignore_permissions=True)
