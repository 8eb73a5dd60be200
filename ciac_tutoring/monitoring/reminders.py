"""Who is reminded of what, and when. Each rule is on a Tutoring Settings switch and sends at
most once per key (see Tutoring Reminder Log):

| Rule | To | Key (rule:subject:period) |
| --- | --- | --- |
| Tutor reminder | the tutor, when the weekly contact or the monthly meeting is due or overdue | tutor_reminder:<pairing>:<ISO week> |
| Pairing overdue | the pairing's coordinator (else the coordinators), when it becomes Overdue | pairing_overdue:<pairing>:<its overdue_since> |
| Needs CIAC attention | the same, when a Contact Log says so | needs_attention:<pairing>:<contact date> |
| Weekly digest | every coordinator | weekly_digest:<email>:<ISO week> |
| Training reminder | every registered tutor, the day before the session | training_reminder:<session>:<tutor> |

Every rule gathers its rows in a few queries and queues its emails in bulk: the number of
statements does not grow with the number of pairings.
"""

from functools import lru_cache
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import add_days, format_datetime, formatdate, get_url, get_url_to_form, getdate

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder, existing_keys, queue_reminders
from ciac_tutoring.monitoring.tutor_reminder_rows import insert_tutor_reminders
from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import expiring_permits, permit_window
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import (
	get_coordinator_recipients,
	get_settings,
)
from ciac_tutoring.tutoring.vocabulary import (
	NEEDS_ATTENTION,
	PAIRING_OVERDUE,
	TRAINING_REMINDER,
	TUTOR_REMINDER,
	WEEKLY_DIGEST,
)

# The CIAC monitoring meeting is CIAC's to organise: tutors are reminded only of their own commitments.
TUTOR_COMMITMENTS = (compliance.PHONE, compliance.MEETING)
PORTAL_ROUTE = "/my-tutoring"
NEEDS_ATTENTION_SAVEPOINT = "ciac_needs_attention"


def iso_week(date) -> str:
	year, week, _weekday = getdate(date).isocalendar()
	return f"{year}-W{week:02d}"


# --- the daily run --------------------------------------------------------------------------


def run_daily_monitoring(today=None) -> dict:
	"""Update every pairing's compliance, then send the reminders it calls for."""
	today = getdate(today or frappe.utils.today())
	settings = get_settings()
	compliance.update_compliance(today=today, settings=settings)

	sent = {TUTOR_REMINDER: 0, PAIRING_OVERDUE: 0, TRAINING_REMINDER: 0}
	if settings.remind_tutors or settings.notify_coordinator_overdue:
		renderer = TemplateRenderer()
		if settings.remind_tutors:
			# Written by the database (thousands of rows on a first run): tutor_reminder_rows.py.
			sent[TUTOR_REMINDER] = insert_tutor_reminders(today, iso_week(today), renderer)
		if settings.notify_coordinator_overdue:
			rows = get_pairings_needing_attention(today, settings, statuses=(compliance.OVERDUE,))
			for reminder in queue_reminders(overdue_notifications(rows, settings, renderer)):
				sent[reminder.rule] += 1
	if settings.remind_training_attendees:
		sent[TRAINING_REMINDER] = send_training_reminders(today)
	return sent


def tutor_reminders(rows, today, settings, renderer: TemplateRenderer) -> list[Reminder]:
	reminders = []
	period = iso_week(today)
	keys = {row.name: f"tutor_reminder:{row.name}:{period}" for row in rows}
	# Most are already sent after the week's first run: skip them before rendering anything.
	already_sent = existing_keys(list(keys.values()))
	portal_url = get_url(PORTAL_ROUTE)
	for row in rows:
		if keys[row.name] in already_sent:
			continue
		due = [(c, state) for c in TUTOR_COMMITMENTS if (state := commitment_state(row, c))]
		if not due or not row.tutor_email:
			continue
		language = renderer.language_for(row.tutor_language)
		commitments = _commitments_context(row, due, language, renderer)
		# A tutor knows the beneficiary by first name only: the full name stays with CIAC staff.
		first_name = row.beneficiary_first_name or ""
		content = renderer.prepare(
			"tutor_reminder",
			language,
			{
				"tutor_name": row.tutor_name,
				"beneficiary_first_name": first_name,
				# Templates installed before the first-name change (maybe edited since) say beneficiary_name.
				"beneficiary_name": first_name,
				"pairing": row.name,
				"commitments": commitments,
				"portal_url": portal_url,
			},
		)
		reminders.append(
			Reminder(
				key=keys[row.name],
				rule=TUTOR_REMINDER,
				recipient=row.tutor_email,
				email=content,
				message=_commitments_notice(commitments, first_name, language, renderer),
				period=period,
				pairing=row.name,
				tutor=row.tutor,
				reference_doctype="Pairing",
				reference_name=row.name,
			)
		)
	return reminders


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
			commitments = _commitments_context(row, late, language, renderer)
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


