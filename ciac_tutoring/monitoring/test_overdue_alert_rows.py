"""The coordinators' overdue alerts written by the database (overdue_alert_rows.py): to the pairing's
own coordinator in her language, else to every coordinator of the settings; the notice, the email's
template context and the overdue commitments as the reminders' Python parts describe them."""

import json

import frappe
from frappe.utils import formatdate, get_url_to_form
from freezegun import freeze_time

from ciac_tutoring.monitoring import mailer, reminder_parts, reminders
from ciac_tutoring.monitoring.compliance import MEETING, PHONE
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.test_monitoring import (
	TODAY,
	days_ago,
	make_coordinator,
	make_pairings,
	set_pairing,
	set_settings,
)
from ciac_tutoring.tutoring.vocabulary import PAIRING_OVERDUE


def alerts(pairing: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": PAIRING_OVERDUE},
		fields=["*"],
		order_by="recipient",
	)


def expected_context(pairing: str, language: str, late: list[tuple[str, str]]) -> dict:
	"""What reminder_parts describes for the alert, as the Python path of the rule wrote it."""
	renderer = TemplateRenderer()
	row = frappe.db.get_value("Pairing", pairing, ["tutor_name", "beneficiary_name"], as_dict=True)
	return {
		"template": "pairing_overdue",
		"language": language,
		"context": {
			"pairing": pairing,
			"pairing_url": get_url_to_form("Pairing", pairing),
			"tutor_name": row.tutor_name,
			"beneficiary_name": row.beneficiary_name,
			"commitments": [
				{
					"label": renderer.translate(commitment, language),
					"overdue": True,
					"state": renderer.translate("Overdue", language),
					"due_date": formatdate(due),
				}
				for commitment, due in late
			],
		},
	}


def test_the_pairings_coordinator_gets_the_alert_in_her_language():
	set_settings()
	coordinator = make_coordinator()
	frappe.db.set_value("User", coordinator, "language", "it")
	(late_on_both, on_track) = make_pairings(2)
	# The call was due 3 days ago, the meeting 1 day ago: Overdue since the day after the call's.
	set_pairing(late_on_both, phone=10, meeting=31, coordinator=coordinator)
	set_pairing(on_track, coordinator=coordinator)

	with freeze_time(str(TODAY)):
		sent = reminders.run_daily_monitoring()
		again = reminders.run_daily_monitoring()

	assert sent[PAIRING_OVERDUE] == 1 and again[PAIRING_OVERDUE] == 0
	assert alerts(on_track) == []
	(alert,) = alerts(late_on_both)
	renderer = TemplateRenderer()
	names = frappe.db.get_value("Pairing", late_on_both, ["tutor_name", "beneficiary_name"], as_dict=True)
	assert (alert.key, alert.period, alert.recipient, alert.email_status) == (
		f"pairing_overdue:{late_on_both}:{days_ago(2)}:{coordinator}",
		str(days_ago(2)),
		coordinator,
		mailer.PENDING,
	)
	assert (alert.reference_doctype, alert.reference_name, alert.tutor) == ("Pairing", late_on_both, None)
	assert alert.message == reminder_parts.notice(
		renderer, PAIRING_OVERDUE, "it", names.tutor_name, names.beneficiary_name
	)
	assert alert.message.startswith(renderer.translate(PAIRING_OVERDUE, "it") + ": ")
	assert json.loads(alert.email_context) == expected_context(
		late_on_both, "it", [(PHONE, days_ago(3)), (MEETING, days_ago(1))]
	)


def test_a_pairing_without_a_coordinator_alerts_every_coordinator_of_the_settings():
	set_settings(coordinator_email="team@ciac.example")
	make_coordinator()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, meeting=31, coordinator=None)

	with freeze_time(str(TODAY)):
		sent = reminders.run_daily_monitoring()

	recipients = dict(reminder_parts.get_coordinator_recipients())
	assert "team@ciac.example" in recipients and len(recipients) >= 2
	written = alerts(pairing)
	assert sent[PAIRING_OVERDUE] == len(written) == len(recipients)
	renderer = TemplateRenderer()
	for alert in written:
		language = renderer.language_for(recipients[alert.recipient])
		assert alert.key == f"pairing_overdue:{pairing}:{days_ago(0)}:{alert.recipient}"
		assert json.loads(alert.email_context) == expected_context(
			pairing, language, [(MEETING, days_ago(1))]
		)


def test_the_alerts_emails_are_rendered_by_the_mailer():
	set_settings()
	coordinator = make_coordinator()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=10, coordinator=coordinator)
	with freeze_time(str(TODAY)):
		reminders.run_daily_monitoring()
	mailer.send_pending_emails(commit=False)
	(alert,) = alerts(pairing)
	assert alert.email_status == mailer.QUEUED and alert.email_queue
	assert frappe.db.get_value("Pairing", pairing, "tutor_name") in frappe.db.get_value(
		"Email Queue", alert.email_queue, "message"
	)


def test_a_pairings_name_is_quoted_in_its_url_as_form_urls_quotes_it():
	from urllib.parse import quote

	from ciac_tutoring.monitoring.row_sql import url_quoted_sql

	quoted, values = url_quoted_sql("%(name)s")
	for name in ("PAIR-2026-00001", "PAIR 2023/017", "a%b#c?d&e=f", "x:y;z@w,v+u'\"t<>[]{}|^`!$()*~_."):
		assert frappe.db.sql(f"SELECT {quoted}", {**values, "name": name})[0][0] == quote(name, safe=""), name


def test_one_alert_per_address_when_the_settings_repeat_a_coordinators_in_another_case():
	"""The settings' address and a coordinator's differ only in case: one recipient (the reminders'
	key compares without case: two would stop the daily job on its unique index)."""
	set_settings(coordinator_email=make_coordinator().upper())
	(pairing,) = make_pairings(1)
	set_pairing(pairing, meeting=31, coordinator=None)
	with freeze_time(str(TODAY)):
		reminders.run_daily_monitoring()
	recipients = [alert.recipient.lower() for alert in alerts(pairing)]
	assert len(recipients) == len(set(recipients))
