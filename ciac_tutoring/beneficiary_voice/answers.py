"""What a beneficiary's check-in answers do, written once for the page (and the tests).

`save_answers` runs under a lock on the pairing's row (SELECT ... FOR UPDATE): two submissions of
the same link at once are serialised, the second reads what the first committed (locking reads
see the latest rows), amends the same check-in (its name is unique per pairing and period) and
finds the coordinator already alerted. So the alert goes out exactly once.

- Confirmations: "heard from the tutor this week" confirms the calls and messages the tutor
  logged in the last 7 days; "met this month" the meetings of the last 30 days (Contact Log's
  `confirmed_by_beneficiary`).
- Disagreements (the pairing goes on the coordinator's worklist until the check-in is Reviewed):
  "we did not meet" while the tutor logged a meeting in the last 30 days; or "no contact" in the
  last N check-ins (Beneficiary Voice Settings) while the tutor logged calls over those weeks.
- Alerts to the pairing's coordinator (else CIAC's coordinators), email and desk notification:
  "I want to talk to CIAC", or a sad face in this period and the one before; once per period.
"""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime

from ciac_tutoring.beneficiary_voice.alerts import alert_coordinator as notify_coordinator
from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)
from ciac_tutoring.beneficiary_voice.links import CheckinLink

CHECK_IN = "Beneficiary Check-in"
YES, NO = "Yes", "No"
MOODS = ("Good", "So-so", "Sad")
SAD = "Sad"
TEXT_LIMIT = 500
WEEK_DAYS, MONTH_DAYS = 7, 30
# Contacts the tutor logs (never CIAC's monitoring meetings) by what the beneficiary is asked.
HEARD_KINDS = ("Phone or video call", "Message")
MET_KINDS = ("In-person meeting", "Activity or event together")
MEETING_NOT_CONFIRMED, NO_CONTACT_REPORTED = "Meeting not confirmed", "No contact reported"
WANTS_TO_TALK, SAD_TWICE = "Wants to talk to CIAC", "Sad twice in a row"


def check_in_name(pairing: str, period) -> str:
	"""The check-in's name (the DocType's autoname): one per pairing and period."""
	return f"CHK-{pairing}-{getdate(period)}"


def clean_answers(form: dict) -> frappe._dict:
	"""The answers a form may give, anything else dropped."""

	def choice(value, allowed):
		return value if value in allowed else ""

	def text(value):
		return (str(value or "")).strip()[:TEXT_LIMIT]

	return frappe._dict(
		heard_from_tutor=choice(form.get("heard_from_tutor"), (YES, NO)),
		met_this_month=choice(form.get("met_this_month"), (YES, NO)),
		mood=choice(form.get("mood"), MOODS),
		suggestion=text(form.get("suggestion")),
		message_to_ciac=text(form.get("message_to_ciac")),
		wants_to_talk=1 if form.get("wants_to_talk") in ("1", 1, True) else 0,
	)


def period_answers(link: CheckinLink) -> frappe._dict | None:
	"""This link's period's answers (a link reaches no other period's)."""
	return frappe.db.get_value(
		CHECK_IN,
		{"pairing": link.pairing, "period": link.period, "submitted_on": ("is", "set")},
		["heard_from_tutor", "met_this_month", "mood", "suggestion", "message_to_ciac", "wants_to_talk"],
		as_dict=True,
	)


def save_answers(link: CheckinLink, answers: frappe._dict, language: str | None) -> str:
	"""Record the answers (a reused link amends its period's check-in) and act on them."""
	pairing = frappe.db.sql(
		"SELECT name, tutor, coordinator FROM `tabPairing` WHERE name = %s FOR UPDATE",
		link.pairing,
		as_dict=True,
	)[0]
	name = check_in_name(link.pairing, link.period)
	exists = frappe.db.sql(f"SELECT name FROM `tab{CHECK_IN}` WHERE name = %s FOR UPDATE", name)
	if exists:
		doc = frappe.get_doc(CHECK_IN, name, for_update=True)
	else:
		doc = frappe.new_doc(CHECK_IN)
		doc.update({"pairing": link.pairing, "beneficiary": link.beneficiary, "period": link.period})
	doc.update(answers)
	doc.channel = link.channel
	doc.language = language
	doc.submitted_on = now_datetime()
	doc.times_submitted = (doc.times_submitted or 0) + 1
	today = getdate(doc.submitted_on)
	doc.confirmed_contacts = confirm_contacts(link.pairing, answers, today)
	doc.disagreement = find_disagreement(link.pairing, link.period, answers, today)
	reason = alert_reason(link.pairing, link.period, answers)
	alert = bool(reason and not doc.coordinator_alerted_on)
	if alert:
		doc.coordinator_alerted_on, doc.alert_reason = now_datetime(), reason
	doc.flags.ignore_permissions = True
	doc.save() if exists else doc.insert()
	if language:
		frappe.db.set_value("Beneficiary", link.beneficiary, "preferred_language", language)
	if alert:
		alert_coordinator(doc, pairing)
	return doc.name


