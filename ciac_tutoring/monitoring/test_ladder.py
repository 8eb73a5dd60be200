"""The tutor's reminders that escalate, "tried, no answer", and the coordinator's worklist, on fixed
dates (freezegun, as test_monitoring does), against the real site."""

from datetime import timedelta

import frappe
from freezegun import freeze_time

from ciac_tutoring import tasks
from ciac_tutoring.monitoring import follow_up, mailer, worklist
from ciac_tutoring.monitoring.compliance import OVERDUE, PHONE
from ciac_tutoring.monitoring.test_monitoring import (
	TODAY,
	compliance_of,
	days_ago,
	make_coordinator,
	make_pairings,
	set_pairing,
	set_settings,
)
from ciac_tutoring.tutoring import vocabulary

LADDER = {"second_reminder_after_days": 5, "coordinator_after_days": 12}
LADDER_RULES = (
	vocabulary.TUTOR_REMINDER,
	vocabulary.TUTOR_SECOND_REMINDER,
	vocabulary.REMINDERS_UNANSWERED,
)


def ladder_logs(pairing: str) -> list[tuple[str, object, str]]:
	"""(rule, day sent, recipient) of the pairing's ladder, in order."""
	logs = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": ["in", LADDER_RULES]},
		fields=["rule", "sent_on", "recipient"],
		order_by="sent_on, rule",
	)
	return [(log.rule, log.sent_on.date(), log.recipient) for log in logs]


def run_days(first: int, last: int) -> None:
	"""The daily job on each day from TODAY + first to TODAY + last."""
	for offset in range(first, last + 1):
		with freeze_time(str(TODAY + timedelta(days=offset))):
			tasks.daily()


def log_contact(pairing: str, day, outcome: str = "Happened", kind: str = "Phone or video call", **values):
	return frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing,
			"contact_date": day,
			"kind": kind,
			"outcome": outcome,
			"wellbeing": "Fine",
			**values,
		}
	).insert(ignore_permissions=True)


def test_the_ladder_sends_each_step_once_on_its_day_then_starts_again_after_a_contact():
	set_settings(**LADDER)
	coordinator = make_coordinator()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=6, meeting=1, coordinator=coordinator)  # the weekly call is due tomorrow
	tutor_email = frappe.db.get_value("Tutor", frappe.db.get_value("Pairing", pairing, "tutor"), "email")

	run_days(0, 16)
	run_days(0, 16)  # the same days again: nothing new
	due = TODAY + timedelta(days=1)
	assert ladder_logs(pairing) == [
		(vocabulary.TUTOR_REMINDER, TODAY, tutor_email),
		(vocabulary.TUTOR_SECOND_REMINDER, due + timedelta(days=5), tutor_email),
		(vocabulary.REMINDERS_UNANSWERED, due + timedelta(days=12), coordinator),
	]
	mailer.send_pending_emails(commit=False)
	subjects = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": ["in", LADDER_RULES]},
		fields=["rule", "subject", "email_queue"],
	)
	assert all(log.email_queue for log in subjects)
	assert len({log.subject for log in subjects}) == 3  # different words at each step

	# the tutor calls: the next stretch starts from step 1 again when the call falls due
	log_contact(pairing, TODAY + timedelta(days=16))
	log_contact(pairing, TODAY + timedelta(days=16), kind="In-person meeting")  # (logs replace set_pairing's)
	run_days(17, 23)
	assert ladder_logs(pairing)[3:] == [(vocabulary.TUTOR_REMINDER, TODAY + timedelta(days=21), tutor_email)]


def test_a_step_waits_for_a_day_after_the_step_before():
	set_settings(**LADDER)
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=30, coordinator=make_coordinator())  # 23 days late when first seen
	run_days(0, 2)
	assert [(rule, day) for rule, day, _r in ladder_logs(pairing)] == [
		(vocabulary.TUTOR_REMINDER, TODAY),
		(vocabulary.TUTOR_SECOND_REMINDER, TODAY + timedelta(days=1)),
		(vocabulary.REMINDERS_UNANSWERED, TODAY + timedelta(days=2)),
	]


