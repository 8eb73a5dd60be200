"""The daily monitoring job and its reminders, on fixed dates (freezegun), against the real site."""

import email
from datetime import timedelta

import frappe
from frappe.utils import formatdate, get_datetime, getdate
from freezegun import freeze_time

from ciac_tutoring import tasks
from ciac_tutoring.monitoring import digest, mailer, reminder_parts, reminders
from ciac_tutoring.monitoring.compliance import DUE_SOON, MEETING, MONITORING, ON_TRACK, OVERDUE, PHONE
from ciac_tutoring.tests.factory import make_pairing, make_tutor
from ciac_tutoring.tests.query_counter import count_queries
from ciac_tutoring.tutoring import vocabulary

TODAY = getdate("2026-03-16")  # a Monday
COORDINATOR = "coordinator.monitoring@ciac.example"


def days_ago(days: int):
	return TODAY - timedelta(days=days)


def make_pairings(count: int, training_sessions: int = 0) -> list[str]:
	"""Active pairings of the coordinator, every one of them On track until a test says otherwise,
	without contacts: each test states the last contacts it needs (set_pairing), and a contact
	logged by a test recomputes them from the logs. With `training_sessions`, a third of them
	(at least one) are planned weekly from tomorrow, the pairings' tutors registered."""
	coordinator = make_coordinator()
	names = [
		make_pairing(
			tutor=make_tutor(phase="Tutoring Started").name,
			status="Active",
			start_date=days_ago(60),
			coordinator=coordinator,
		).name
		for _ in range(count)
	]
	for name in names:
		set_pairing(name)
	tutors = frappe.get_all("Pairing", {"name": ["in", names]}, ["tutor", "tutor_name"]) if names else []
	for week in range(max(1, training_sessions // 3) if training_sessions else 0):
		starts_on = f"{TODAY + timedelta(days=1 + 7 * week)} 18:00:00"
		session = frappe.get_doc(
			{
				"doctype": "Training Session",
				"title": f"Tutor training {week + 1}",
				"starts_on": starts_on,
				"ends_on": f"{TODAY + timedelta(days=1 + 7 * week)} 20:00:00",
				"location": "CIAC, Parma",
				"capacity": 20,
				"status": "Planned",
				"attendees": [
					{
						"tutor": t.tutor,
						"tutor_name": t.tutor_name,
						"registered_on": TODAY,
						"attendance": "Registered",
					}
					for t in tutors
				],
			}
		)
		# written as stored: the session lies in the fixed past of TODAY, which its save would refuse
		session.set_new_name()
		session.db_insert()
		for row in session.attendees:
			row.parent, row.parenttype, row.parentfield = session.name, "Training Session", "attendees"
			row.db_insert()
	return names


def set_pairing(name: str, phone=3, meeting=10, monitoring=20, start=60, per_week=1, per_month=1, **values):
	"""Days since each last contact (None: never) and the agreed frequencies of a pairing."""
	frappe.db.set_value(
		"Pairing",
		name,
		{
			"start_date": days_ago(start),
			"last_phone_contact": None if phone is None else days_ago(phone),
			"last_meeting": None if meeting is None else days_ago(meeting),
			"last_monitoring": None if monitoring is None else days_ago(monitoring),
			"phone_contacts_per_week": per_week,
			"meetings_per_month": per_month,
			"compliance_status": ON_TRACK,
			"late_commitments": None,
			"overdue_since": None,
			**values,
		},
		update_modified=False,
	)


def set_settings(**values):
	defaults = {
		"phone_contact_cadence_days": 7,
		"meeting_cadence_days": 30,
		"monitoring_cadence_days": 90,
		"grace_days": 2,
		"remind_tutors": 1,
		"notify_coordinator_overdue": 1,
		"send_weekly_digest": 1,
		"remind_training_attendees": 1,
		"coordinator_email": None,
		"second_reminder_after_days": 5,
		"coordinator_after_days": 12,
		"no_answer_pause_days": 3,
		"no_answer_worklist_count": 3,
		"first_month_days": 30,
		"first_month_staff_contacts": 2,
		"staff_contact_cadence_days": 30,
	}
	frappe.db.set_single_value("Tutoring Settings", {**defaults, **values})


def make_coordinator() -> str:
	if not frappe.db.exists("User", COORDINATOR):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": COORDINATOR,
				"first_name": "Coordinatrice",
				"send_welcome_email": 0,
				"roles": [{"role": "CIAC Coordinator"}],
			}
		).insert(ignore_permissions=True)
	return COORDINATOR


