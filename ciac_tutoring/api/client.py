"""Permission-checked stand-ins for the few core endpoints of Frappe v15.55.1 that check no
permission at all (registered in hooks.py `override_whitelisted_methods`).

Each one asks Frappe's own permission engine (`frappe.has_permission`, DocPerms) first, then
calls Frappe's function unchanged. No DocPerm can close these routes: they read or write any
record of any DocType for any logged-in user, a tutor included (ciac_tutoring/tests/
test_core_overrides.py shows what each of Frappe's own does; see docs/permissions.md).
"""

import frappe
from frappe.desk import like, search
from frappe.utils import get_safe_filters


def require_permission(doctype, ptype: str = "read", name=None) -> None:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		raise frappe.PermissionError
	if name is not None and not isinstance(name, str | int):
		raise frappe.PermissionError
	if not frappe.has_permission(doctype, ptype, doc=str(name) if name is not None else None):
		raise frappe.PermissionError


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


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	"""`frappe.desk.search.get_link_title`: a Pairing's title is the beneficiary's full name."""
	require_permission(doctype, "read", docname)
	return search.get_link_title(doctype, docname)


@frappe.whitelist()
def toggle_like(doctype: str, name: str, add: str | bool = False):
	require_permission(doctype, "read", name)
	return like.toggle_like(doctype, name, add)