def test_tried_no_answer_is_not_the_weekly_contact_and_pauses_the_tutors_reminders():
	set_settings(no_answer_pause_days=3, **LADDER)
	(pairing,) = make_pairings(1)
	log_contact(pairing, days_ago(9))  # the weekly call is overdue since two days
	log_contact(pairing, days_ago(10), kind="In-person meeting")
	log_contact(pairing, TODAY - timedelta(days=1), outcome="Tried, no answer", kind="Message")
	assert frappe.db.get_value("Pairing", pairing, "last_phone_contact") == days_ago(9)

	run_days(0, 1)
	assert compliance_of(pairing) == (OVERDUE, [PHONE])
	assert ladder_logs(pairing) == []  # paused: tried yesterday
	run_days(2, 2)
	assert [rule for rule, _d, _r in ladder_logs(pairing)] == [vocabulary.TUTOR_REMINDER]


def test_three_tries_without_answer_in_a_row_put_the_pairing_on_the_worklist_until_a_contact():
	set_settings(no_answer_worklist_count=3)
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=2)

	def listed():
		return [
			row.counts
			for row in worklist.get_worklist(today=TODAY)
			if row.pairing == pairing and row.reason_key == follow_up.NO_ANSWER_STREAK
		]

	log_contact(pairing, TODAY - timedelta(days=1))
	for days in (6, 4):
		log_contact(pairing, TODAY - timedelta(days=days), outcome="Tried, no answer")
	assert listed() == []  # a contact happened after these two
	log_contact(pairing, TODAY, outcome="Tried, no answer", kind="Message")
	assert listed() == []  # one in a row since the contact
	log_contact(pairing, TODAY, outcome="Tried, no answer")
	log_contact(pairing, TODAY, outcome="Tried, no answer")
	assert listed() == [{"tries": 3}]
	with freeze_time(str(TODAY + timedelta(days=1))):
		log_contact(pairing, TODAY + timedelta(days=1))
	assert listed() == []

	# a try without an answer cannot be a meeting
	try:
		log_contact(pairing, TODAY, outcome="Tried, no answer", kind="In-person meeting")
		raise AssertionError("a meeting without an answer was accepted")
	except frappe.ValidationError:
		pass


def test_staff_contacts_in_the_first_month_and_monthly_after_stay_on_the_worklist_until_logged():
	set_settings(
		first_month_days=30, first_month_staff_contacts=2, staff_contact_cadence_days=30, grace_days=2
	)
	(pairing,) = make_pairings(1)
	set_pairing(pairing, start=5)  # its first month ends on TODAY + 25

	def listed(offset: int = 0):
		return [
			(row.reason_key, row.counts)
			for row in worklist.get_worklist(today=TODAY + timedelta(days=offset))
			if row.pairing == pairing and row.reason_key != follow_up.NO_ANSWER_STREAK
		]

	assert listed() == [(follow_up.FIRST_MONTH, {"done": 0, "required": 2})]
	log_contact(pairing, TODAY - timedelta(days=3), kind="CIAC monitoring meeting", initiated_by="CIAC")
	log_contact(pairing, TODAY - timedelta(days=2))  # the tutor's own call is not a staff contact
	assert listed() == [(follow_up.FIRST_MONTH, {"done": 1, "required": 2})]
	log_contact(pairing, TODAY - timedelta(days=1), initiated_by="CIAC")
	assert listed() == []
	# after the first month, monthly: the next staff contact is due 30 days after the last one
	assert listed(26) == []
	assert listed(27) == [(follow_up.MONTHLY_STAFF_CONTACT, {})]


def test_the_coordinator_step_must_come_after_the_second_reminder():
	settings = frappe.get_single("Tutoring Settings")
	settings.second_reminder_after_days, settings.coordinator_after_days = 7, 7
	try:
		settings.save()
		raise AssertionError("a ladder whose coordinator step comes with the second reminder was saved")
	except frappe.ValidationError:
		pass


def test_a_check_in_that_disagrees_with_the_tutors_log_is_on_the_same_worklist_until_reviewed():
	(pairing,) = make_pairings(1)
	beneficiary = frappe.db.get_value("Pairing", pairing, "beneficiary")
	check_in = frappe.get_doc(
		{
			"doctype": "Beneficiary Check-in",
			"pairing": pairing,
			"beneficiary": beneficiary,
			"period": TODAY,
			"disagreement": "Meeting not confirmed",
		}
	).insert(ignore_permissions=True)

	def reasons():
		return [row.reason_key for row in worklist.get_worklist(today=TODAY) if row.pairing == pairing]

	assert "Meeting not confirmed" in reasons()
	frappe.db.set_value("Beneficiary Check-in", check_in.name, "reviewed", 1)
	assert "Meeting not confirmed" not in reasons()
