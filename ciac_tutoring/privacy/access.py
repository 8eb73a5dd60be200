"""Who saw the sensitive fields: a beneficiary's protection status, residence permit and health notes.

Frappe's own Access Log holds the rows (it already records exports and prints, and Frappe's Personal
Data Download includes it); managers read them through the report "Sensitive Data Access".
"""

import frappe
from frappe.utils import now_datetime

SENSITIVE_LEVEL = 1
VIEWED = "View sensitive fields"
SENSITIVE_REPORTS = ("Permit Expiry",)


def can_read_sensitive_fields(doctype: str) -> bool:
	return SENSITIVE_LEVEL in frappe.get_meta(doctype).get_permlevel_access("read")


def log_sensitive_view(doc, method: str | None = None) -> None:
	"""A form opened in the desk by someone who can read its staff-only (level 1) fields (onload,
	through hooks.py `doc_events`)."""
	if doc.is_new() or not can_read_sensitive_fields(doc.doctype):
		return
	log_access(export_from=doc.doctype, reference_document=doc.name, method=VIEWED)


def log_report_run(report_name: str, filters: dict | None) -> None:
	log_access(report_name=report_name, filters=frappe.as_json(filters or {}), method=VIEWED)


@frappe.write_only()
def log_access(**values) -> None:
	"""An Access Log row, saved with the request even when it is a GET.

	Written on the primary database even inside a report that Frappe runs on the read replica
	(`read_from_replica`): `frappe.write_only` switches the connection for the insert.

	Frappe's make_access_log commits on the spot in GET requests, which would also commit whatever
	the caller's transaction holds; asking for the request's own commit keeps one transaction."""
	frappe.get_doc(
		{"doctype": "Access Log", "user": frappe.session.user, "timestamp": now_datetime(), **values}
	).db_insert()
	if getattr(frappe.local, "request", None):
		frappe.local.flags.commit = True