def compliance_of(name: str) -> tuple[str, list[str]]:
	status, late = frappe.db.get_value("Pairing", name, ["compliance_status", "late_commitments"])
	return status, (late or "").splitlines()


def overdue_since(pairing: str):
	return getdate(frappe.db.get_value("Pairing", pairing, "overdue_since"))


def logs_by_rule(pairings=None) -> dict:
	filters = {"pairing": ["in", pairings]} if pairings else {}
	rows = frappe.get_all(
		"Tutoring Reminder Log", filters=filters, fields=["rule", "count(*) as n"], group_by="rule"
	)
	return {row.rule: row.n for row in rows}


def email_html(email_queue) -> str:
	"""The HTML part of a queued email, decoded."""
	message = email.message_from_string(email_queue.message)
	return next(
		part.get_payload(decode=True).decode()
		for part in message.walk()
		if part.get_content_type() == "text/html"
	)


def run_daily_job():
	with freeze_time(str(TODAY)):
		tasks.daily()


# --- compliance status ----------------------------------------------------------------------


def test_each_status_from_the_last_contacts_and_the_start_date():
	set_settings()
	(
		on_track,
		phone_due_soon,
		meeting_overdue,
		monitoring_overdue,
		twice_a_week,
		never_contacted,
		overdue_and_due_soon,
		suspended,
	) = make_pairings(8)
	set_pairing(phone_due_soon, phone=6)  # due tomorrow: within the 2 grace days
	set_pairing(meeting_overdue, meeting=31)
	set_pairing(monitoring_overdue, monitoring=91)
	set_pairing(twice_a_week, phone=4, per_week=2)  # one call every 3 days
	set_pairing(never_contacted, phone=None, meeting=None, monitoring=None, start=8)
	set_pairing(overdue_and_due_soon, phone=8, meeting=29)
	set_pairing(suspended, phone=40, status="Suspended", compliance_status=OVERDUE, late_commitments=PHONE)

	run_daily_job()

	assert compliance_of(on_track) == (ON_TRACK, [])
	assert compliance_of(phone_due_soon) == (DUE_SOON, [PHONE])
	assert compliance_of(meeting_overdue) == (OVERDUE, [MEETING])
	assert compliance_of(monitoring_overdue) == (OVERDUE, [MONITORING])
	assert compliance_of(twice_a_week) == (OVERDUE, [PHONE])
	assert compliance_of(never_contacted) == (OVERDUE, [PHONE])  # counted from the start date
	assert compliance_of(overdue_and_due_soon) == (OVERDUE, [PHONE])  # only what is late
	assert compliance_of(suspended) == ("", [])  # a suspended pairing is not "overdue"
	# The day each fell behind: the day after its earliest commitment fell due.
	assert overdue_since(never_contacted) == days_ago(0)  # the call was due a week after the start
	assert overdue_since(overdue_and_due_soon) == days_ago(0)
	assert overdue_since(monitoring_overdue) == days_ago(0)
	assert [
		frappe.db.get_value("Pairing", p, "overdue_since") for p in (on_track, phone_due_soon, suspended)
	] == [None] * 3
	assert getdate(frappe.db.get_value("Pairing", on_track, "compliance_checked_on")) == TODAY


