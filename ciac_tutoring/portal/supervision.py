"""Group supervision on the tutor's portal (shown on /training): the meetings a tutor is invited to,
with Register and Cancel, the .ics of each, and the tutor's private calendar address. Tutors hold no
DocPerm on Supervision Meeting nor Calendar Feed (docs/permissions.md): every method is `tutor_only`
and reads or writes the caller's own rows only."""

import frappe
from frappe.utils import now_datetime

from ciac_tutoring.portal.guard import current_tutor, tutor_only
from ciac_tutoring.portal.http import refuse_if_over_page_limit
from ciac_tutoring.supervision import invitations
from ciac_tutoring.supervision.calendar import event_ics_url
from ciac_tutoring.supervision.doctype.calendar_feed.calendar_feed import get_or_create_feed


@tutor_only
def get_supervision() -> dict:
	"""The Planned meetings to come that list the tutor, and their calendar's address."""
	tutor = current_tutor().name
	meetings = frappe.db.sql(
		"""
		SELECT m.name, m.topic, m.starts_on, m.ends_on, m.location, m.online_link, m.description,
			a.registered
		FROM `tabSupervision Meeting` m
		JOIN `tabSupervision Attendee` a ON a.parent = m.name AND a.parenttype = 'Supervision Meeting'
			AND a.parentfield = 'attendees' AND a.tutor = %(tutor)s
		WHERE m.status = 'Planned' AND m.starts_on > %(now)s
		ORDER BY m.starts_on
		""",
		{"tutor": tutor, "now": now_datetime()},
		as_dict=True,
	)
	for meeting in meetings:
		meeting.ics_url = event_ics_url("Supervision Meeting", meeting.name)
	return {"supervision_meetings": meetings, "calendar_url": calendar_url(tutor)}


def calendar_url(tutor: str) -> str | None:
	"""The address of the tutor's calendar, None until they ask for one (a page view writes nothing)."""
	name = frappe.db.get_value("Calendar Feed", {"tutor": tutor}, "name")
	return frappe.get_doc("Calendar Feed", name).url() if name else None


@frappe.whitelist(methods=["POST"])
@tutor_only
def register_for_supervision(meeting: str) -> None:
	"""Register the logged-in tutor for a meeting they are invited to."""
	set_registration(meeting, True)


@frappe.whitelist(methods=["POST"])
@tutor_only
def unregister_from_supervision(meeting: str) -> None:
	set_registration(meeting, False)


@tutor_only
def set_registration(meeting: str, registered: bool) -> None:
	refuse_if_over_page_limit("training")
	invitations.set_registration(meeting, current_tutor().name, registered)


@frappe.whitelist(methods=["POST"])
@tutor_only
def new_calendar_link() -> str:
	"""A secret address for the logged-in tutor's calendar; a new one when they had one (the old one
	stops working)."""
	refuse_if_over_page_limit("training")
	return get_or_create_feed(tutor=current_tutor().name, regenerate=True).url()
