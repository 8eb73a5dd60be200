"""Jinja helpers for the phase notifications (registered under `jinja` in hooks.py).

Frappe renders a Notification's subject, message and recipients with only the document
and `frappe.utils` in scope; these helpers give the shipped templates the few values they
need from elsewhere, so admins can still edit the texts freely in the desk.
"""

import frappe
from frappe.utils import format_date, format_datetime, now_datetime

from ciac_tutoring.permissions import is_staff
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_coordinator_recipients
from ciac_tutoring.tutoring.printing import refuse, require_tutor_notification


def outgoing_email_configured() -> bool:
	"""Whether Frappe can queue an email here: without an outgoing account it raises instead."""
	return bool(
		frappe.conf.get("mail_server")
		or frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
	)


def ciac_coordinator_emails(tutor=None) -> str:
	"""The coordinators to notify, from Tutoring Settings: users with its role, plus its address.
	Staff addresses: only in a Tutor's phase notification, or for staff."""
	require_notification_context(tutor)
	return ", ".join(sorted({email for email, _language in get_coordinator_recipients() if email}))


def ciac_presentation_date(tutor) -> str:
	"""The date of the tutor's next presentation (a Proposed pairing's), formatted, or "". `tutor` is
	the notification's document (or its name), one being notified or that the user may read."""
	tutor = require_tutor_notification(tutor)
	dates = frappe.get_all(
		"Pairing",
		filters={"tutor": tutor, "status": "Proposed", "presentation_date": ("is", "set")},
		pluck="presentation_date",
		order_by="presentation_date",
		limit=1,
	)
	return format_date(dates[0]) if dates else ""


def ciac_upcoming_trainings(tutor=None) -> list[dict]:
	"""Planned training sessions still to come: title, when and where (no attendees)."""
	require_notification_context(tutor)
	sessions = frappe.get_all(
		"Training Session",
		filters={"status": "Planned", "starts_on": (">=", now_datetime())},
		fields=["title", "starts_on", "location", "online_link"],
		order_by="starts_on",
		limit=5,
	)
	return [
		{"title": s.title, "when": format_datetime(s.starts_on), "where": s.location or s.online_link or ""}
		for s in sessions
	]


def require_notification_context(tutor=None) -> None:
	"""The helpers without a document of their own render in a Tutor's phase notification (the
	shipped templates pass `doc`), or for staff (an admin's own template without it)."""
	if tutor is not None:
		require_tutor_notification(tutor)
	elif not (frappe.flags.ciac_phase_notification or is_staff()):
		refuse()
