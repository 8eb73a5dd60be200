"""The tutor's quarterly relationship-health questionnaire for one of their pairings."""

import frappe
from frappe import _

from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.portal.guard import current_tutor, require_own_pairing
from ciac_tutoring.portal.pages import prepare_page, redirect, show_refusal
from ciac_tutoring.portal.relationship_health import open_period, save_tutor_answers

no_cache = 1


def get_context(context):
	prepare_page(context, _("How is the relationship going?"))
	current_tutor()
	pairing = frappe.form_dict.get("pairing") or ""
	if not pairing:  # opened without its link: the tutor's home lists the questionnaires open
		redirect("/my-tutoring")
	require_own_pairing(pairing)  # another's pairing: refused outright (403)
	context.pairing = pairing
	beneficiary = frappe.db.get_value("Pairing", pairing, "beneficiary")
	context.first_name = frappe.db.get_value("Beneficiary", beneficiary, "first_name")
	context.period = open_period(pairing)
	context.update(health.questionnaire(pairing, context.period, health.TUTOR))
	if context.is_post and context.period:
		form = frappe.form_dict
		context.chosen = {q.name: frappe.utils.cint(form.get(f"q-{q.name}")) for q in context.questions}
		try:
			# another's pairing is not a typing error: PermissionError, refused outright (403)
			save_tutor_answers(pairing, form)
		except frappe.ValidationError as refusal:
			show_refusal(context, refusal)
			return
		redirect("/my-tutoring?health=1")
