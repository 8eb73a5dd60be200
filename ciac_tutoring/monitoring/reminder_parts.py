"""What every reminder rule is built of: its name, its recipients, its notice and its commitments'
lines. The rules themselves are in `reminders` (the daily run), `ladder`, `digest` and
`training_reminders`."""

from functools import lru_cache
from urllib.parse import quote

import frappe
from frappe.utils import formatdate, get_datetime, get_url_to_form, getdate
from frappe.utils.data import get_user_date_format

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_coordinator_recipients

# Recipients are Tutoring Settings' (`get_coordinator_recipients`): the rules import them from here too.
__all__ = ["get_coordinator_recipients"]

PORTAL_ROUTE = "/my-tutoring"


def iso_week(date) -> str:
	year, week, _weekday = getdate(date).isocalendar()
	return f"{year}-W{week:02d}"


def form_urls(doctype: str):
	"""name -> the desk URL of its form, like get_url_to_form (which asks for the site URL each time)."""
	prefix = get_url_to_form(doctype, "")
	return lambda name: prefix + quote(str(name), safe="")


def commitment_state(row: dict, commitment: str) -> str | None:
	"""OVERDUE, DUE_SOON or None for one commitment of a row of ladder.pairings_past_the_first_step."""
	return row[f"{compliance.alias(commitment)}_state"]


def notice(renderer: TemplateRenderer, rule: str, language: str, *parts) -> str:
	"""The short plain text a reminder is listed by (and the tutor portal shows): its rule and what it is about."""
	return f"{renderer.translate(rule, language)}: {' / '.join(str(part) for part in parts if part)}"


def commitments_context(row, due: list[tuple[str, str]], language: str, renderer) -> list[dict]:
	return [
		{
			"label": renderer.translate(commitment, language),
			"overdue": state == compliance.OVERDUE,
			"state": renderer.translate(state, language),
			"due_date": format_date(getdate(row[f"{compliance.alias(commitment)}_due"])),
		}
		for commitment, state in due
	]


def format_date(date) -> str:
	"""A date in the site's format; kept per format, since a worker serves every site of a bench and
	an admin may change the format."""
	return formatted_date(date, get_user_date_format())


@lru_cache(maxsize=512)
def formatted_date(date, date_format: str) -> str:
	# A run formats the same few due dates thousands of times.
	return formatdate(date, date_format)


def format_date_and_time(value) -> str:
	"""When a session starts, as a reminder says it: the site's date and the time to the minute."""
	value = get_datetime(value)
	return f"{format_date(value.date())} {value:%H:%M}"


def commitments_notice(commitments: list[dict], beneficiary_first_name: str, language: str, renderer) -> str:
	"""The short text the tutor portal shows as a notice."""
	items = "; ".join(
		renderer.translate("{0}: overdue since {1}", language).format(c["label"], c["due_date"])
		if c["overdue"]
		else renderer.translate("{0}: due by {1}", language).format(c["label"], c["due_date"])
		for c in commitments
	)
	return renderer.translate("With {0}: {1}", language).format(beneficiary_first_name, items)


# --- recipients -----------------------------------------------------------------------------


def user_recipients(users: list[str | None]) -> list[tuple[str, str | None]]:
	users = [u for u in users if u]
	if not users:
		return []
	return [
		(u.email, u.language)
		for u in frappe.get_all(
			"User", filters={"name": ["in", users], "enabled": 1}, fields=["email", "language"]
		)
		if u.email
	]
