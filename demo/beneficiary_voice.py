"""Demo step: the beneficiaries' own voice. Beneficiaries of Active pairings agree to check-in
messages (a paper consent recorded), the day's links go out (by SMS to `./dev/run`'s local
gateway, demo/sms_gateway.py, and by email to the mail sink), and several answer: one confirms,
one says they did not meet while the tutor logged a meeting (the worklist), one asks to talk to
CIAC (the coordinator's alert), one suggests an outing (the tutor's portal). The pairings past their
first quarter have both sides' relationship-health questionnaires for their last one or two
quarters (health.py): one rising, one whose sides diverge (the coordinator's alert). Idempotent."""

import os

import frappe
from frappe.utils import add_months, getdate, today

from ciac_tutoring.beneficiary_voice import answers, health, sending
from ciac_tutoring.beneficiary_voice.links import link_for
from ciac_tutoring.privacy.doctype.consent_record.consent_record import PURPOSE_OF, record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import get_current_notice
from demo.sms_gateway import configure_sms_settings

CIAC_PHONE, CIAC_EMAIL = "+39 0521 503435", "tutoring@ciac.example"
# by the beneficiary's first name: what she answers (language chosen on the page, answers)
ANSWERS = {
	"Amina": ("fr", {"heard_from_tutor": "Yes", "met_this_month": "Yes", "mood": "Good",
		"suggestion": "Andare insieme alla biblioteca di via Cavestro"}),
	"Yusuf": ("en", {"heard_from_tutor": "Yes", "met_this_month": "No", "mood": "So-so",
		"suggestion": "Play football on Sunday"}),
	"Abdi": ("ar", {"heard_from_tutor": "No", "met_this_month": "No", "mood": "Sad",
		"message_to_ciac": "Ho un problema con la casa", "wants_to_talk": 1}),
	"Samir": ("ar", {"heard_from_tutor": "Yes", "met_this_month": "Yes", "mood": "Good"}),
}  # fmt: skip
# by the beneficiary's first name: per quarter, oldest first, (tutor's level, hers) on the 1-5 scale
HEALTH_LEVELS = {
	"Yusuf": ((3, 3), (4, 5)),  # a relationship growing stronger (Programme Outcomes' trend)
	"Amina": ((4, 5),),
	"Samir": ((4, 4),),
	"Abdi": ((4, 2),),  # the tutor sees it going well, he does not: the sides diverge
}


def load() -> None:
	if os.environ.get("CIAC_SMS_GATEWAY_URL"):
		configure_sms_settings(os.environ["CIAC_SMS_GATEWAY_URL"])
	settings = frappe.get_doc("Beneficiary Voice Settings")
	settings.update({"enabled": 1, "ciac_phone": CIAC_PHONE, "ciac_email": CIAC_EMAIL})
	settings.save(ignore_permissions=True)
	pairings = frappe.get_all(
		"Pairing", filters={"status": "Active"}, fields=["name", "beneficiary"], order_by="name"
	)
	for index, pairing in enumerate(pairings):
		agree_to_messages(pairing.beneficiary, index)
	sending.send_due_links(commit=False)
	every = settings.check_in_every_days
	for pairing in pairings:
		first_name = frappe.db.get_value("Beneficiary", pairing.beneficiary, "first_name")
		if first_name not in ANSWERS:
			continue
		language, given = ANSWERS[first_name]
		check_in = frappe.db.get_value(
			answers.CHECK_IN,
			{"pairing": pairing.name},
			["period", "submitted_on"],
			as_dict=True,
			order_by="period desc",
		)
		if not check_in or check_in.submitted_on:
			continue
		link = link_for(pairing.beneficiary, pairing.name, getdate(check_in.period), every, "SMS")
		answers.save_answers(link, answers.clean_answers(given), language)
	for pairing in pairings:
		answer_health_questionnaires(pairing)


def answer_health_questionnaires(pairing) -> None:
	"""Both sides' answers for the pairing's last quarters, as the portal and her check-in page
	record them (clean_scores, save_health_answers: scores, alerts)."""
	first_name = frappe.db.get_value("Beneficiary", pairing.beneficiary, "first_name")
	started, every = health.pairing_started(pairing.name), health.months()
	quarters = [
		getdate(add_months(started, k * every))
		for k in range(1, 40)
		if getdate(add_months(started, k * every)) <= getdate(today())
	]
	levels = HEALTH_LEVELS.get(first_name, ())
	language = ANSWERS.get(first_name, ("it",))[0]
	for period, (tutor_level, her_level) in zip(quarters[-len(levels) :], levels, strict=False):
		for side, level, side_language in (
			(health.TUTOR, tutor_level, "it"),
			(health.BENEFICIARY, her_level, language),
		):
			if frappe.db.exists(health.HEALTH, health.health_name(pairing.name, period, side)):
				continue
			form = {
				f"q-{question.name}": 6 - level if question.reverse_scored else level
				for question in health.questions_for(side)
			}
			scores = health.clean_scores(side, form)
			health.save_health_answers(pairing.name, period, side, scores, side_language)


def agree_to_messages(beneficiary: str, index: int) -> None:
	values = {"check_in_messages": 1}
	if not frappe.db.get_value("Beneficiary", beneficiary, "mobile"):
		values["mobile"] = f"+39 320 555 {index:04d}"
	frappe.db.set_value("Beneficiary", beneficiary, values)
	if not frappe.db.exists("Consent Record", {"party_type": "Beneficiary", "party": beneficiary}):
		notice = get_current_notice(PURPOSE_OF["Beneficiary"])
		if notice:
			record_consent("Beneficiary", beneficiary, notice.name, "Paper", "it")
