"""Log a contact: the short form a tutor fills in right after a call or a meeting."""

import frappe
from frappe import _
from frappe.utils import nowdate

from ciac_tutoring import portal_fields
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import NOTES_MAX_LENGTH, STAFF_ONLY_INITIATORS
from ciac_tutoring.portal.contacts import save_contact, tutor_contact_kinds
from ciac_tutoring.portal.guard import current_tutor, own_tutor_names
from ciac_tutoring.portal.my_tutoring import get_open_pairings
from ciac_tutoring.portal.pages import prepare_page, redirect, show_refusal, text
from ciac_tutoring.tutoring.doctype.support_area.support_area import support_area_options
from ciac_tutoring.tutoring.vocabulary import HAPPENED, NO_ANSWER
from ciac_tutoring.validation import select_options

no_cache = 1


def get_context(context):
	prepare_page(context, _("Log a contact"))
	current_tutor()
	context.errors = {}
	if context.is_post:
		# Saved, the contact sends the tutor to /my-tutoring: the form's choices are built only
		# when the form is shown again (the POST's time is most of the portal's, docs/benchmarks.md).
		handle_submission(context)
	context.pairings = [p for p in get_open_pairings(own_tutor_names()) if p.can_log]
	context.values = context.get("values") or default_values(context.pairings)
	context.kinds = tutor_contact_kinds()
	context.wellbeing_options = select_options("Contact Log", "wellbeing")
	context.outcome_options = select_options("Contact Log", "outcome")
	context.initiated_by_options = [
		option
		for option in select_options("Contact Log", "initiated_by")
		if option not in STAFF_ONLY_INITIATORS
	]
	context.notes_max_length = NOTES_MAX_LENGTH
	context.support_area_options = support_area_options()
	context.today = nowdate()
	context.portal_fields = portal_fields.render("Log a contact", context["values"].portal_fields)


def default_values(pairings: list) -> frappe._dict:
	own = {pairing.name for pairing in pairings}
	asked = frappe.form_dict.get("pairing")
	return frappe._dict(
		pairing=asked if asked in own else (pairings[0].name if len(pairings) == 1 else ""),
		contact_date=nowdate(),
		kind=tutor_contact_kinds()[0],
		initiated_by="Tutor",
		outcome=HAPPENED,
		duration_minutes="",
		wellbeing="Fine",
		notes="",
		support_areas=[],
		portal_fields={},
	)


def handle_submission(context) -> None:
	form = frappe.form_dict
	values = frappe._dict(
		pairing=form.get("pairing") or "",
		contact_date=form.get("contact_date") or "",
		kind=form.get("kind") or "",
		initiated_by=form.get("initiated_by") or "Tutor",
		outcome=form.get("outcome") or HAPPENED,
		duration_minutes=text(form.get("duration_minutes")),
		wellbeing=form.get("wellbeing") or "",
		notes=form.get("notes") or "",
		support_areas=frappe.request.form.getlist("support_areas"),
		portal_fields=portal_fields.read("Log a contact", form),
	)
	context.values = values
	try:
		# A pairing that is not the tutor's is not a typing error: refused outright (403).
		save_contact(values)
	except frappe.ValidationError as refusal:
		show_refusal(context, refusal)
		return
	needs_attention = values.wellbeing == "Needs CIAC attention" and values.outcome != NO_ANSWER
	redirect("/my-tutoring?logged=1" + ("&attention=1" if needs_attention else ""))