def test_the_status_follows_a_cadence_changed_in_the_settings():
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=10)

	set_settings()
	run_daily_job()
	assert compliance_of(pairing) == (OVERDUE, [PHONE])

	set_settings(phone_contact_cadence_days=14)  # due in 4 days, beyond the 2 grace days
	run_daily_job()
	assert compliance_of(pairing) == (ON_TRACK, [])

	set_settings(phone_contact_cadence_days=14, grace_days=5)
	run_daily_job()
	assert compliance_of(pairing) == (DUE_SOON, [PHONE])


def test_the_agreed_meetings_per_month_shorten_the_meeting_cadence():
	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, meeting=16, per_month=2)
	run_daily_job()
	assert compliance_of(pairing) == (OVERDUE, [MEETING])


# --- reminders ------------------------------------------------------------------------------


def test_running_the_jobs_twice_sends_exactly_one_reminder_per_rule():
	set_settings()
	make_coordinator()
	pairings = make_pairings(4, training_sessions=3)  # the one upcoming session is tomorrow
	due_soon, becomes_overdue, on_track, _other = pairings
	set_pairing(due_soon, phone=6)
	set_pairing(becomes_overdue, phone=9)
	set_pairing(on_track, phone=None, meeting=None, monitoring=None, start=3)  # its call today keeps it so
	registered = frappe.db.sql(
		"""SELECT COUNT(*) FROM `tabTraining Attendance` a JOIN `tabTraining Session` s ON s.name = a.parent
		WHERE s.status = 'Planned' AND DATE(s.starts_on) = %s AND a.attendance = 'Registered'""",
		TODAY + timedelta(days=1),
	)[0][0]
	assert registered
	queued_before = frappe.db.count("Email Queue")

	for _run in range(2):
		run_daily_job()
		with freeze_time(str(TODAY)):
			tasks.weekly()
			for _log in range(2):  # two worrying contacts on the same day: one alert
				frappe.get_doc(
					{
						"doctype": "Contact Log",
						"pairing": on_track,
						"contact_date": TODAY,
						"kind": "Phone or video call",
						"wellbeing": "Needs CIAC attention",
						"notes": "Lost the room at the reception centre",
					}
				).insert(ignore_permissions=True)

	mailer.send_pending_emails(commit=False)  # the background job, after the commit
	coordinators = len(reminder_parts.get_coordinator_recipients())
	assert logs_by_rule(pairings) == {
		vocabulary.TUTOR_REMINDER: 2,
		vocabulary.PAIRING_OVERDUE: 1,
		vocabulary.NEEDS_ATTENTION: 1,
	}
	all_logs = logs_by_rule()
	assert all_logs[vocabulary.TRAINING_REMINDER] == registered
	# each names its session's start in the site's date format (they had a format of their own)
	reminders = frappe.get_all(
		"Tutoring Reminder Log", {"rule": vocabulary.TRAINING_REMINDER}, ["reference_name", "message"]
	)
	for reminder in reminders:
		starts = get_datetime(frappe.db.get_value("Training Session", reminder.reference_name, "starts_on"))
		assert f"{formatdate(starts)} {starts:%H:%M}" in reminder.message
	assert all_logs[vocabulary.WEEKLY_DIGEST] == coordinators
	sent = 2 + 1 + 1 + registered + coordinators
	assert frappe.db.count("Email Queue") - queued_before == sent
	assert frappe.db.count("Tutoring Reminder Log", {"email_queue": ["is", "set"]}) == sent


