"""My tutoring: the logged-in tutor's home page (pairings, commitments, contacts, notices)."""

import frappe
from frappe import _

from ciac_tutoring.beneficiary_voice.answers import suggestions_for
from ciac_tutoring.portal.my_tutoring import get_my_tutoring
from ciac_tutoring.portal.pages import prepare_page

no_cache = 1


def get_context(context):
	prepare_page(context, _("My tutoring"))
	context.update(get_my_tutoring(page=frappe.form_dict.get("page") or 1))
	context.logged = frappe.form_dict.get("logged") == "1"
	# the tutor chose "Needs CIAC attention": say that CIAC was told, and who will answer
	context.attention = context.logged and frappe.form_dict.get("attention") == "1"
	context.pairing_labels = {pairing.name: pairing.first_name for pairing in context.pairings}
	# what the beneficiaries suggest doing together (never their other check-in answers)
	context.suggestions = suggestions_for([pairing.name for pairing in context.pairings])
