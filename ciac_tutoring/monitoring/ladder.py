"""The tutor's reminders, a ladder that escalates rather than the same words every week.

A stretch starts when one of the tutor's own commitments (the weekly call, the monthly meeting)
falls due; it is named by the earliest due date of those due (`episode`), and ends when the tutor
logs the contact (the due date moves on, and a new stretch will have a new name). Each step is sent
at most once per stretch, and only on a day after the step before it:

| Step | When | To | Key |
| --- | --- | --- | --- |
| 1 Tutor reminder (tutor_reminder_rows.py) | a commitment is Due soon or Overdue | the tutor | tutor_reminder:<pairing>:<episode> |
| 2 Tutor second reminder, with a suggestion | second_reminder_after_days late | the tutor | tutor_second_reminder:<pairing>:<episode> |
| 3 Reminders unanswered | coordinator_after_days late | the pairing's coordinator (else the coordinators) | reminders_unanswered:<pairing>:<episode>:<email> |

A contact the tutor tried without an answer pauses the tutor's steps for no_answer_pause_days.
"""

from datetime import date

import frappe
from frappe.utils import add_days, get_url, getdate

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder
from ciac_tutoring.monitoring.reminder_parts import (
	PORTAL_ROUTE,
	commitment_state,
	commitments_context,
	commitments_notice,
	form_urls,
	get_coordinator_recipients,
	notice,
)
from ciac_tutoring.tutoring.vocabulary import REMINDERS_UNANSWERED, TUTOR_REMINDER, TUTOR_SECOND_REMINDER

# The CIAC monitoring meeting is CIAC's to organise: tutors are reminded only of their own commitments.
TUTOR_COMMITMENTS = (compliance.PHONE, compliance.MEETING)
# The steps in order: (rule, template, key prefix).
STEPS = (
	(TUTOR_REMINDER, "tutor_reminder", "tutor_reminder"),
	(TUTOR_SECOND_REMINDER, "tutor_second_reminder", "tutor_second_reminder"),
	(REMINDERS_UNANSWERED, "reminders_unanswered", "reminders_unanswered"),
)


def stretch_sql() -> str:
	"""`episode`'s date in SQL, for pairing `p` ('YYYY-MM-DD'; '9999-12-31' when nothing is due):
	the parameters of compliance.sql_values."""
	due = ", ".join(
		f"IF({compliance.state_sql(c)} IS NULL, '9999-12-31', {compliance.due_date_sql(c)})"
		for c in TUTOR_COMMITMENTS
	)
	return f"DATE_FORMAT(LEAST({due}), '%%Y-%%m-%%d')"


