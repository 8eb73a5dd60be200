"""The language of a guest's request.

Frappe v15.55 picks the request's language before it loads the session, while the visitor still
counts as logged in, so a guest's `preferred_language` cookie (the portal's IT/EN switch) and the
browser's Accept-Language are never read: every public page, Frappe's login page included, came in
the site's default language. Once the session says Guest, ask Frappe again."""

import frappe
from frappe.translate import get_language


def set_guest_language() -> None:
	"""before_request hook."""
	if frappe.session.user == "Guest":
		frappe.local.lang = get_language()
