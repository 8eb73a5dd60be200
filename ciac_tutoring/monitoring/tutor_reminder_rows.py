"""The tutors' reminders of a daily run, written by the database in one INSERT ... SELECT.

At 10,000 Active pairings a first run reminds about 7,000 tutors: read into Python, described and
sent back as one multi-row INSERT, those rows were most of the job's time (docs/benchmarks.md).
Here the server builds each row where the pairing is: the key, the portal notice and the email's
template context (`TemplateRenderer.prepare`'s JSON: the mailer renders the email from it later),
in the tutor's language. The texts the rows hold (commitment names, states, the notice's phrases)
are translated once per language in Python and passed in; due dates are formatted with the
system's date format, as `formatdate` does.

The first step of the ladder (ladder.py): an Active pairing Due soon or Overdue, a tutor with an
email, a weekly phone contact or monthly meeting due or overdue, no contact tried without an answer
in the last no_answer_pause_days, a key not used yet (`tutor_reminder:<pairing>:<stretch>`, the
stretch named by the earliest due date of the commitments due, as `ladder.episode` names it).
Until v0.4 the key named the ISO week (`tutor_reminder:<pairing>:<2026-W49>`, the week in `period`):
a pairing reminded under such a key in the last week is skipped, or the deploy week would remind it
twice.
"""

from frappe.utils import add_days, get_url, getdate, now_datetime

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.ladder import stretch_sql
from ciac_tutoring.monitoring.row_sql import (
	Texts,
	commitment_json,
	insert_logs,
	json_array,
	json_object,
	json_string,
	language_sql,
	language_values,
	sql_date_format,
)
from ciac_tutoring.tutoring.vocabulary import NO_ANSWER, TUTOR_REMINDER

TEMPLATE = "tutor_reminder"
TUTOR_COMMITMENTS = (compliance.PHONE, compliance.MEETING)
PORTAL_ROUTE = "/my-tutoring"


def insert_tutor_reminders(today, settings, renderer: TemplateRenderer) -> int:
	"""Write this run's tutor reminders (keys `tutor_reminder:<pairing>:<stretch>` not used yet) as
	Pending Tutoring Reminder Log rows, have their emails sent after the commit, and return how
	many were written. One statement."""
	text = Texts(renderer)
	commitments, notices = [], []
	for commitment in TUTOR_COMMITMENTS:
		a = compliance.alias(commitment)
		state, due_date = f"r.{a}_state", f"DATE_FORMAT(r.{a}_due, %(date_format)s)"
		overdue = f"{state} = '{compliance.OVERDUE}'"
		label = text(commitment)
		commitments.append(
			f"IF({state} IS NULL, NULL, {commitment_json(text, commitment, overdue, due_date)})"
		)
		phrase = f"IF({overdue}, {text('{0}: overdue since {1}')}, {text('{0}: due by {1}')})"
		# {1} before {0}: what replaces {0} is never searched again (as str.format would not).
		notices.append(
			f"IF({state} IS NULL, NULL, REPLACE(REPLACE({phrase}, '{{1}}', {due_date}), '{{0}}', {label}))"
		)
	notice = (
		f"REPLACE(REPLACE({text('With {0}: {1}')}, '{{1}}', CONCAT_WS('; ', {', '.join(notices)})),"
		" '{0}', r.beneficiary_first_name)"
	)
	context = json_object(
		tutor_name=json_string("r.tutor_name"),
		beneficiary_first_name=json_string("r.beneficiary_first_name"),
		# Templates installed before the first-name change (maybe edited since) say beneficiary_name.
		beneficiary_name=json_string("r.beneficiary_first_name"),
		pairing=json_string("r.name"),
		commitments=json_array(commitments),
		portal_url=json_string("%(portal_url)s"),
	)
	email_context = json_object(
		template=json_string(f"'{TEMPLATE}'"), language=json_string("r.language"), context=context
	)
	due_or_overdue = " OR ".join(f"r.{compliance.alias(c)}_state IS NOT NULL" for c in TUTOR_COMMITMENTS)
	now = now_datetime()
	return insert_logs(
		TUTOR_REMINDER,
		{
			"key": "r.key",
			"period": "r.stretch",
			"pairing": "r.name",
			"tutor": "r.tutor",
			"recipient": "r.tutor_email",
			"message": notice,
			"email_context": email_context,
		},
		f"""
		FROM (SELECT r0.*, CONCAT('tutor_reminder:', r0.name, ':', r0.stretch) AS `key` FROM (
			SELECT p.name, p.tutor, p.tutor_name, t.email AS tutor_email,
				IFNULL(b.first_name, '') AS beneficiary_first_name,
				{stretch_sql()} AS stretch,
				{language_sql("u.language")} AS language,
				{compliance.commitment_columns(TUTOR_COMMITMENTS, columns=("due", "state"), with_status=False)}
			FROM `tabPairing` p
			JOIN `tabTutor` t ON t.name = p.tutor
			LEFT JOIN `tabBeneficiary` b ON b.name = p.beneficiary
			LEFT JOIN `tabUser` u ON u.name = t.user
			WHERE p.status = 'Active' AND p.compliance_status IN %(needing_attention)s
				AND IFNULL(t.email, '') != ''
				AND NOT EXISTS (SELECT 1 FROM `tabContact Log` c WHERE c.outcome = %(no_answer)s
					AND c.pairing = p.name AND c.contact_date > %(paused_since)s)
		) r0) r
		WHERE ({due_or_overdue})
			AND NOT EXISTS (SELECT 1 FROM `tabTutoring Reminder Log` l WHERE l.key = r.key)
			AND NOT EXISTS (SELECT 1 FROM `tabTutoring Reminder Log` w WHERE w.pairing = r.name
				AND w.rule = %(rule)s AND w.period LIKE %(iso_week_period)s AND w.sent_on > %(week_ago)s)
		""",
		{
			**compliance.sql_values(today),
			**text.values,
			"date_format": sql_date_format(),
			"no_answer": NO_ANSWER,
			"paused_since": add_days(getdate(today), -max(settings.no_answer_pause_days, 0)),
			"iso_week_period": "____-W__",
			"week_ago": add_days(now, -7),
			"portal_url": get_url(PORTAL_ROUTE),
			**language_values(renderer),
			"needing_attention": (compliance.DUE_SOON, compliance.OVERDUE),
		},
		now=now,
		# Derived tables materialised, not merged: merged, every use of a row's commitment state or
		# due date recomputes it from the pairing (a third of the statement's time at 10,000 pairings).
		materialise=True,
	)
