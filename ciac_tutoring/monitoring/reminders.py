"""Who is reminded of what, and when: the daily run. Each rule is on a Tutoring Settings switch and
sends at most once per key (see Tutoring Reminder Log):

| Rule | To | Key |
| --- | --- | --- |
| The tutor's ladder (`ladder`): Tutor reminder, Tutor second reminder, Reminders unanswered | the tutor, then the coordinator, as a commitment of the tutor's stays due | <step>:<pairing>:<its earliest due date>[:<email>] |
| Pairing overdue | the pairing's coordinator (else the coordinators), when it becomes Overdue | pairing_overdue:<pairing>:<its overdue_since>:<email> |
| Needs CIAC attention | the same, when a Contact Log says so | needs_attention:<pairing>:<contact date>:<email> |
| Weekly digest (`digest`) | every coordinator | weekly_digest:<email>:<ISO week> |
| Training reminder (`training_reminders`) | every registered tutor, the day before the session | training_reminder:<session>:<tutor> |
| Supervision invitation (ciac_tutoring.supervision.invitations) | the tutors in phase 5 or 6 | supervision_invitation:<meeting>:<tutor> |

Every rule gathers its rows in a few queries and queues its emails in bulk: the number of
statements does not grow with the number of pairings.
"""

import frappe
from frappe import _
from frappe.utils import formatdate, get_url_to_form, getdate

from ciac_tutoring.monitoring import compliance, ladder
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder, queue_reminders
from ciac_tutoring.monitoring.overdue_alert_rows import insert_overdue_alerts
from ciac_tutoring.monitoring.reminder_parts import (
	get_coordinator_recipients,
	notice,
	user_recipients,
)
from ciac_tutoring.monitoring.training_reminders import send_training_reminders
from ciac_tutoring.monitoring.tutor_reminder_rows import insert_tutor_reminders
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import (
	NEEDS_ATTENTION,
	PAIRING_OVERDUE,
	REMINDERS_UNANSWERED,
	TRAINING_REMINDER,
	TUTOR_REMINDER,
	TUTOR_SECOND_REMINDER,
)

NEEDS_ATTENTION_SAVEPOINT = "ciac_needs_attention"

# --- the daily run --------------------------------------------------------------------------


def run_daily_monitoring(today=None) -> dict:
	"""Update every pairing's compliance, then send the reminders it calls for."""
	today = getdate(today or frappe.utils.today())
	settings = get_settings()
	compliance.update_compliance(today=today, settings=settings)

	sent = dict.fromkeys(
		(TUTOR_REMINDER, TUTOR_SECOND_REMINDER, REMINDERS_UNANSWERED, PAIRING_OVERDUE, TRAINING_REMINDER), 0
	)
	if settings.remind_tutors or settings.notify_coordinator_overdue:
		renderer = TemplateRenderer()
		# Thousands of rows on a first run, written by the database: the ladder's first step and
		# the coordinators' overdue alerts.
		if settings.remind_tutors:
			sent[TUTOR_REMINDER] = insert_tutor_reminders(today, settings, renderer)
		if settings.notify_coordinator_overdue:
			sent[PAIRING_OVERDUE] = insert_overdue_alerts(today, settings, renderer)
		if settings.remind_tutors:
			rows = ladder.pairings_past_the_first_step(today, settings)
			for reminder in queue_reminders(ladder.escalations(rows, today, settings, renderer)):
				sent[reminder.rule] += 1
	if settings.remind_training_attendees:
		sent[TRAINING_REMINDER] = send_training_reminders(today)
	return sent


# --- needs CIAC attention (hooks.py doc_events: Contact Log after_insert) ------------------


def notify_needs_attention(contact_log, method: str | None = None) -> None:
	"""Tell the pairing's coordinator that a contact needs CIAC attention, once per pairing and day.

	Never makes the Contact Log fail to save: a failure is undone, logged to the Error Log, and
	the contact is saved without its alert."""
	if contact_log.get("wellbeing") != "Needs CIAC attention":
		return
	frappe.db.savepoint(NEEDS_ATTENTION_SAVEPOINT)
	try:
		_record_needs_attention(contact_log)
	except Exception:
		frappe.db.rollback(save_point=NEEDS_ATTENTION_SAVEPOINT)
		frappe.log_error(
			title=_("Needs CIAC attention: the alert could not be recorded"),
			reference_doctype="Contact Log",
			reference_name=contact_log.name,
		)


def _record_needs_attention(contact_log) -> None:
	settings = get_settings()
	if not settings.notify_coordinator_overdue:
		return
	pairing = frappe.db.get_value(
		"Pairing",
		contact_log.pairing,
		["name", "tutor_name", "beneficiary_name", "coordinator"],
		as_dict=True,
	)
	if not pairing:
		return
	recipients = user_recipients([pairing.coordinator]) or get_coordinator_recipients(settings)
	renderer = TemplateRenderer()
	period = str(getdate(contact_log.contact_date))
	reminders = []
	for email, user_language in recipients:
		language = renderer.language_for(user_language)
		content = renderer.prepare(
			"needs_attention",
			language,
			{
				"pairing": pairing.name,
				"pairing_url": get_url_to_form("Pairing", pairing.name),
				"contact_log_url": get_url_to_form("Contact Log", contact_log.name),
				"tutor_name": pairing.tutor_name,
				"beneficiary_name": pairing.beneficiary_name,
				"contact_date": formatdate(contact_log.contact_date),
				"kind": _(contact_log.kind or "", language),
				"notes": contact_log.get("notes"),
				"logged_by": contact_log.get("logged_by"),
			},
		)
		reminders.append(
			Reminder(
				key=f"needs_attention:{pairing.name}:{period}:{email}",
				rule=NEEDS_ATTENTION,
				recipient=email,
				email=content,
				message=notice(
					renderer, NEEDS_ATTENTION, language, pairing.tutor_name, pairing.beneficiary_name
				),
				period=period,
				pairing=pairing.name,
				reference_doctype="Contact Log",
				reference_name=str(contact_log.name),
			)
		)
	queue_reminders(reminders)