def test_reminders_go_to_the_right_people_with_the_right_content():
	set_settings()
	coordinator = make_coordinator()
	due_soon, becomes_overdue = make_pairings(2)
	set_pairing(due_soon, phone=6)
	set_pairing(becomes_overdue, meeting=35, coordinator=coordinator)
	run_daily_job()
	mailer.send_pending_emails(commit=False)

	tutor, beneficiary = frappe.db.get_value("Pairing", due_soon, ["tutor", "beneficiary"])
	first_name, last_name = frappe.db.get_value("Beneficiary", beneficiary, ["first_name", "last_name"])
	tutor_email = frappe.db.get_value("Tutor", tutor, "email")
	notice = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": due_soon, "rule": vocabulary.TUTOR_REMINDER},
		fields=["tutor", "recipient", "message", "period", "email_queue", "subject"],
	)[0]
	assert notice.tutor == tutor
	assert notice.recipient == tutor_email
	# the tutor knows the beneficiary by first name only, in the notice and in the email
	assert first_name in notice.message and PHONE in notice.message
	assert last_name not in notice.message
	queued = frappe.get_doc("Email Queue", notice.email_queue)
	for text in (notice.subject, email_html(queued)):
		assert first_name in text and last_name not in text
	assert notice.period == "2026-03-17"  # the stretch of the call due tomorrow (see ladder.py)
	assert [r.recipient for r in queued.recipients] == [tutor_email]
	assert queued.status == "Not Sent"

	alert = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": becomes_overdue, "rule": vocabulary.PAIRING_OVERDUE},
		fields=["recipient", "tutor", "subject"],
	)
	assert [(a.recipient, a.tutor) for a in alert] == [(coordinator, None)]  # not a tutor's notice
	overdue_name = frappe.db.get_value("Pairing", becomes_overdue, "beneficiary_name")
	assert overdue_name in alert[0].subject  # coordinators keep the full name


def overdue_alerts(pairing: str) -> list[str]:
	return frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": vocabulary.PAIRING_OVERDUE},
		pluck="period",
		order_by="period",
	)


def test_the_coordinator_hears_once_each_time_a_pairing_falls_behind():
	set_settings()
	coordinator = make_coordinator()
	pairing, stored_during_the_day = make_pairings(2)
	set_pairing(pairing, phone=10, coordinator=coordinator)  # due 3 days ago: Overdue since 2 days
	# Overdue too, and stored so by a save during the day (a Contact Log or the desk), before the run.
	set_pairing(stored_during_the_day, meeting=33, coordinator=coordinator, compliance_status=OVERDUE)
	run_daily_job()
	assert overdue_alerts(pairing) == [str(days_ago(2))]  # the day it became Overdue
	assert overdue_alerts(stored_during_the_day) == [str(days_ago(2))]

	for days_later in (1, 2):  # still behind on the next days: not again
		with freeze_time(str(TODAY + timedelta(days=days_later))):
			tasks.daily()
	assert overdue_alerts(pairing) == [str(days_ago(2))]

	# The call comes (the pairing catches up), then none for ten days: a new alert.
	set_pairing(pairing, phone=0, coordinator=coordinator)
	run_daily_job()
	assert frappe.db.get_value("Pairing", pairing, ["compliance_status", "overdue_since"]) == (ON_TRACK, None)
	with freeze_time(str(TODAY + timedelta(days=10))):
		tasks.daily()
	assert overdue_alerts(pairing) == [str(days_ago(2)), str(TODAY + timedelta(days=8))]


def test_catching_up_on_one_commitment_while_another_is_late_is_not_a_new_alert():
	set_settings()
	coordinator = make_coordinator()
	(pairing,) = make_pairings(1)
	# The call is late since 2 days ago, the meeting since today.
	set_pairing(pairing, phone=10, meeting=31, coordinator=coordinator)
	run_daily_job()
	assert overdue_alerts(pairing) == [str(days_ago(2))]
	assert overdue_since(pairing) == days_ago(2)

	# The tutor logs the call the next day; the meeting is still late: behind all along.
	tomorrow = TODAY + timedelta(days=1)
	with freeze_time(str(tomorrow)):
		frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": tomorrow,
				"kind": "Phone or video call",
				"initiated_by": "Tutor",
				"duration_minutes": 20,
				"wellbeing": "Fine",
			}
		).insert()
		assert compliance_of(pairing) == (OVERDUE, [MEETING])
		tasks.daily()
	assert overdue_since(pairing) == days_ago(2)
	assert overdue_alerts(pairing) == [str(days_ago(2))]