def pairings_past_the_first_step(today, settings) -> list[dict]:
	"""The Overdue pairings whose stretch's first reminder went on an earlier day: the only ones a
	later step can be due for (each step waits a day after the one before it). With each
	commitment's due date and state (compliance.commitment_columns), the day of their last contact
	tried without an answer, and who to tell. One query; on a first run it finds none."""
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
		WHERE p.status = 'Active' AND p.compliance_status = %(overdue)s
			-- any first reminder on an earlier day (by the pairing's index), before the stretch's own
			AND EXISTS (SELECT 1 FROM `tabTutoring Reminder Log` e
				WHERE e.pairing = p.name AND e.rule = %(first_step)s AND e.sent_on < %(today)s)
			AND EXISTS (SELECT 1 FROM `tabTutoring Reminder Log` l
				WHERE l.key = CONCAT('{STEPS[0][2]}:', p.name, ':', {stretch_sql()}) AND l.sent_on < %(today)s)
		ORDER BY p.name
		""",
		{
			**compliance.sql_values(today, settings),
			"overdue": compliance.OVERDUE,
			"no_answer": compliance.NO_ANSWER,
			"first_step": STEPS[0][0],
		},
		as_dict=True,
	)


def episode(row) -> tuple[date, list[tuple[str, str]]] | None:
	"""(the stretch's earliest due date, the tutor's commitments due with their states), or None."""
	due = [(c, state) for c in TUTOR_COMMITMENTS if (state := commitment_state(row, c))]
	if not due:
		return None
	return min(getdate(row[f"{compliance.alias(c)}_due"]) for c, _state in due), due


def step_due(row, today: date, settings, episode_due: date) -> int:
	"""The highest step the stretch has reached today (1 to 3)."""
	days_late = (today - episode_due).days
	if days_late >= settings.coordinator_after_days:
		return 3
	if days_late >= settings.second_reminder_after_days:
		return 2
	return 1


def is_paused(row, today: date, settings) -> bool:
	"""A call or message tried without an answer in the last days pauses the tutor's reminders."""
	return bool(
		row.last_no_answer
		and getdate(row.last_no_answer) > add_days(today, -max(settings.no_answer_pause_days, 0))
	)


def key(step: int, pairing: str, episode_due: date, email: str | None = None) -> str:
	parts = [STEPS[step - 1][2], pairing, str(episode_due)]
	return ":".join([*parts, email] if email else parts)


def sent_days(keys: list[str]) -> dict[str, date]:
	"""key -> the day its reminder was recorded, for the keys already used."""
	if not keys:
		return {}
	return {
		k: getdate(sent_on)
		for k, sent_on in frappe.db.sql(
			"SELECT `key`, sent_on FROM `tabTutoring Reminder Log` WHERE `key` IN %(keys)s", {"keys": keys}
		)
	}


def escalations(rows, today: date, settings, renderer: TemplateRenderer) -> list[Reminder]:
	"""Steps 2 and 3 of every Overdue pairing's stretch, when due today and not sent yet (step 1 is
	written by the database: tutor_reminder_rows.py, with the same key)."""
	plans = []
	for row in rows:
		found = episode(row)
		if found and (top := step_due(row, today, settings, found[0])) >= 2:
			plans.append((row, *found, top))
	if not plans:
		return []
	coordinators = None
	candidate_keys = [key(s, row.name, due) for row, due, _c, top in plans for s in range(1, min(top, 2) + 1)]
	sent = sent_days(candidate_keys)
	escalated = {k.rsplit(":", 1)[0] for k in _escalation_keys(plans)}
	portal_url, pairing_url = get_url(PORTAL_ROUTE), form_urls("Pairing")
	reminders = []
	for row, episode_due, due, top in plans:
		step = next_step(row.name, episode_due, top, sent, escalated, today)
		if step is None or step == 1 or (step == 2 and is_paused(row, today, settings)):
			continue
		if step == 3:
			if coordinators is None:
				coordinators = get_coordinator_recipients(settings)
			reminders += escalation(row, episode_due, due, renderer, pairing_url, coordinators)
		elif row.tutor_email:
			reminders.append(tutor_step(step, row, episode_due, due, renderer, portal_url))
	return reminders


def _escalation_keys(plans) -> list[str]:
	# The coordinator's key ends with the recipient: look the stretch up by its prefix.
	prefixes = [key(3, row.name, due) for row, due, _c, top in plans if top == 3]
	if not prefixes:
		return []
	return frappe.db.sql_list(
		"SELECT `key` FROM `tabTutoring Reminder Log` WHERE rule = %(rule)s AND pairing IN %(pairings)s",
		{"rule": REMINDERS_UNANSWERED, "pairings": [p.split(":")[1] for p in prefixes]},
	)


def next_step(
	pairing: str, episode_due: date, top: int, sent: dict, escalated: set, today: date
) -> int | None:
	"""The lowest step not sent yet, if the one before it went on an earlier day; None when
	nothing is to be sent today."""
	for step in range(1, top + 1):
		if step == 3:
			return None if key(3, pairing, episode_due) in escalated else 3
		if key(step, pairing, episode_due) not in sent:
			return step
		if sent[key(step, pairing, episode_due)] >= today:
			return None  # the next step waits for another day
	return None


def tutor_step(step: int, row, episode_due: date, due, renderer, portal_url: str) -> Reminder:
	rule, template, _prefix = STEPS[step - 1]
	language = renderer.language_for(row.tutor_language)
	commitments = commitments_context(row, due, language, renderer)
	# A tutor knows the beneficiary by first name only: the full name stays with CIAC staff.
	first_name = row.beneficiary_first_name or ""
	content = renderer.prepare(
		template,
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
	return Reminder(
		key=key(step, row.name, episode_due),
		rule=rule,
		recipient=row.tutor_email,
		email=content,
		message=commitments_notice(commitments, first_name, language, renderer),
		period=str(episode_due),
		pairing=row.name,
		tutor=row.tutor,
		reference_doctype="Pairing",
		reference_name=row.name,
	)


def escalation(row, episode_due: date, due, renderer, pairing_url, coordinators) -> list[Reminder]:
	recipients = (
		[(row.coordinator_email, row.coordinator_language)] if row.coordinator_email else coordinators
	)
	reminders = []
	for email, user_language in recipients:
		language = renderer.language_for(user_language)
		content = renderer.prepare(
			"reminders_unanswered",
			language,
			{
				"pairing": row.name,
				"pairing_url": pairing_url(row.name),
				"tutor_name": row.tutor_name,
				"beneficiary_name": row.beneficiary_name,
				"commitments": commitments_context(row, due, language, renderer),
			},
		)
		reminders.append(
			Reminder(
				key=key(3, row.name, episode_due, email),
				rule=REMINDERS_UNANSWERED,
				recipient=email,
				email=content,
				message=notice(
					renderer, REMINDERS_UNANSWERED, language, row.tutor_name, row.beneficiary_name
				),
				period=str(episode_due),
				pairing=row.name,
				reference_doctype="Pairing",
				reference_name=row.name,
			)
		)
	return reminders
