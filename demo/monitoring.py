"""Demo step: programme volume from the data generator, then the monitoring jobs, so the desk
shows compliance statuses, reminders and notices. Safe to run again: it tops up to a fixed size."""

import frappe

from ciac_tutoring.monitoring.digest import send_weekly_digest
from ciac_tutoring.monitoring.mailer import send_pending_emails
from ciac_tutoring.monitoring.reminders import run_daily_monitoring
from demo.data_generator import generate_programme_data

DEMO_ACTIVE_PAIRINGS = 60


def load() -> None:
	missing = DEMO_ACTIVE_PAIRINGS - frappe.db.count("Pairing", {"status": "Active"})
	if missing > 0:
		generate_programme_data(missing, months=12, seed=5, training_sessions=4)
	run_daily_monitoring()
	send_weekly_digest()
	send_pending_emails(commit=False)