def test_a_pairing_saved_from_a_form_opened_earlier_keeps_its_overdue_day():
	set_settings()
	coordinator = make_coordinator()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=10, meeting=31, coordinator=coordinator)
	form_opened_before_the_run = frappe.get_doc("Pairing", pairing)  # On track, no overdue day
	run_daily_job()
	assert overdue_since(pairing) == days_ago(2)
	# The call is logged (the meeting is still late), then the form is saved with its notes.
	with freeze_time(str(TODAY)):
		frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": TODAY,
				"kind": "Phone or video call",
				"initiated_by": "Tutor",
				"duration_minutes": 20,
				"wellbeing": "Fine",
			}
		).insert()
		form_opened_before_the_run.notes = "Talked with the tutor"
		form_opened_before_the_run.save()
	# Behind since the same day: the stale form does not re-date it (to the meeting's due day here).
	assert overdue_since(pairing) == days_ago(2)
	assert compliance_of(pairing) == (OVERDUE, [MEETING])
	# and the saved form shows what was stored, not what it had loaded
	form = form_opened_before_the_run
	assert (form.compliance_status, getdate(form.overdue_since)) == (OVERDUE, days_ago(2))
	run_daily_job()
	assert overdue_alerts(pairing) == [str(days_ago(2))]


def test_an_alert_sent_before_the_key_held_the_overdue_day_is_not_repeated():
	set_settings()
	coordinator = make_coordinator()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=10, coordinator=coordinator)  # Overdue since 2 days
	# What a run of an earlier version wrote yesterday: the key and period held the run's day.
	frappe.get_doc(
		{
			"doctype": "Tutoring Reminder Log",
			"key": f"pairing_overdue:{pairing}:{days_ago(1)}:{coordinator}",
			"rule": vocabulary.PAIRING_OVERDUE,
			"period": str(days_ago(1)),
			"pairing": pairing,
			"recipient": coordinator,
			"email_status": mailer.QUEUED,
		}
	).insert(ignore_permissions=True)
	run_daily_job()
	assert overdue_alerts(pairing) == [str(days_ago(1))]


def test_an_admins_template_edit_is_used_and_survives_migrate_steps():
	from ciac_tutoring.monitoring.email_templates import ensure_email_templates

	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=6)
	frappe.db.set_value("Email Template", "CIAC Tutor Reminder - en", "subject", "Ciao {{ tutor_name }}!")
	frappe.db.set_value("System Settings", None, "language", "en")
	frappe.clear_cache()
	ensure_email_templates()

	run_daily_job()
	mailer.send_pending_emails(commit=False)
	subject = frappe.db.get_value("Tutoring Reminder Log", {"pairing": pairing}, "subject")
	tutor_name = frappe.db.get_value("Pairing", pairing, "tutor_name")
	assert subject == f"Ciao {tutor_name}!"


def test_each_switch_in_the_settings_turns_its_reminders_off():
	set_settings(
		remind_tutors=0, notify_coordinator_overdue=0, send_weekly_digest=0, remind_training_attendees=0
	)
	make_coordinator()
	pairings = make_pairings(2, training_sessions=3)
	set_pairing(pairings[0], phone=9)
	run_daily_job()
	with freeze_time(str(TODAY)):
		tasks.weekly()
	assert compliance_of(pairings[0])[0] == OVERDUE  # the status is still kept
	assert frappe.db.count("Tutoring Reminder Log") == 0


# --- cost -----------------------------------------------------------------------------------


