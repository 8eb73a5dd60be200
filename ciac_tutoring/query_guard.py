"""Refuse a non-staff user's queries that filter, sort, group or search on fields they may not read.

Frappe (this build) drops the fields a user may not read from a query's columns, but still lets
the query's filters, sorting and grouping use them: a tutor filtering their own pairing on
`beneficiary_name like '%A%'` and counting the rows would spell out the beneficiary's surname a
letter at a time, and a child table listed through its parent (Pairing Goal) reads every parent's
rows. Runs as a `before_request` hook, before any endpoint (`/api/resource`, `frappe.client`,
`frappe.desk.reportview`, `frappe.desk.search`...) parses the request.
"""

import json
import re

import frappe
from frappe import _
from frappe.model import child_table_fields, default_fields, get_permitted_fields, optional_fields

from ciac_tutoring.permissions import is_staff

FILTER_KEYS = ("filters", "or_filters")
# Request arguments that name columns (fields, sorting, grouping, a sidebar's group-by field...).
COLUMN_KEYS = ("fields", "fieldname", "field", "order_by", "group_by", "sort_by", "searchfield", "columns")
SEARCH_METHODS = ("frappe.desk.search.search_link", "frappe.desk.search.search_widget")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
STANDARD_COLUMNS = {*default_fields, *child_table_fields, *optional_fields}


def refuse_queries_on_unreadable_fields() -> None:
	user = frappe.session.user if getattr(frappe.local, "session", None) else "Guest"
	if user in ("Guest", "Administrator"):
		return
	doctype = requested_doctype()
	if not doctype or not frappe.db.exists("DocType", doctype) or is_staff(user):
		return
	parent = frappe.form_dict.get("parent") or frappe.form_dict.get("parent_doctype")
	hidden = unreadable_fields(doctype, parent if isinstance(parent, str) else None)
	if not any(hidden.values()):
		return
	used = set()
	for key in FILTER_KEYS:
		used |= filter_fields(frappe.form_dict.get(key), doctype)
	for key in COLUMN_KEYS:
		value = frappe.form_dict.get(key)
		if value:
			names = set(IDENTIFIER.findall(value if isinstance(value, str) else json.dumps(value)))
			used |= {(table, name) for table in hidden for name in names}
	if requested_method() in SEARCH_METHODS:
		meta = frappe.get_meta(doctype)
		used |= {(doctype, name) for name in [*meta.get_search_fields(), meta.title_field] if name}
	if any(name in hidden.get(table, ()) for table, name in used):
		frappe.throw(_("You cannot search or sort on fields you may not read."), frappe.PermissionError)


def requested_doctype() -> str | None:
	doctype = frappe.form_dict.get("doctype")
	if not doctype and frappe.request and frappe.request.path.startswith("/api/resource/"):
		doctype = frappe.request.path.split("/", 4)[3]
	return doctype if isinstance(doctype, str) else None


def requested_method() -> str | None:
	if frappe.request and frappe.request.path.startswith("/api/method/"):
		return frappe.request.path.split("/", 3)[3]
	return frappe.form_dict.get("cmd")


def unreadable_fields(doctype: str, parent: str | None = None) -> dict[str, set[str]]:
	"""{doctype or child doctype: the value fields the session user may not read}."""
	meta = frappe.get_meta(doctype)
	if meta.istable and not parent:
		return {}
	hidden = {doctype: own_columns(meta) - set(get_permitted_fields(doctype, parenttype=parent))}
	for table in meta.get_table_fields():
		permitted = set(get_permitted_fields(table.options, parenttype=doctype))
		hidden[table.options] = own_columns(frappe.get_meta(table.options)) - permitted
		if table.permlevel not in meta.get_permlevel_access("read"):
			hidden[doctype].add(table.fieldname)
	return hidden


def own_columns(meta) -> set[str]:
	return set(meta.get_valid_columns()) - STANDARD_COLUMNS


def filter_fields(filters, doctype: str) -> set[tuple[str, str]]:
	"""(doctype, fieldname) of every field a filter argument refers to, whatever its shape."""
	if isinstance(filters, str):
		try:
			filters = json.loads(filters)
		except ValueError:
			return {(doctype, name) for name in IDENTIFIER.findall(filters)}
	used = set()
	if isinstance(filters, dict):
		used |= {(doctype, column(key)) for key in filters}
	elif isinstance(filters, list | tuple):
		for item in filters:
			if isinstance(item, dict):
				used |= filter_fields(item, doctype)
			elif isinstance(item, list | tuple) and len(item) >= 4:
				used.add((str(item[0]), column(item[1])))
			elif isinstance(item, list | tuple) and item:
				used.add((doctype, column(item[0])))
			elif isinstance(item, str):
				used |= filter_fields(item, doctype)
	return used


def column(name) -> str:
	"""`tabPairing`.`notes` -> notes"""
	return str(name).replace("`", "").split(".")[-1].strip()
