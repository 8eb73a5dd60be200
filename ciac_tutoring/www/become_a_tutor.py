"""Become a tutor (public): the phase-1 availability form."""

import frappe
from frappe import _

from ciac_tutoring import portal_fields
from ciac_tutoring.activation.doctype.tutor.tutor import TEXT_LIMITS
from ciac_tutoring.portal import availability
from ciac_tutoring.portal.http import hit_rate_limit, is_same_origin_post
from ciac_tutoring.portal.pages import prepare_page, redirect, show_refusal
from ciac_tutoring.privacy.consent import notice_for_form
from ciac_tutoring.tutoring.doctype.support_area.support_area import support_area_options
from ciac_tutoring.validation import select_options

no_cache = 1


def get_context(context):
	prepare_page(context, _("Become a tutor"), login_required=False)
	context.errors = {}
	context.values = availability.clean_availability({})
	context.submitted = frappe.form_dict.get("sent") == "1"
	if context.is_post:
		handle_submission(context)
	context.tutor_types = select_options("Tutor", "tutor_type")
	context.heard_about_options = select_options("Tutor", "heard_about")
	context.language_levels = select_options("Spoken Language", "level")
	context.max_lengths = TEXT_LIMITS
	context.language_options = get_language_options()
	context.privacy_notice = notice_for_form("Tutor", context.lang)
	context.portal_fields = portal_fields.render("Become a tutor", context["values"].portal_fields)
	context.support_area_options = support_area_options()


def handle_submission(context) -> None:
	if not is_same_origin_post():
		# A guest has no session to carry a CSRF token: the browser's Origin header stands in.
		frappe.throw(_("This form can only be sent from its page on this site."), frappe.PermissionError)
	form = dict(frappe.form_dict)
	# form_dict keeps one value per name: read the ticked checkboxes from the request itself
	form["support_areas"] = frappe.request.form.getlist("support_areas")
	values = availability.clean_availability(form)
	context.values = values
	if hit_rate_limit(
		"become-a-tutor", availability.AVAILABILITY_LIMIT, availability.AVAILABILITY_WINDOW_SECONDS
	):
		context.form_error = _("Too many requests from your connection. Please try again in an hour.")
		return
	if frappe.form_dict.get("website"):
		# Honeypot: only bots fill the hidden field; answer as if it went well, create nothing.
		redirect("/become-a-tutor?sent=1")
	context.errors = availability.validate_availability(values)
	if context.errors:
		context.form_error = _("Please check the fields marked below.")
		return
	if availability.email_is_known(values.email):
		context.errors = {"email": availability.email_known_message()}
		context.form_error = availability.email_known_message()
		return
	try:
		availability.create_availability(values)
	except (frappe.ValidationError, frappe.DuplicateEntryError) as refusal:
		show_refusal(context, refusal)
		return
	redirect("/become-a-tutor?sent=1")


# Frappe ships "eo" as its translators' "In-Context Translation", not as a language people speak.
IN_CONTEXT_TRANSLATION = "eo"


def get_language_options() -> list[dict]:
	# The languages people in Parma speak most come first; every enabled language follows.
	first = ["it", "en", "fr", "ar", "es", "de", "uk", "ru", "fa", "ur", "bn", "sq", "ro", "zh"]
	languages = frappe.get_all(
		"Language",
		filters={"enabled": 1, "name": ("!=", IN_CONTEXT_TRANSLATION)},
		fields=["name", "language_name"],
	)
	by_name = {row.name: row for row in languages}
	ordered = [by_name[code] for code in first if code in by_name]
	ordered += sorted(
		(row for row in languages if row.name not in first), key=lambda row: row.language_name or ""
	)
	return ordered
