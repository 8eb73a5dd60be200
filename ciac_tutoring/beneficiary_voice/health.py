"""The relationship's health, both sides (issue 26): a short questionnaire every N months to the
tutor (portal) and the beneficiary (her check-in link), one Relationship Health record per pairing,
period and side, a score 0-100, and an alert to the pairing's coordinator on a sharp drop or when
the two sides diverge. The one owner of these rules: the portal, the check-in page, the reports and
the privacy code call here.

Periods: quarter k (k >= 1) starts on add_months(start, k * N); nothing is asked in the first N
months. The tutor answers the current quarter's questionnaire any time within it; the beneficiary
gets it with the first check-in period starting on or after the quarter's first day. Answering
again within the period amends the record.

Exactly once: `save_health_answers` locks the pairing's row (SELECT ... FOR UPDATE) before reading
whether this pairing's period already alerted, and reads the scores it compares with locking reads
(a plain read would see the snapshot taken before the lock was granted).
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Avg
from frappe.utils import add_days, add_months, flt, getdate, now_datetime

from ciac_tutoring.beneficiary_voice.alerts import alert_coordinator
from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)

HEALTH = "Relationship Health"
QUESTION = "Relationship Health Question"
SETTINGS = "Beneficiary Voice Settings"
TUTOR, BENEFICIARY = "Tutor", "Beneficiary"
SCALE = (1, 2, 3, 4, 5)
ANSWERING_STATUSES = ("Active",)  # the tutor's questionnaire opens only on an Active pairing
SHARP_DROP, SIDES_DIVERGE = "Sharp drop", "The two sides diverge"
# The scale's words: agreement for the tutor (as the mentor scale), plain words for her.
SCALE_WORDS = {
	TUTOR: ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"),
	BENEFICIARY: ("Not at all", "Not really", "Partly", "Yes", "Very much"),
}

# Shipped once (install/migrate, only while the table is empty): adapted to adults from the NMRC
# Strength of Relationship scales (mentor 14 items, mentee 10; docs/beneficiary-voice.md).
DEFAULT_QUESTIONS = (
	(TUTOR, "I enjoy the time I spend with the person I accompany.", 0),
	(TUTOR, "I feel close to the person I accompany.", 0),
	(TUTOR, "We agree on what to do together.", 0),
	(TUTOR, "I feel frustrated with how little has changed since we started.", 1),
	(TUTOR, "It is hard for me to find the time to meet.", 1),
	(BENEFICIARY, "My tutor has good ideas when I have a problem.", 0),
	(BENEFICIARY, "I can count on my tutor.", 0),
	(BENEFICIARY, "I like the time I spend with my tutor.", 0),
	(BENEFICIARY, "When I am with my tutor, I feel ignored.", 1),
)


def ensure_default_questions() -> None:
	"""Install/migrate step: the shipped questions, only when the table is empty (admins' edits stay)."""
	if frappe.db.exists(QUESTION, {"parenttype": SETTINGS, "parentfield": "health_questions"}):
		return
	# Rows written directly: saving the whole Single would also validate (and store) its other values.
	for index, (side, question, reverse) in enumerate(DEFAULT_QUESTIONS, start=1):
		frappe.get_doc(
			{
				"doctype": QUESTION,
				"parent": SETTINGS,
				"parenttype": SETTINGS,
				"parentfield": "health_questions",
				"idx": index,
				"side": side,
				"question": question,
				"reverse_scored": reverse,
			}
		).db_insert()


def questions_for(side: str) -> list[frappe._dict]:
	return frappe.get_all(
		QUESTION,
		filters={"parenttype": SETTINGS, "parentfield": "health_questions", "side": side},
		fields=["name", "question", "reverse_scored"],
		order_by="idx",
	)


def quarter_start(started, day, months: int):
	"""The first day of the quarter (k >= 1) that `day` falls in, or None in the first N months."""
	started, day = getdate(started), getdate(day)
	elapsed = (day.year - started.year) * 12 + day.month - started.month
	k = elapsed // months
	while k >= 1 and getdate(add_months(started, k * months)) > day:
		k -= 1
	return getdate(add_months(started, k * months)) if k >= 1 else None


# A pairing's start: its start date, else the day it was proposed.
STARTED = "COALESCE(start_date, DATE(creation))"


def pairing_started(pairing: str):
	return frappe.db.sql(f"SELECT {STARTED} FROM `tabPairing` WHERE name = %s", pairing)[0][0]


def open_tutor_periods(pairings: list[str], today=None) -> dict:
	"""{pairing: quarter} for the pairings whose tutor has a questionnaire to answer now: Active
	and past their first N months. One query, whatever the number of pairings."""
	if not pairings:
		return {}
	rows = frappe.db.sql(
		f"""SELECT name, {STARTED} AS started FROM `tabPairing`
		WHERE name IN %(pairings)s AND status IN %(statuses)s""",
		{"pairings": pairings, "statuses": ANSWERING_STATUSES},
		as_dict=True,
	)
	every, today = months(), today or frappe.utils.today()
	periods = {row.name: quarter_start(row.started, today, every) for row in rows}
	return {pairing: period for pairing, period in periods.items() if period}


def beneficiary_period(pairing: str, check_in_period):
	"""The quarter whose questionnaire her check-in link carries (its period is the first check-in
	period starting on or after the quarter's first day), or None."""
	quarter = quarter_start(pairing_started(pairing), check_in_period, months())
	every = get_voice_settings().check_in_every_days
	if quarter and quarter > getdate(add_days(check_in_period, -every)):
		return quarter
	return None


def months() -> int:
	return get_voice_settings().health_every_months or 3


def clean_scores(side: str, form: dict, require_all: bool = True) -> list[frappe._dict]:
	"""The answers to the side's questions (form keys `q-<question row>`), each 1-5. The tutor
	answers every one; she may leave some out (the score is the mean of those she answered)."""
	rows = []
	for question in questions_for(side):
		value = frappe.utils.cint(form.get(f"q-{question.name}"))
		if value not in SCALE:
			if require_all:
				frappe.throw(_("Answer every question."), title=_("Check the answers"))
			continue
		rows.append(
			frappe._dict(question=question.question, reverse_scored=question.reverse_scored, answer=value)
		)
	return rows


def score_of(answers: list) -> float:
	"""The answers' mean on 0-100, a negative statement reversed (1 <-> 5)."""
	points = [(6 - row.answer if row.reverse_scored else row.answer) for row in answers]
	return flt((sum(points) / len(points) - 1) / 4 * 100, 1) if points else 0


def questionnaire(pairing: str, period, side: str) -> frappe._dict:
	"""What a side's form shows: its questions, the scale's values with their words, and this
	period's answers so far by question row (none without an open period)."""
	questions = questions_for(side)
	saved = saved_answers(pairing, period, side) if period else {}
	return frappe._dict(
		questions=questions,
		scale=list(zip(SCALE, SCALE_WORDS[side], strict=True)),
		chosen={question.name: saved.get(question.question) for question in questions},
	)


def saved_answers(pairing: str, period, side: str) -> dict[str, int]:
	"""The answers given so far this period, by question text (the form shows them)."""
	name = health_name(pairing, period, side)
	return dict(
		frappe.get_all(
			"Relationship Health Answer",
			filters={"parenttype": HEALTH, "parent": name},
			fields=["question", "answer"],
			as_list=True,
		)
	)


def health_name(pairing: str, period, side: str) -> str:
	return f"RH-{pairing}-{getdate(period)}-{side}"


def save_health_answers(pairing: str, period, side: str, answers: list, language: str | None = None) -> str:
	"""Record one side's answers for the period (a second time amends) and alert if needed."""
	row = frappe.db.sql(
		"SELECT name, coordinator, beneficiary, beneficiary_name FROM `tabPairing` WHERE name = %s FOR UPDATE",
		pairing,
		as_dict=True,
	)[0]
	period = getdate(period)
	name = health_name(pairing, period, side)
	if frappe.db.sql(f"SELECT name FROM `tab{HEALTH}` WHERE name = %s FOR UPDATE", name):
		doc = frappe.get_doc(HEALTH, name, for_update=True)
		doc.answers = []
	else:
		doc = frappe.new_doc(HEALTH)
		doc.update({"pairing": pairing, "period": period, "side": side, "beneficiary": row.beneficiary})
	for answer in answers:
		doc.append("answers", answer)
	doc.score = score_of(answers)
	doc.language = language
	doc.submitted_on = now_datetime()
	doc.times_submitted = (doc.times_submitted or 0) + 1
	# Locking reads: they see what a concurrent submission committed while this one waited for the
	# pairing's lock (a plain read would see the transaction's older snapshot).
	this_period = frappe.db.sql(
		f"""SELECT side, score, coordinator_alerted_on FROM `tab{HEALTH}`
		WHERE pairing = %s AND period = %s AND submitted_on IS NOT NULL FOR UPDATE""",
		(pairing, period),
		as_dict=True,
	)
	reason = alert_reason(pairing, period, side, doc.score, this_period)
	alert = bool(reason) and not any(row.coordinator_alerted_on for row in this_period)
	if alert:
		doc.coordinator_alerted_on, doc.alert_reason = now_datetime(), reason
	doc.flags.ignore_permissions = True
	doc.save() if not doc.is_new() else doc.insert()
	if alert:

		def subject_in(language):
			return _("Relationship health of {0}: {1} ({2} / 100)", lang=language).format(
				row.beneficiary_name, _(reason, lang=language), doc.score
			)

		alert_coordinator(row.coordinator, HEALTH, doc.name, subject_in, link_label="Open the questionnaire")
	return doc.name


def alert_reason(pairing: str, period, side: str, score: float, this_period: list) -> str:
	"""A sharp drop of this side's score from its previous period, else the sides diverging."""
	settings = get_voice_settings()
	previous = frappe.db.sql(
		f"""SELECT score FROM `tab{HEALTH}` WHERE pairing = %s AND side = %s AND period < %s
		AND submitted_on IS NOT NULL ORDER BY period DESC LIMIT 1 FOR UPDATE""",
		(pairing, side, period),
	)
	if previous and previous[0][0] - score >= settings.health_drop_points:
		return SHARP_DROP
	other = [row.score for row in this_period if row.side != side]
	if other and abs(other[0] - score) >= settings.health_divergence_points:
		return SIDES_DIVERGE
	return ""


def health_by_period(pairings: list[str] | None = None) -> list[frappe._dict]:
	"""Per pairing and period: the health score (mean of the sides that answered, 0-100)."""
	health = frappe.qb.DocType(HEALTH)
	query = (
		frappe.qb.from_(health)
		.select(health.pairing, health.period, Avg(health.score).as_("score"))
		.where(health.submitted_on.isnotnull())
		.groupby(health.pairing, health.period)
		.orderby(health.period)
	)
	if pairings is not None:
		query = query.where(health.pairing.isin(pairings or [""]))
	return [frappe._dict(row, score=flt(row.score, 1)) for row in query.run(as_dict=True)]
