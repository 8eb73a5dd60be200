"""Scheduled jobs (registered in hooks.py `scheduler_events`): thin entry points only."""

from ciac_tutoring.monitoring import digest, mailer, reminders


def hourly() -> None:
	"""Emails of reminders still Pending (a background email job that failed or never ran)."""
	mailer.send_pending_emails()


def daily() -> None:
	"""Compliance of every Active pairing, reminders to tutors and coordinators, training reminders."""
	reminders.run_daily_monitoring()


def weekly() -> None:
	"""The coordinators' digest."""
	digest.send_weekly_digest()
