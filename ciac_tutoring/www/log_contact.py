"""Log a contact: the short form a tutor fills in right after a call or a meeting."""

import frappe
from frappe import _
from frappe.utils import nowdate

from ciac_tutoring import portal_fields
from ciac_tutoring.api import portal

no_cache = 1


def get_context(context):
	portal.prepare_page(context, _("Log a contact"))
	tutor = portal.require_tutor()
	tutors = [tutor.name, *[name for name in portal.own_tutor_names() if name != tutor.name]]
	context.pairings = [p for p in portal.get_open_pairings(tutors) if p.can_log]
	context.errors = {}
	context.values = default_values(context.pairings)
	if context.is_post:
		handle_submission(context)
	context.kinds = portal.TUTOR_CONTACT_KINDS
	context.wellbeing_options = portal.WELLBEING
	context.initiated_by_options = portal.INITIATED_BY[:2]
	context.support_area_options = frappe.get_all(
		"Support Area", filters={"enabled": 1}, fields=["name", "area_name"], order_by="area_name"
	)
	context.today = nowdate()
	context.portal_fields = portal_fields.render("Log a contact", context["values"].portal_fields)


def default_values(pairings: list) -> frappe._dict:
	own = {pairing.name for pairing in pairings}
	asked = frappe.form_dict.get("pairing")
	return frappe._dict(
		pairing=asked if asked in own else (pairings[0].name if len(pairings) == 1 else ""),
		contact_date=nowdate(),
		kind=portal.TUTOR_CONTACT_KINDS[0],
		initiated_by="Tutor",
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
		duration_minutes=(form.get("duration_minutes") or "").strip(),
		wellbeing=form.get("wellbeing") or "",
		notes=form.get("notes") or "",
		support_areas=frappe.request.form.getlist("support_areas"),
		portal_fields=portal_fields.read("Log a contact", form),
	)
	context.values = values
	if values.pairing:
		# A pairing that is not the tutor's is not a typing error: refuse outright (403).
		portal.require_own_pairing(values.pairing)
	context.errors = portal.validate_contact(values)
	if context.errors:
		context.form_error = _("Please check the fields marked below.")
		return
	try:
		portal.refuse_if_over_page_limit("log-contact")
		portal.create_contact_log(values, values.support_areas, values.notes)
	except frappe.ValidationError as refusal:
		context.form_error = portal.form_errors_from(refusal)
		return
	portal.redirect("/my-tutoring?logged=1")
