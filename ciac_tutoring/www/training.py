"""Training: upcoming sessions with free places, registration, and the tutor's own record."""

import frappe
from babel.dates import format_date
from frappe import _
from frappe.utils import get_datetime

from ciac_tutoring.api import portal
from ciac_tutoring.supervision import portal as supervision_portal
from ciac_tutoring.supervision.calendar import event_ics_url

no_cache = 1

ACTIONS = {
	"register": portal.register_tutor,
	"unregister": portal.unregister_tutor,
	"register_supervision": lambda meeting: supervision_portal.set_registration(meeting, True),
	"unregister_supervision": lambda meeting: supervision_portal.set_registration(meeting, False),
	"new_calendar_link": lambda _name: supervision_portal.new_calendar_link(),
}
# Translated when shown (the rows are in translations/it.csv).
DONE_MESSAGES = {
	"register": "You are registered. See you there!",
	"unregister": "Your registration has been cancelled.",
	"register_supervision": "You are registered. See you there!",
	"unregister_supervision": "Your registration has been cancelled.",
	"new_calendar_link": "Your calendar address is ready: add it to your calendar application.",
}


def get_context(context):
	portal.prepare_page(context, _("Training"))
	tutor = portal.require_tutor()
	if context.is_post:
		handle_action(context)
	context.update(portal.get_training())
	context.update(supervision_portal.get_supervision(tutor.name))
	for session in context.upcoming:
		session.when = session_time(session.starts_on, session.ends_on, context.lang)
		session.ics_url = event_ics_url("Training Session", session.name)
	for meeting in context.supervision_meetings:
		meeting.when = session_time(meeting.starts_on, meeting.ends_on, context.lang)
	done = frappe.form_dict.get("done")
	context.done_message = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None


def session_time(starts_on, ends_on, lang: str) -> str:
	"""When a session is, as people say it: "lunedì 7 dicembre 2026, 18:00–20:00" (the day once
	when it ends the same day)."""
	starts_on = get_datetime(starts_on)
	day = format_date(starts_on, format="full", locale=lang)
	text = f"{day}, {starts_on:%H:%M}"
	if ends_on:
		ends_on = get_datetime(ends_on)
		if ends_on.date() == starts_on.date():
			text += f"\u2013{ends_on:%H:%M}"
		else:
			text += f" \u2013 {format_date(ends_on, format='full', locale=lang)}, {ends_on:%H:%M}"
	return text


def handle_action(context) -> None:
	action = ACTIONS.get(frappe.form_dict.get("action"))
	if not action:
		frappe.throw(_("Unknown action."))
	try:
		action(frappe.form_dict.get("session") or frappe.form_dict.get("meeting") or "")
	except frappe.ValidationError as refusal:
		context.form_error = portal.form_errors_from(refusal)
		return
	portal.redirect("/training?done=" + frappe.form_dict.get("action"))