def form_urls(doctype: str):
	"""name -> the desk URL of its form, like get_url_to_form (which asks for the site URL each time)."""
	prefix = get_url_to_form(doctype, "")
	return lambda name: prefix + quote(str(name), safe="")


def get_pairings_needing_attention(
	today, settings, statuses=(compliance.DUE_SOON, compliance.OVERDUE)
) -> list[dict]:
	"""Active pairings the last update_compliance found in `statuses` (Due soon or Overdue), with
	each commitment's due date and state (compliance.commitment_columns), and who to tell. One query."""
	return frappe.db.sql(
		f"""
		SELECT p.name, p.tutor, p.tutor_name, p.beneficiary_name,
			b.first_name AS beneficiary_first_name, p.compliance_status, p.overdue_since,
			t.email AS tutor_email, u.language AS tutor_language,
			cu.email AS coordinator_email, cu.language AS coordinator_language,
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
		},
		as_dict=True,
	)


def commitment_state(row: dict, commitment: str) -> str | None:
	"""OVERDUE, DUE_SOON or None for one commitment of a row of get_pairings_needing_attention."""
	return row[f"{compliance.alias(commitment)}_state"]


def notice(renderer: TemplateRenderer, rule: str, language: str, *parts) -> str:
	"""The short plain text a reminder is listed by (and the tutor portal shows): its rule and what it is about."""
	return f"{renderer.translate(rule, language)}: {' / '.join(str(part) for part in parts if part)}"


def _commitments_context(row, due: list[tuple[str, str]], language: str, renderer) -> list[dict]:
	return [
		{
			"label": renderer.translate(commitment, language),
			"overdue": state == compliance.OVERDUE,
			"state": renderer.translate(state, language),
			"due_date": _format_date(getdate(row[f"{compliance.alias(commitment)}_due"])),
		}
		for commitment, state in due
	]


@lru_cache(maxsize=512)
def _format_date(date) -> str:
	# A run formats the same few due dates thousands of times.
	return formatdate(date)


def _commitments_notice(commitments: list[dict], beneficiary_first_name: str, language: str, renderer) -> str:
	"""The short text the tutor portal shows as a notice."""
	items = "; ".join(
		renderer.translate("{0}: overdue since {1}", language).format(c["label"], c["due_date"])
		if c["overdue"]
		else renderer.translate("{0}: due by {1}", language).format(c["label"], c["due_date"])
		for c in commitments
	)
	return renderer.translate("With {0}: {1}", language).format(beneficiary_first_name, items)


# --- recipients -----------------------------------------------------------------------------


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
	recipients = _user_recipients([pairing.coordinator]) or get_coordinator_recipients(settings)
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


def _user_recipients(users: list[str | None]) -> list[tuple[str, str | None]]:
	users = [u for u in users if u]
	if not users:
		return []
	return [
		(u.email, u.language)
		for u in frappe.get_all(
			"User", filters={"name": ["in", users], "enabled": 1}, fields=["email", "language"]
		)
		if u.email
	]


# --- training reminders ---------------------------------------------------------------------


def send_training_reminders(today=None) -> int:
	"""Remind every tutor registered to a Planned session that starts tomorrow."""
	tomorrow = add_days(getdate(today or frappe.utils.today()), 1)
	rows = frappe.db.sql(
		"""
		SELECT s.name AS session, s.title, s.starts_on, s.ends_on, s.location, s.online_link,
			a.tutor, t.tutor_name, t.email, u.language
		FROM `tabTraining Session` s
		JOIN `tabTraining Attendance` a ON a.parent = s.name AND a.parenttype = 'Training Session'
			AND a.parentfield = 'attendees'
		JOIN `tabTutor` t ON t.name = a.tutor
		LEFT JOIN `tabUser` u ON u.name = t.user
		WHERE s.status = 'Planned' AND DATE(s.starts_on) = %(tomorrow)s AND a.attendance = 'Registered'
		ORDER BY s.name, a.idx
		""",
		{"tomorrow": tomorrow},
		as_dict=True,
	)
	if not rows:
		return 0
	renderer = TemplateRenderer()
	reminders = []
	for row in rows:
		language = renderer.language_for(row.language)
		content = renderer.prepare(
			"training_reminder",
			language,
			{
				"tutor_name": row.tutor_name,
				"title": row.title,
				"starts_on": format_datetime(row.starts_on, "dd-MM-yyyy HH:mm"),
				"ends_on": format_datetime(row.ends_on, "HH:mm") if row.ends_on else "",
				"location": row.location,
				"online_link": row.online_link,
			},
		)
		reminders.append(
			Reminder(
				key=f"training_reminder:{row.session}:{row.tutor}",
				rule=TRAINING_REMINDER,
				recipient=row.email,
				email=content,
				message=notice(
					renderer,
					TRAINING_REMINDER,
					language,
					row.title,
					format_datetime(row.starts_on, "dd-MM-yyyy HH:mm"),
				),
				period=str(tomorrow),
				tutor=row.tutor,
				reference_doctype="Training Session",
				reference_name=row.session,
			)
		)
	return len(queue_reminders(reminders))


# --- weekly digest --------------------------------------------------------------------------


def send_weekly_digest(today=None) -> int:
	settings = get_settings()
	if not settings.send_weekly_digest:
		return 0
	today = getdate(today or frappe.utils.today())
	recipients = get_coordinator_recipients(settings)
	if not recipients:
		return 0
	context = get_digest_context(today, settings)
	renderer = TemplateRenderer()
	period = iso_week(today)
	reminders = []
	for email, user_language in recipients:
		language = renderer.language_for(user_language)
		content = renderer.prepare("weekly_digest", language, _localised_digest(context, language))
		digest_notice = notice(renderer, WEEKLY_DIGEST, language, period)
		reminders.append(
			Reminder(
				key=f"weekly_digest:{email}:{period}",
				rule=WEEKLY_DIGEST,
				recipient=email,
				email=content,
				message=digest_notice,
				period=period,
			)
		)
	return len(queue_reminders(reminders))


@frappe.read_only()
def get_digest_context(today, settings) -> dict:
	"""The digest's five lists, one query each: on the read replica where the site has one (they
	decide nothing the job writes; a list a few seconds old is fine in a weekly email)."""
	values = compliance.sql_values(today, settings)
	values.update(
		waiting_since=add_days(today, -settings.interview_waiting_days),
		ending_until=add_days(today, settings.pairing_ending_window_days),
		monitoring_until=add_days(today, 7),
	)
	overdue = frappe.db.sql(
		"""
		SELECT name, tutor_name, beneficiary_name, late_commitments
		FROM `tabPairing` WHERE status = 'Active' AND compliance_status = 'Overdue' ORDER BY name
		""",
		as_dict=True,
	)
	waiting = frappe.db.sql(
		"""
		SELECT name, tutor_name, COALESCE(phase_changed_on, creation) AS since
		FROM `tabTutor`
		WHERE workflow_state = 'Availability Notified' AND COALESCE(phase_changed_on, creation) < %(waiting_since)s
		ORDER BY since
		""",
		values,
		as_dict=True,
	)
	monitoring_due = frappe.db.sql(
		f"""
		SELECT p.name, p.tutor_name, p.beneficiary_name, {compliance.due_date_sql(compliance.MONITORING)} AS due_date
		FROM `tabPairing` p
		WHERE p.status = 'Active' AND {compliance.due_date_sql(compliance.MONITORING)} <= %(monitoring_until)s
		ORDER BY due_date
		""",
		values,
		as_dict=True,
	)
	permits = expiring_permits(*permit_window(today, settings.permit_expiry_window_days))
	ending = frappe.db.sql(
		"""
		SELECT name, tutor_name, beneficiary_name, planned_end_date
		FROM `tabPairing`
		WHERE status = 'Active' AND planned_end_date BETWEEN %(today)s AND %(ending_until)s
		ORDER BY planned_end_date
		""",
		values,
		as_dict=True,
	)
	return {
		"week": iso_week(today),
		"interview_waiting_days": settings.interview_waiting_days,
		"permit_expiry_window_days": settings.permit_expiry_window_days,
		"pairing_ending_window_days": settings.pairing_ending_window_days,
		"overdue_pairings": overdue,
		"waiting_tutors": waiting,
		"monitoring_due": monitoring_due,
		"expiring_permits": permits,
		"ending_pairings": ending,
	}


def _localised_digest(context: dict, language: str) -> dict:
	def late(text):
		return ", ".join(_(line, language) for line in (text or "").splitlines() if line)

	return {
		**context,
		"overdue_pairings": [
			{**p, "url": get_url_to_form("Pairing", p.name), "late": late(p.late_commitments)}
			for p in context["overdue_pairings"]
		],
		"waiting_tutors": [
			{**t, "url": get_url_to_form("Tutor", t.name), "since": formatdate(t.since)}
			for t in context["waiting_tutors"]
		],
		"monitoring_due": [
			{**p, "url": get_url_to_form("Pairing", p.name), "due_date": formatdate(p.due_date)}
			for p in context["monitoring_due"]
		],
		"expiring_permits": [
			{
				**b,
				"url": get_url_to_form("Beneficiary", b.name),
				"expiry": formatdate(b.residence_permit_expiry),
			}
			for b in context["expiring_permits"]
		],
		"ending_pairings": [
			{
				**p,
				"url": get_url_to_form("Pairing", p.name),
				"planned_end_date": formatdate(p.planned_end_date),
			}
			for p in context["ending_pairings"]
		],
	}
