"""Scheduled jobs of Beneficiary Voice (hooks.py scheduler_events): thin entry points only."""

from ciac_tutoring.beneficiary_voice import sending
from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)


def send_check_in_links() -> None:
	"""Daily: each due check-in link, by SMS and email."""
	if get_voice_settings().enabled:
		sending.send_due_links()
