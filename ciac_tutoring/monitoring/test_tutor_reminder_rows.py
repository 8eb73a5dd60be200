"""The tutors' reminders written by the database (tutor_reminder_rows.py): the same rows, notices and
email contexts as describing them in Python did, in each tutor's language."""

import json

import frappe
from frappe.utils import formatdate
from freezegun import freeze_time

from ciac_tutoring.monitoring import mailer, reminders
from ciac_tutoring.monitoring.compliance import DUE_SOON, MEETING
from ciac_tutoring.monitoring.test_monitoring import TODAY, days_ago, make_pairings, set_pairing, set_settings


def tutor_of(pairing: str) -> frappe._dict:
	tutor = frappe.db.get_value("Pairing", pairing, "tutor")
	return frappe.db.get_value("Tutor", tutor, ["name", "tutor_name", "email", "user"], as_dict=True)


def written_reminder(pairing: str) -> frappe._dict:
	(log,) = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": reminders.TUTOR_REMINDER},
		fields=["*"],
	)
	return log


def test_each_tutor_gets_the_notice_and_email_context_in_their_language():
	set_settings()
	italian, english, overdue_and_due, on_track, without_email = make_pairings(5)
	set_pairing(italian, phone=9)  # phone due 2 days ago: Overdue
	set_pairing(english, meeting=29)  # meeting due tomorrow: Due soon
	set_pairing(overdue_and_due, phone=9, meeting=29)
	set_pairing(on_track)
	set_pairing(without_email, phone=9)
	frappe.db.set_value("Tutor", tutor_of(without_email).name, "email", None)
	for pairing, language in ((italian, "it"), (english, "en"), (overdue_and_due, "it")):
		user = tutor_of(pairing).user or frappe.get_doc("Tutor", tutor_of(pairing).name).activate_portal_user(
			send_welcome_email=False
		)
		frappe.db.set_value("User", user, "language", language)
	frappe.db.set_value(
		"Beneficiary", frappe.db.get_value("Pairing", italian, "beneficiary"), "first_name", "Amina"
	)

	with freeze_time(str(TODAY)):
		sent = reminders.run_daily_monitoring()
		again = reminders.run_daily_monitoring()

	assert sent[reminders.TUTOR_REMINDER] == 3
	assert again[reminders.TUTOR_REMINDER] == 0  # one per pairing and stretch (ladder.py)
	for pairing in (on_track, without_email):
		assert not frappe.db.exists(
			"Tutoring Reminder Log", {"pairing": pairing, "rule": reminders.TUTOR_REMINDER}
		)

	phone_due, meeting_due = formatdate(days_ago(2)), formatdate(days_ago(-1))
	log = written_reminder(italian)
	tutor = tutor_of(italian)
	assert (log.key, log.period, log.recipient, log.tutor, log.email_status) == (
		f"tutor_reminder:{italian}:{days_ago(2)}",  # the stretch since the call fell due
		str(days_ago(2)),
		tutor.email,
		tutor.name,
		"Pending",
	)
	assert (log.reference_doctype, log.reference_name) == ("Pairing", italian)
	assert log.message == f"Con Amina: Contatto telefonico settimanale: in ritardo dal {phone_due}"
	assert json.loads(log.email_context) == {
		"template": "tutor_reminder",
		"language": "it",
		"context": {
			"tutor_name": tutor.tutor_name,
			"beneficiary_first_name": "Amina",
			"beneficiary_name": "Amina",
			"pairing": italian,
			"commitments": [
				{
					"label": "Contatto telefonico settimanale",
					"overdue": True,
					"state": "In ritardo",
					"due_date": phone_due,
				}
			],
			"portal_url": frappe.utils.get_url("/my-tutoring"),
		},
	}

	english_log = written_reminder(english)
	first_name = json.loads(english_log.email_context)["context"]["beneficiary_first_name"]
	assert english_log.message == f"With {first_name}: {MEETING}: due by {meeting_due}"
	assert json.loads(english_log.email_context)["context"]["commitments"] == [
		{"label": MEETING, "overdue": False, "state": DUE_SOON, "due_date": meeting_due}
	]

	both = json.loads(written_reminder(overdue_and_due).email_context)["context"]["commitments"]
	assert [(c["label"], c["overdue"]) for c in both] == [
		("Contatto telefonico settimanale", True),
		("Incontro mensile", False),
	]


def test_the_mailer_renders_the_written_rows_into_emails():
	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=9)
	with freeze_time(str(TODAY)):
		reminders.run_daily_monitoring()
	mailer.send_pending_emails(commit=False)
	log = written_reminder(pairing)
	assert log.email_status == "Queued" and log.email_queue
	first_name = json.loads(log.email_context)["context"]["beneficiary_first_name"]
	assert first_name in log.subject


def test_a_pairing_reminded_under_the_iso_week_key_is_not_reminded_again_that_week():
	"""Until v0.4 the key named the ISO week: on the deploy week the tutor reminded under it two days
	ago gets no first step again; a pairing without such a row does."""
	set_settings()
	reminded_last_week_format, not_reminded = make_pairings(2)
	for pairing in (reminded_last_week_format, not_reminded):
		set_pairing(pairing, phone=9)
	frappe.get_doc(
		doctype="Tutoring Reminder Log",
		key=f"tutor_reminder:{reminded_last_week_format}:2026-W11",
		rule=reminders.TUTOR_REMINDER,
		period="2026-W11",
		sent_on=f"{days_ago(2)} 09:00:00",
		pairing=reminded_last_week_format,
		tutor=tutor_of(reminded_last_week_format).name,
		email_status="Queued",
	).insert(ignore_permissions=True)

	with freeze_time(str(TODAY)):
		sent = reminders.run_daily_monitoring()

	assert sent[reminders.TUTOR_REMINDER] == 1
	assert written_reminder(not_reminded).key == f"tutor_reminder:{not_reminded}:{days_ago(2)}"
	assert frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": reminded_last_week_format, "rule": reminders.TUTOR_REMINDER},
		pluck="period",
	) == ["2026-W11"]

	with freeze_time(str(days_ago(-6))):  # a week after the old reminder: the stretch's own key
		assert reminders.run_daily_monitoring()[reminders.TUTOR_REMINDER] == 1
	assert frappe.db.exists(
		"Tutoring Reminder Log", {"key": f"tutor_reminder:{reminded_last_week_format}:{days_ago(2)}"}
	)
