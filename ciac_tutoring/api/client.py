"""Permission-checked stand-ins for `frappe.client` methods that skip permissions in this Frappe build
(registered in hooks.py `override_whitelisted_methods`)."""

import frappe
from frappe import _
from frappe.desk.form import load
from frappe.utils import get_safe_filters


@frappe.whitelist()
def get_count(
	doctype: str, filters: dict | list | str | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""`frappe.client.get_count`, counting only the rows the user may read (Frappe's counts them all)."""
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=["count(*) as total"],
		as_list=True,
		order_by=None,
	)
	return rows[0][0] if rows else 0


# The desk's form loaders send more than the permitted fields: the titles of linked records (a
# Pairing's and a Beneficiary's title is the beneficiary's full name), the version history (old
# values of staff-only fields), comments and emails. Tutors have no desk: they get none of these.
DESK_FORM_STAFF_ONLY = ("Tutor", "Beneficiary", "Pairing", "Contact Log", "Training Session")


def refuse_desk_form_to_tutors(doctype: str) -> None:
	from ciac_tutoring.permissions import is_staff

	if doctype in DESK_FORM_STAFF_ONLY and not is_staff():
		frappe.throw(_("This form is for CIAC staff: tutors use their pages."), frappe.PermissionError)


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	"""`frappe.desk.form.load.getdoc`, refused to tutors on the programme's DocTypes."""
	refuse_desk_form_to_tutors(doctype)
	return load.getdoc(doctype, name, user)


@frappe.whitelist()
def get_docinfo(doc=None, doctype: str | None = None, name: str | None = None):
	"""`frappe.desk.form.load.get_docinfo` (versions, comments, emails), refused likewise."""
	refuse_desk_form_to_tutors(getattr(doc, "doctype", None) or doctype)
	return load.get_docinfo(doc=doc, doctype=doctype, name=name)


@frappe.whitelist()
def get_communications(doctype: str, name: str, start: int = 0, limit: int = 20):
	"""`frappe.desk.form.load.get_communications`, refused likewise."""
	refuse_desk_form_to_tutors(doctype)
	return load.get_communications(doctype, name, start, limit)
