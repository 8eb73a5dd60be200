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
from ciac_tutoring.monitoring.reminder_parts import (
	commitment_state,
	commitments_context,
	form_urls,
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
		if settings.remind_tutors:
			# The ladder's first step, thousands of rows on a first run: written by the database.
			sent[TUTOR_REMINDER] = insert_tutor_reminders(today, settings, renderer)
		# The later steps and the coordinators' alerts concern the Overdue pairings only.
		rows = get_pairings_needing_attention(today, settings, statuses=(compliance.OVERDUE,))
		reminders = []
		if settings.remind_tutors:
			reminders += ladder.escalations(rows, today, settings, renderer)
		if settings.notify_coordinator_overdue:
			reminders += overdue_notifications(rows, settings, renderer)
		for reminder in queue_reminders(reminders):
			sent[reminder.rule] += 1
	if settings.remind_training_attendees:
		sent[TRAINING_REMINDER] = send_training_reminders(today)
	return sent


def overdue_notifications(rows, settings, renderer) -> list[Reminder]:
	"""Tell the coordinator once each time a pairing falls behind. The key holds the day it became
	Overdue (the pairing's overdue_since), not the day of the run: later runs do not repeat it, nor
	does catching up on one commitment while another is still late; a pairing that a saved record
	already stored as Overdue during the day is still reported, and one that catches up and falls
	behind again is reported again."""
	overdue = []
	for row in rows:
		if row.compliance_status != compliance.OVERDUE or not row.overdue_since:
			continue
		late = [
			(c, compliance.OVERDUE)
			for c in compliance.COMMITMENTS
			if commitment_state(row, c) == compliance.OVERDUE
		]
		overdue.append((row, late, str(row.overdue_since)))
	if not overdue:
		return []
	fallback = get_coordinator_recipients(settings)
	# Reported already if an alert went to the same person since the day it became Overdue (the
	# period of older alerts is the day they were sent): skip those before describing anything.
	last_alert = last_overdue_alerts([row.name for row, _late, _period in overdue])
	pairing_url = form_urls("Pairing")
	reminders = []
	for row, late, period in overdue:
		recipients = (
			[(row.coordinator_email, row.coordinator_language)] if row.coordinator_email else fallback
		)
		for email, user_language in recipients:
			if last_alert.get((row.name, email), "") >= period:
				continue
			language = renderer.language_for(user_language)
			commitments = commitments_context(row, late, language, renderer)
			content = renderer.prepare(
				"pairing_overdue",
				language,
				{
					"pairing": row.name,
					"pairing_url": pairing_url(row.name),
					"tutor_name": row.tutor_name,
					"beneficiary_name": row.beneficiary_name,
					"commitments": commitments,
				},
			)
			reminders.append(
				Reminder(
					key=f"pairing_overdue:{row.name}:{period}:{email}",
					rule=PAIRING_OVERDUE,
					recipient=email,
					email=content,
					message=notice(renderer, PAIRING_OVERDUE, language, row.tutor_name, row.beneficiary_name),
					period=period,
					pairing=row.name,
					reference_doctype="Pairing",
					reference_name=row.name,
				)
			)
	return reminders


def last_overdue_alerts(pairings: list[str]) -> dict[tuple[str, str], str]:
	"""(pairing, recipient) -> the period of the latest overdue alert, for the given pairings."""
	return {
		(pairing, recipient): period
		for pairing, recipient, period in frappe.db.sql(
			"""SELECT pairing, recipient, MAX(period) FROM `tabTutoring Reminder Log`
			WHERE rule = %(rule)s AND pairing IN %(pairings)s GROUP BY pairing, recipient""",
			{"rule": PAIRING_OVERDUE, "pairings": pairings},
		)
	}


def get_pairings_needing_attention(
	today, settings, statuses=(compliance.DUE_SOON, compliance.OVERDUE)
) -> list[dict]:
	"""Active pairings the last update_compliance found Due soon or Overdue, with each commitment's
	due date and state (compliance.commitment_columns), the day of their last contact tried without
	an answer, and who to tell. One query."""
	return frappe.db.sql(
		f"""
		SELECT p.name, p.tutor, p.tutor_name, p.beneficiary_name,
			b.first_name AS beneficiary_first_name, p.compliance_status, p.overdue_since,
			t.email AS tutor_email, u.language AS tutor_language,
			cu.email AS coordinator_email, cu.language AS coordinator_language,
			(SELECT MAX(c.contact_date) FROM `tabContact Log` c
				WHERE c.pairing = p.name AND c.outcome = %(no_answer)s) AS last_no_answer,
			{compliance.commitment_columns(columns=("due", "state"), with_status=False)}
		FROM `tabPairing` p
		LEFT JOIN `tabTutor` t ON t.name = p.tutor
		LEFT JOIN `tabBeneficiary` b ON b.name = p.beneficiary
		LEFT JOIN `tabUser` u ON u.name = t.user
		LEFT JOIN `tabUser` cu ON cu.name = p.coordinator AND cu.enabled = 1
		WHERE p.status = 'Active' AND p.compliance_status IN %(needing_attention)s
		ORDER BY p.name
		""",
		{
			**compliance.sql_values(today, settings),
			"needing_attention": statuses,
			"no_answer": compliance.NO_ANSWER,
		},
		as_dict=True,
	)


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
