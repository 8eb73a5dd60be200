"""Permission-checked stand-ins for `frappe.client` methods that skip permissions in this Frappe build
(registered in hooks.py `override_whitelisted_methods`)."""

import frappe
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
