"""The one check of every print format and Jinja method the app ships (docs/permissions.md, "Print").

Frappe's print routes (`/printview`, `frappe.www.printview.get_html_and_style`, the PDF download)
check permission on the doctype the client names, not on the one a print format is made for: a
tutor may name a Language called like a Beneficiary and have the Beneficiary Summary render for it.
So each format's Jinja method first calls `require_printable`, which refuses (nothing rendered)
unless the document is a saved record of the right doctype that the user may read and print.
"""

import frappe
from frappe import _
from frappe.model.document import Document


def require_printable(doc, doctype: str) -> None:
	"""Refuse unless `doc` is a saved `doctype` record the user may read and print. Server code that
	checked the record itself (the tutor's own agreement) sets `frappe.flags.ignore_print_permissions`,
	as Frappe's own print does."""
	if not (
		isinstance(doc, Document)
		and doc.doctype == doctype
		and isinstance(doc.name, str)
		and frappe.db.exists(doctype, doc.name)
	):
		refuse()
	if frappe.flags.ignore_print_permissions:
		return
	if not all(frappe.has_permission(doctype, ptype, doc.name) for ptype in ("read", "print")):
		refuse()


def require_tutor_notification(tutor) -> str:
	"""The Tutor a phase notification's Jinja method is about: the one whose notifications are being
	sent (`workflow_gates.apply_phase_effects`), or one the user may read. Returns its name."""
	name = tutor.name if isinstance(tutor, Document) and tutor.doctype == "Tutor" else tutor
	if not isinstance(name, str) or not name or not frappe.db.exists("Tutor", name):
		refuse()
	if frappe.flags.ciac_phase_notification == name:
		return name
	if not frappe.has_permission("Tutor", "read", name):
		refuse()
	return name


def refuse():
	frappe.throw(_("You may not print this document."), frappe.PermissionError)
