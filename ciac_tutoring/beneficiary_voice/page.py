"""The check-in page (/check-in, ciac_tutoring/www/check-in.html) for a guest holding a link.

Every check is here, in the app's own code: the link's signature and expiry (links.py), the
same-origin POST that stands in for a CSRF token (a guest has no session, as on /become-a-tutor),
a rate limit per connection, and the answers reach only the link's own period. A link that fails
shows the same plain page and changes nothing. Reusing a link within its period amends that
period's check-in (the form shows the answers given so far).
"""

import frappe
from frappe import _

from ciac_tutoring.beneficiary_voice import answers as check_in_answers
from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)
from ciac_tutoring.beneficiary_voice.language import PAGE_LANGUAGES, direction, language_for
from ciac_tutoring.beneficiary_voice.links import ROUTE, read_link
from ciac_tutoring.beneficiary_voice.sending import tutor_first_name
from ciac_tutoring.portal.http import hit_rate_limit, is_same_origin_post
from ciac_tutoring.portal.pages import all_or_nothing, redirect

PAGE_LIMIT = 30  # opens and submissions per connection and hour: a person answers a few times
PAGE_WINDOW_SECONDS = 60 * 60


def get_context(context) -> None:
	context.no_cache = 1
	context.is_post = bool(frappe.request and frappe.request.method == "POST")
	settings = get_voice_settings()
	context.ciac_phone, context.ciac_email = settings.ciac_phone, settings.ciac_email
	context.page_languages = PAGE_LANGUAGES
	form = frappe.form_dict
	link = None
	if hit_rate_limit("check-in", PAGE_LIMIT, PAGE_WINDOW_SECONDS):
		context.refusal = "busy"
	elif context.is_post and not is_same_origin_post():
		context.refusal = "invalid"
	else:
		link = read_link(form.get("t"))
		context.refusal = None if link else "invalid"
	if not link:
		set_language(context, form.get("lang") if form.get("lang") in PAGE_LANGUAGES else None)
		return
	beneficiary = frappe.db.get_value(
		"Beneficiary", link.beneficiary, ["preferred_language", "mother_tongue"], as_dict=True
	)
	chosen = form.get("lang") if form.get("lang") in PAGE_LANGUAGES else None
	set_language(context, chosen or language_for(beneficiary.preferred_language, beneficiary.mother_tongue))
	context.token = form.get("t")
	context.route = ROUTE
	context.tutor = tutor_first_name(frappe.db.get_value("Pairing", link.pairing, "tutor_name"))
	set_health_questionnaire(context, link)
	if context.is_post:
		values = check_in_answers.clean_answers(form)
		if form.get("talk") == "1":
			values.wants_to_talk = 1
		scores = health.clean_scores(health.BENEFICIARY, form, require_all=False)
		# the check-in and the questionnaire saved whole: Frappe commits a page's POST even on an error
		with all_or_nothing("ciac_check_in"):
			check_in_answers.save_answers(link, values, context.lang)
			if context.health_period and scores:
				health.save_health_answers(
					link.pairing, context.health_period, health.BENEFICIARY, scores, context.lang
				)
		redirect(f"{ROUTE}?t={context.token}&lang={context.lang}&sent=1")
	context.sent = form.get("sent") == "1"
	context.answers = check_in_answers.period_answers(link) or frappe._dict()


def set_health_questionnaire(context, link) -> None:
	"""Every N months her check-in also carries the relationship-health questions (health.py)."""
	context.health_period = health.beneficiary_period(link.pairing, link.period)
	if not context.health_period:
		return
	form = health.questionnaire(link.pairing, context.health_period, health.BENEFICIARY)
	context.health_questions = form.questions
	context.health_scale = form.scale
	context.health_chosen = form.chosen


def set_language(context, language: str | None) -> None:
	"""The page's language: the chosen one, else the visitor's (cookie, browser) if shipped, else Italian."""
	if language not in PAGE_LANGUAGES:
		language = language_for(frappe.local.lang)
	context.lang = frappe.local.lang = language
	context.dir = direction(context.lang)
	context.title = _("How is it going?")
