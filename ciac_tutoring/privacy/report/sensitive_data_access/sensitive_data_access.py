"""Sensitive Data Access: who opened a beneficiary's protection status and permit, or ran Permit Expiry.

Reads Frappe's Access Log (readable by System Managers only) for CIAC managers: execute() checks
the role itself, so a role added to the report by mistake does not open it.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import IfNull
from frappe.utils import add_days, getdate, today

from ciac_tutoring.privacy.access import SENSITIVE_REPORTS, VIEWED

MANAGER_ROLES = {"CIAC Manager", "System Manager"}


def execute(filters: dict | None = None):
	check_managers_only()
	filters = frappe._dict(filters or {})
	return get_columns(), get_data(filters)


def check_managers_only() -> None:
	if frappe.session.user != "Administrator" and not MANAGER_ROLES & set(frappe.get_roles()):
		frappe.throw(_("Only CIAC managers can see who accessed sensitive data."), frappe.PermissionError)


def get_columns() -> list[dict]:
	return [
		{"label": _("When"), "fieldname": "creation", "fieldtype": "Datetime", "width": 170},
		{"label": _("User"), "fieldname": "user", "fieldtype": "Link", "options": "User", "width": 200},
		{"label": _("Full Name"), "fieldname": "full_name", "fieldtype": "Data", "width": 160},
		{
			"label": _("Beneficiary"),
			"fieldname": "beneficiary",
			"fieldtype": "Link",
			"options": "Beneficiary",
			"width": 150,
		},
		# Select, so the desk shows stored values (statuses, phases) translated
		{"label": _("Report"), "fieldname": "report_name", "fieldtype": "Select", "width": 130},
		{"label": _("Filters"), "fieldname": "filters", "fieldtype": "Data", "width": 250},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	log = frappe.qb.DocType("Access Log")
	user = frappe.qb.DocType("User")
	from_date = getdate(filters.get("from_date") or add_days(today(), -30))
	to_date = getdate(filters.get("to_date") or today())
	query = (
		frappe.qb.from_(log)
		.left_join(user)
		.on(user.name == log.user)
		.select(
			log.creation,
			log.user,
			IfNull(user.full_name, log.user).as_("full_name"),
			log.reference_document.as_("beneficiary"),
			log.report_name,
			log.filters,
		)
		.where(log.method == VIEWED)
		.where((log.export_from == "Beneficiary") | log.report_name.isin(SENSITIVE_REPORTS))
		.where((log.creation >= from_date) & (log.creation < add_days(to_date, 1)))
		.orderby(log.creation, order=frappe.qb.desc)
		.limit(1000)
	)
	if filters.get("user"):
		query = query.where(log.user == filters.user)
	if filters.get("beneficiary"):
		query = query.where(log.reference_document == filters.beneficiary)
	return query.run(as_dict=True)
