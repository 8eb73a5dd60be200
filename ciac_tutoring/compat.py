"""Where the Frappe versions the app runs on differ, in one place.

The app is tested on Frappe v15 develop of August 2023 (the development runtime) and on the
released Frappe v15.55.1; see README.md ("Tests"). Each function names the version whose
behaviour it bridges.
"""

import frappe


def set_request_language(lang: str) -> None:
	"""Render this request in `lang`, the language the visitor just picked.

	Since Frappe v15.55 the request's language is read (from `_lang`) before the session is
	loaded, and loading a logged-in user's session then resets it to the user's saved language,
	so a choice made with `_lang` would only show from the next page on. Up to v15.54 (and on
	the development runtime) the session came first and `_lang` won by itself."""
	frappe.local.lang = lang


def dashboard_link_counts(doctype: str, name: str) -> dict[str, int]:
	"""`{linked doctype: number of linked documents}` as the form's dashboard counts them.

	`frappe.desk.notifications.get_open_count(...)["count"]` is a list of `{"name", "count"}`
	up to mid-2023 (the development runtime); released Frappe v15 returns
	`{"external_links_found": [{"doctype", "count"}], "internal_links_found": [...]}`."""
	from frappe.desk.notifications import get_open_count

	found = get_open_count(doctype, name)["count"]
	if isinstance(found, dict):
		rows = [*found.get("external_links_found", []), *found.get("internal_links_found", [])]
		return {row["doctype"]: row["count"] for row in rows}
	return {row["name"]: row["count"] for row in found}
