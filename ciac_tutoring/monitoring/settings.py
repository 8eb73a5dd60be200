"""Tutoring Settings as the monitoring reads them: one query, contract defaults for unset values."""

import frappe
from frappe.utils import cint

DEFAULTS = {
	"phone_contact_cadence_days": 7,
	"meeting_cadence_days": 30,
	"monitoring_cadence_days": 90,
	"grace_days": 2,
	"interview_waiting_days": 14,
	"permit_expiry_window_days": 60,
	"pairing_ending_window_days": 30,
	"remind_tutors": 1,
	"notify_coordinator_overdue": 1,
	"send_weekly_digest": 1,
	"remind_training_attendees": 1,
	"coordinator_role": "CIAC Coordinator",
	"coordinator_email": "",
}


def get_monitoring_settings() -> frappe._dict:
	stored = frappe.db.get_singles_dict("Tutoring Settings")
	settings = frappe._dict()
	for field, default in DEFAULTS.items():
		value = stored.get(field)
		if value in (None, ""):
			value = default
		settings[field] = cint(value) if isinstance(default, int) else value
	# A zero cadence would make every pairing overdue every day.
	for field in ("phone_contact_cadence_days", "meeting_cadence_days", "monitoring_cadence_days"):
		settings[field] = max(settings[field], 1)
	settings.grace_days = max(settings.grace_days, 0)
	return settings
