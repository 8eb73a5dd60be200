"""The coordinators' overdue alerts of a daily run, written by the database in one INSERT ... SELECT.

A pairing that falls behind is reported once to its coordinator (an enabled user with an email),
else to every coordinator of the settings (`get_coordinator_recipients`). The key holds the day it
became Overdue (`pairing_overdue:<pairing>:<overdue_since>:<email>`), not the day of the run: later
runs do not repeat it, nor does catching up on one commitment while another is still late; a
pairing that a saved record already stored as Overdue during the day is still reported, and one
that catches up and falls behind again is reported again. An alert that went to the same person
since that day, under an older key (whose period was the day it was sent), counts as sent.

At 10,000 Active pairings a first run alerts about 2,000 pairings: read, described in Python and
sent back, they were about 40% of the job (docs/benchmarks.md). Here each row is built where the
pairing is, as tutor_reminder_rows.py builds the tutors' reminders: the notice and the email's
template context (`TemplateRenderer.prepare`'s JSON) in the recipient's language, the overdue
commitments with their due dates in the system's date format, the pairing's desk URL (its name
quoted as `form_urls` quotes it).
"""

from frappe.utils import get_url_to_form

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.reminder_parts import get_coordinator_recipients
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
	url_quoted_sql,
)
from ciac_tutoring.tutoring.vocabulary import PAIRING_OVERDUE

TEMPLATE = "pairing_overdue"


def insert_overdue_alerts(today, settings, renderer: TemplateRenderer) -> int:
	"""Write this run's overdue alerts not sent yet as Pending Tutoring Reminder Log rows, have their
	emails sent after the commit, and return how many were written. One statement (and one to find
	the settings' coordinators)."""
	text = Texts(renderer)
	quoted_name, url_values = url_quoted_sql("r.name")
	commitments = [
		f"IF(r.{a}_state = '{compliance.OVERDUE}', "
		f"{commitment_json(text, c, 'TRUE', f'DATE_FORMAT(r.{a}_due, %(date_format)s)')}, NULL)"
		for c in compliance.COMMITMENTS
		if (a := compliance.alias(c))
	]
	context = json_object(
		pairing=json_string("r.name"),
		pairing_url=json_string(f"CONCAT(%(pairing_url)s, {quoted_name})"),
		tutor_name=json_string("r.tutor_name"),
		beneficiary_name=json_string("r.beneficiary_name"),
		commitments=json_array(commitments),
	)
	email_context = json_object(
		template=json_string(f"'{TEMPLATE}'"), language=json_string("r.language"), context=context
	)
	# reminder_parts.notice: the rule, then what it is about.
	notice = (
		f"CONCAT({text(PAIRING_OVERDUE)}, ': ', "
		"CONCAT_WS(' / ', NULLIF(r.tutor_name, ''), NULLIF(r.beneficiary_name, '')))"
	)
	recipients, values = recipients_sql(settings, renderer)
	return insert_logs(
		PAIRING_OVERDUE,
		{
			"key": "r.key",
			"period": "r.period",
			"pairing": "r.name",
			"recipient": "r.email",
			"message": notice,
			"email_context": email_context,
		},
		f"""
		FROM (
			SELECT o.*, rc.email, rc.language,
				CONCAT('pairing_overdue:', o.name, ':', o.period, ':', rc.email) AS `key`
			FROM (
				SELECT p.name, p.tutor_name, p.beneficiary_name, p.coordinator,
					DATE_FORMAT(p.overdue_since, '%%Y-%%m-%%d') AS period,
					{compliance.commitment_columns(columns=("due", "state"), with_status=False)}
				FROM `tabPairing` p
				WHERE p.status = 'Active' AND p.compliance_status = %(overdue)s
					AND p.overdue_since IS NOT NULL
			) o
			JOIN ({recipients}) rc ON rc.pairing <=> o.coordinator
		) r
		WHERE NOT EXISTS (SELECT 1 FROM `tabTutoring Reminder Log` l WHERE l.rule = %(rule)s
			AND l.pairing = r.name AND l.recipient = r.email AND l.period >= r.period)
		""",
		{
			**compliance.sql_values(today, settings),
			**text.values,
			**values,
			**url_values,
			**language_values(renderer),
			"date_format": sql_date_format(),
			"overdue": compliance.OVERDUE,
			"pairing_url": get_url_to_form("Pairing", ""),
		},
	)


def recipients_sql(settings, renderer: TemplateRenderer) -> tuple[str, dict]:
	"""A derived table (pairing coordinator, email, language): who hears of a pairing whose
	`coordinator` is the row's (NULL-safe). Its own coordinator when an enabled user with an email;
	else, for the pairings without one (and only if the settings have any), each of the settings'
	coordinators, with the language their emails are written in."""
	own = f"""
		SELECT p.coordinator AS pairing, u.email, {language_sql("u.language")} AS language
		FROM (SELECT DISTINCT coordinator FROM `tabPairing`
			WHERE status = 'Active' AND compliance_status = %(overdue)s) p
		JOIN `tabUser` u ON u.name = p.coordinator AND u.enabled = 1 AND IFNULL(u.email, '') != ''
	"""
	fallback, values = [], {}
	for index, (email, language) in enumerate(get_coordinator_recipients(settings)):
		values[f"fallback_email_{index}"] = email
		values[f"fallback_language_{index}"] = renderer.language_for(language)
		fallback.append(
			f"SELECT %(fallback_email_{index})s AS email, %(fallback_language_{index})s AS language"
		)
	if not fallback:
		return own, values
	without_own = f"""
		SELECT p.coordinator AS pairing, f.email, f.language
		FROM (SELECT DISTINCT coordinator FROM `tabPairing`
			WHERE status = 'Active' AND compliance_status = %(overdue)s) p
		LEFT JOIN `tabUser` u ON u.name = p.coordinator AND u.enabled = 1 AND IFNULL(u.email, '') != ''
		CROSS JOIN ({" UNION ALL ".join(fallback)}) f
		WHERE u.name IS NULL
	"""
	return f"{own} UNION ALL {without_own}", values
