"""Training: upcoming sessions with free places, registration, and the tutor's own record."""

import frappe
from frappe import _

from ciac_tutoring.api import portal

no_cache = 1

ACTIONS = {
	"register": portal.register_tutor,
	"unregister": portal.unregister_tutor,
}
# Translated when shown (the rows are in translations/it.csv).
DONE_MESSAGES = {
	"register": "You are registered. See you there!",
	"unregister": "Your registration has been cancelled.",
}


def get_context(context):
	portal.prepare_page(context, _("Training"))
	portal.require_tutor()
	if context.is_post:
		handle_action(context)
	context.update(portal.get_training())
	done = frappe.form_dict.get("done")
	context.done_message = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None


def handle_action(context) -> None:
	action = ACTIONS.get(frappe.form_dict.get("action"))
	if not action:
		frappe.throw(_("Unknown action."))
	try:
		action(frappe.form_dict.get("session") or "")
	except frappe.ValidationError as refusal:
		context.form_error = portal.form_errors_from(refusal)
		return
	portal.redirect("/training?done=" + frappe.form_dict.get("action"))