def tutor_contacts(pairing: str, kinds: tuple, since) -> list[str]:
	return frappe.get_all(
		"Contact Log",
		filters={
			"pairing": pairing,
			"kind": ("in", kinds),
			"initiated_by": ("!=", "CIAC"),
			"contact_date": (">=", since),
		},
		pluck="name",
	)


def confirm_contacts(pairing: str, answers: frappe._dict, today) -> int:
	confirmed = []
	if answers.heard_from_tutor == YES:
		confirmed += tutor_contacts(pairing, HEARD_KINDS, add_days(today, -WEEK_DAYS))
	if answers.met_this_month == YES:
		confirmed += tutor_contacts(pairing, MET_KINDS, add_days(today, -MONTH_DAYS))
	if confirmed:
		log = frappe.qb.DocType("Contact Log")
		frappe.qb.update(log).set(log.confirmed_by_beneficiary, 1).where(log.name.isin(confirmed)).run()
	return len(confirmed)


def find_disagreement(pairing: str, period: str, answers: frappe._dict, today) -> str:
	if answers.met_this_month == NO and tutor_contacts(pairing, MET_KINDS, add_days(today, -MONTH_DAYS)):
		return MEETING_NOT_CONFIRMED
	if answers.heard_from_tutor != NO:
		return ""
	needed = get_voice_settings().no_contact_check_ins or 1
	earlier = frappe.get_all(
		CHECK_IN,
		filters={"pairing": pairing, "period": ("<", period), "submitted_on": ("is", "set")},
		fields=["period", "heard_from_tutor"],
		order_by="period desc",
		limit=needed - 1,
	)
	if len(earlier) < needed - 1 or any(row.heard_from_tutor != NO for row in earlier):
		return ""
	since = add_days(min([getdate(period), *(getdate(row.period) for row in earlier)]), -WEEK_DAYS)
	return NO_CONTACT_REPORTED if tutor_contacts(pairing, HEARD_KINDS, since) else ""


def alert_reason(pairing: str, period: str, answers: frappe._dict) -> str:
	if answers.wants_to_talk:
		return WANTS_TO_TALK
	if answers.mood != SAD:
		return ""
	previous = frappe.get_all(
		CHECK_IN,
		filters={"pairing": pairing, "period": ("<", period), "submitted_on": ("is", "set")},
		pluck="mood",
		order_by="period desc",
		limit=1,
	)
	return SAD_TWICE if previous and previous[0] == SAD else ""


def alert_coordinator(doc, pairing: frappe._dict) -> None:
	"""Email and desk notification to the pairing's coordinator, else to CIAC's coordinators."""
	beneficiary_name = frappe.db.get_value("Pairing", doc.pairing, "beneficiary_name")

	def subject_in(language):
		return _("{0} asks CIAC for attention ({1})", lang=language).format(
			beneficiary_name, _(doc.alert_reason, lang=language)
		)

	notify_coordinator(
		pairing.coordinator, CHECK_IN, doc.name, subject_in, doc.message_to_ciac, "Open the check-in"
	)


SUGGESTIONS_SHOWN = 3


def suggestions_for(pairings: list[str]) -> dict[str, list[frappe._dict]]:
	"""The latest suggestions of things to do together, per pairing: the only answers a tutor sees
	(the portal passes only the logged-in tutor's own pairings)."""
	if not pairings:
		return {}
	CheckIn = frappe.qb.DocType(CHECK_IN)
	rows = (
		frappe.qb.from_(CheckIn)
		.select(CheckIn.pairing, CheckIn.period, CheckIn.suggestion)
		.where(CheckIn.pairing.isin(pairings))
		.where(CheckIn.suggestion.notnull() & (CheckIn.suggestion != ""))
		.orderby(CheckIn.period, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	shown: dict[str, list] = {}
	for row in rows:
		if len(shown.setdefault(row.pairing, [])) < SUGGESTIONS_SHOWN:
			shown[row.pairing].append(frappe._dict(period=row.period, suggestion=row.suggestion))
	return shown
