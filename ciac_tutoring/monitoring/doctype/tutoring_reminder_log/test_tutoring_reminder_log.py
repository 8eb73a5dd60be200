# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe

from ciac_tutoring.monitoring.mailer import Reminder, queue_reminders


def installed_rights(role: str) -> dict:
	rows = frappe.get_all(
		"DocPerm",
		filters={"parent": "Tutoring Reminder Log", "role": role},
		fields=["read", "write", "create", "delete"],
	)
	return rows[0] if rows else {}


def test_staff_read_the_log_only_the_job_writes_it_and_tutors_have_no_access():
	coordinator, manager = installed_rights("CIAC Coordinator"), installed_rights("CIAC Manager")
	assert coordinator == {"read": 1, "write": 0, "create": 0, "delete": 0}
	assert manager == {"read": 1, "write": 0, "create": 0, "delete": 1}  # deleting one lets it go again
	assert installed_rights("Tutor") == {}  # the portal shows a tutor's notices through its own code


def test_a_key_is_used_once():
	reminder = Reminder(
		key="test:once:2026-W12",
		rule="Weekly digest",
		recipient="someone@ciac.example",
		email={"template": "weekly_digest", "language": "en", "context": {}},
		message="Digest",
		period="2026-W12",
	)
	assert len(queue_reminders([reminder, reminder])) == 1
	assert queue_reminders([reminder]) == []
	assert frappe.db.count("Tutoring Reminder Log", {"key": reminder.key}) == 1
	# The unique index holds even against code that skips the check.
	log = frappe.get_doc("Tutoring Reminder Log", {"key": reminder.key})
	duplicate = frappe.copy_doc(log)
	try:
		duplicate.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		pass
	else:
		raise AssertionError("a second row with the same key was saved")