def test_the_jobs_statement_count_does_not_grow_with_the_number_of_pairings():
	def statements_of_a_daily_run(pairings: int) -> int:
		set_settings()
		make_coordinator()
		names = make_pairings(pairings)
		for index, name in enumerate(names):  # every pairing due or overdue: reminders for all
			set_pairing(name, phone=6 if index % 2 else 9)
		with freeze_time(str(TODAY)), count_queries() as queries:
			sent = reminders.run_daily_monitoring()
		assert sent[vocabulary.TUTOR_REMINDER] == pairings
		frappe.db.rollback()
		return len(queries)

	statements_of_a_daily_run(3)  # warms Frappe's caches
	assert statements_of_a_daily_run(60) == statements_of_a_daily_run(6)


def test_reminders_wait_for_the_background_job_which_queues_their_emails_through_frappe():
	set_settings()
	pairings = make_pairings(3)
	for name in pairings:
		set_pairing(name, phone=9)
	queued_before = frappe.db.count("Email Queue")

	run_daily_job()
	pending = {"pairing": ["in", pairings], "rule": vocabulary.TUTOR_REMINDER, "email_status": "Pending"}
	assert frappe.db.count("Tutoring Reminder Log", pending) == 3  # recorded, the emails not built yet
	assert frappe.db.count("Email Queue") == queued_before

	waiting = frappe.db.count("Tutoring Reminder Log", {"email_status": "Pending"})  # the coordinator's too
	assert mailer.send_pending_emails(commit=False, batch=2) == waiting
	assert frappe.db.count("Tutoring Reminder Log", {"email_status": "Pending"}) == 0
	assert frappe.db.count("Email Queue") == queued_before + waiting
	assert mailer.send_pending_emails(commit=False) == 0
	log = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairings[0]},
		fields=["name", "email_queue", "email_status", "recipient"],
	)[0]
	queued = frappe.get_doc("Email Queue", log.email_queue)
	assert (log.email_status, queued.reference_doctype, queued.reference_name) == (
		"Queued",
		"Tutoring Reminder Log",
		log.name,
	)
	assert [r.recipient for r in queued.recipients] == [log.recipient]


def test_without_an_outgoing_account_the_job_keeps_its_statuses_and_the_emails_wait():
	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=9)
	with emails_not_muted():
		run_daily_job()  # decides and records; building emails is the background job's
		assert compliance_of(pairing) == (OVERDUE, [PHONE])
		errors_before = frappe.db.count("Error Log")
		assert mailer.send_pending_emails(commit=False) == 0
	waiting = frappe.db.count("Tutoring Reminder Log", {"pairing": pairing, "email_status": "Pending"})
	assert waiting >= 1  # the tutor's reminder, and the coordinators' alert
	assert frappe.db.count("Error Log") == errors_before + 1
	assert frappe.db.get_single_value("Tutoring Settings", "last_email_problem")

	assert mailer.send_pending_emails(commit=False) >= 1  # an account again (here: muted emails)
	assert frappe.db.count("Tutoring Reminder Log", {"pairing": pairing, "email_status": "Queued"}) == waiting
	assert not frappe.db.get_single_value("Tutoring Settings", "last_email_problem")


def test_a_broken_email_template_neither_blocks_a_contact_log_nor_stops_the_alert():
	make_coordinator()
	set_settings()
	(pairing,) = make_pairings(1)
	for language in ("it", "en"):
		frappe.db.set_value(
			"Email Template", f"CIAC Needs Attention - {language}", "subject", "{{ broken"
		)  # an admin's typo
	errors_before = frappe.db.count("Error Log")
	with freeze_time(str(TODAY)):
		log = frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": TODAY,
				"kind": "Phone or video call",
				"wellbeing": "Needs CIAC attention",
			}
		).insert(ignore_permissions=True)
	assert frappe.db.exists("Contact Log", log.name)
	mailer.send_pending_emails(commit=False)
	alerts = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": vocabulary.NEEDS_ATTENTION},
		pluck="subject",
	)
	assert alerts and all(subject and "{{" not in subject for subject in alerts)  # the shipped text
	assert frappe.db.count("Error Log") > errors_before


