"""Training: upcoming sessions with free places, registration, and the tutor's own record."""

import frappe
from babel.dates import format_date
from frappe import _
from frappe.utils import get_datetime

from ciac_tutoring.portal.guard import current_tutor
from ciac_tutoring.portal.pages import prepare_page, redirect, show_refusal
from ciac_tutoring.portal.training import change_registration, get_training

no_cache = 1

# Translated when shown (the rows are in translations/it.csv).
DONE_MESSAGES = {
	"register": "You are registered. See you there!",
	"unregister": "Your registration has been cancelled.",
}


def get_context(context):
	prepare_page(context, _("Training"))
	current_tutor()
	if context.is_post:
		handle_action(context)
	context.update(get_training())
	for session in context.upcoming:
		session.when = session_time(session.starts_on, session.ends_on, context.lang)
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
	action = frappe.form_dict.get("action")
	if action not in DONE_MESSAGES:
		frappe.throw(_("Unknown action."))
	try:
		change_registration(frappe.form_dict.get("session") or "", register=action == "register")
	except frappe.ValidationError as refusal:
		show_refusal(context, refusal)
		return
	redirect("/training?done=" + action)