class emails_not_muted:
	"""A site with no outgoing Email Account where emails are not muted (production without setup)."""

	def __enter__(self):
		self.conf, self.flag = frappe.local.conf.get("mute_emails"), frappe.flags.mute_emails
		frappe.local.conf.mute_emails, frappe.flags.mute_emails = 0, False
		frappe.local.outgoing_email_account = {}
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)

	def __exit__(self, *exc):
		frappe.local.conf.mute_emails, frappe.flags.mute_emails = self.conf, self.flag
		frappe.local.outgoing_email_account = {}


def test_the_weekly_digest_lists_what_coordinators_must_act_on():
	from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

	set_settings()
	overdue, ending, monitoring_due = make_pairings(3)
	set_pairing(overdue, phone=9)
	set_pairing(ending, planned_end_date=TODAY + timedelta(days=20))
	set_pairing(monitoring_due, monitoring=88)  # due in 2 days
	beneficiary = frappe.db.get_value("Pairing", ending, "beneficiary")
	frappe.db.set_value("Beneficiary", beneficiary, "residence_permit_expiry", TODAY + timedelta(days=45))
	waiting_tutor = frappe.db.get_value("Pairing", overdue, "tutor")
	frappe.db.set_value(
		"Tutor",
		waiting_tutor,
		{"workflow_state": "Availability Notified", "phase_changed_on": TODAY - timedelta(days=20)},
	)
	run_daily_job()

	context = digest.get_digest_context(TODAY, get_settings())

	def names(key):
		return {row.name for row in context[key]}

	assert overdue in names("overdue_pairings") and ending not in names("overdue_pairings")
	assert ending in names("ending_pairings") and overdue not in names("ending_pairings")
	assert monitoring_due in names("monitoring_due")
	assert beneficiary in names("expiring_permits")
	assert waiting_tutor in names("waiting_tutors")
	assert context["week"] == "2026-W12"


def test_a_tutor_logging_a_worrying_contact_from_the_portal_alerts_the_coordinator_in_italian():
	coordinator = make_coordinator()
	frappe.db.set_value("User", coordinator, "language", "it")
	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, coordinator=coordinator)
	tutor = frappe.get_doc("Tutor", frappe.db.get_value("Pairing", pairing, "tutor"))
	tutor_user = tutor.activate_portal_user(send_welcome_email=False)

	frappe.set_user(tutor_user)
	with freeze_time(str(TODAY)):
		frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": TODAY,
				"kind": "In-person meeting",
				"wellbeing": "Needs CIAC attention",
			}
		).insert(ignore_permissions=True)  # as the portal's endpoint inserts it
	frappe.set_user("Administrator")
	assert (
		frappe.db.get_value(
			"Tutoring Reminder Log",
			{"pairing": pairing, "rule": vocabulary.NEEDS_ATTENTION},
			"email_status",
		)
		== "Pending"
	)  # the email is rendered and queued in the background, after the commit
	mailer.send_pending_emails(commit=False)

	alert = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"pairing": pairing, "rule": vocabulary.NEEDS_ATTENTION},
		fields=["recipient", "subject", "tutor", "email_status"],
	)
	assert len(alert) == 1
	assert alert[0].recipient == coordinator and alert[0].tutor is None
	assert alert[0].subject.startswith("Richiede attenzione CIAC")
	assert alert[0].email_status == "Queued"


def test_a_reminders_dates_follow_the_sites_format_when_it_changes():
	"""The formatted dates are kept per format: a worker serves every site of a bench."""
	day = getdate("2026-12-18")
	previous = getattr(frappe.local, "user_date_format", None)
	try:
		frappe.local.user_date_format = "yyyy-mm-dd"
		assert reminder_parts.format_date(day) == "2026-12-18"
		frappe.local.user_date_format = "dd/mm/yyyy"
		assert reminder_parts.format_date(day) == "18/12/2026"
		assert reminder_parts.format_date_and_time("2026-12-18 18:30:00") == "18/12/2026 18:30"
	finally:
		frappe.local.user_date_format = previous
