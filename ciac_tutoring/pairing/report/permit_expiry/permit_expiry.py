"""Permit Expiry: beneficiaries whose residence permit expires within a chosen window.

Permit data is sensitive (permlevel 1 on Beneficiary): besides the report's roles, execute()
itself refuses anyone without a CIAC staff role, so a role added to the report by mistake
does not open it to tutors.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import IfNull, Max
from frappe.utils import getdate, today

from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import expiring_permit, permit_window
from ciac_tutoring.permissions import is_staff
from ciac_tutoring.privacy.access import log_report_run
from ciac_tutoring.tutoring.report.report_utils import DateDiff
from ciac_tutoring.tutoring.vocabulary import OPEN_PAIRING_STATUSES


def execute(filters: dict | None = None):
	check_staff_only()
	log_report_run("Permit Expiry", filters)
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, None, get_report_summary(data)


def check_staff_only() -> None:
	if not is_staff():
		frappe.throw(_("Only CIAC staff can see residence permits."), frappe.PermissionError)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Beneficiary"),
			"fieldname": "beneficiary",
			"fieldtype": "Link",
			"options": "Beneficiary",
			"width": 140,
		},
		{"label": _("Full Name"), "fieldname": "full_name", "fieldtype": "Data", "width": 180},
		# Select, so the desk shows stored values (statuses, phases) translated
		{
			"label": _("Protection Status"),
			"fieldname": "protection_status",
			"fieldtype": "Select",
			"width": 150,
		},
		{
			"label": _("Residence Permit Expiry"),
			"fieldname": "residence_permit_expiry",
			"fieldtype": "Date",
			"width": 120,
		},
		{"label": _("Days Left"), "fieldname": "days_left", "fieldtype": "Int", "width": 90},
		{"label": _("Municipality"), "fieldname": "municipality", "fieldtype": "Data", "width": 120},
		{
			"label": _("Reception Project"),
			"fieldname": "reception_project",
			"fieldtype": "Link",
			"options": "Reception Project",
			"width": 150,
		},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Select", "width": 90},
		{
			"label": _("Pairing"),
			"fieldname": "pairing",
			"fieldtype": "Link",
			"options": "Pairing",
			"width": 140,
		},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 160},
		{"label": _("Coordinator"), "fieldname": "coordinator_name", "fieldtype": "Data", "width": 150},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	from_date, to_date = permit_window(filters.get("from_date"))
	to_date = getdate(filters.get("to_date") or to_date)
	as_of = getdate(today())
	beneficiary = frappe.qb.DocType("Beneficiary")
	pairing = frappe.qb.DocType("Pairing")
	user = frappe.qb.DocType("User")

	# A beneficiary has at most one current pairing (docs/data-model.md); MAX keeps one row each
	# even if a suspended one lingers beside it.
	current = (
		frappe.qb.from_(pairing)
		.select(pairing.beneficiary, Max(pairing.name).as_("pairing"))
		.where(pairing.status.isin(OPEN_PAIRING_STATUSES))
		.groupby(pairing.beneficiary)
	).as_("current")
	current_pairing = frappe.qb.DocType("Pairing").as_("current_pairing")

	query = (
		frappe.qb.from_(beneficiary)
		.left_join(current)
		.on(current.beneficiary == beneficiary.name)
		.left_join(current_pairing)
		.on(current_pairing.name == current.pairing)
		.left_join(user)
		.on(user.name == current_pairing.coordinator)
		.select(
			beneficiary.name.as_("beneficiary"),
			beneficiary.full_name,
			beneficiary.protection_status,
			beneficiary.residence_permit_expiry,
			DateDiff(beneficiary.residence_permit_expiry, as_of).as_("days_left"),
			beneficiary.municipality,
			beneficiary.reception_project,
			beneficiary.status,
			current.pairing,
			current_pairing.tutor_name,
			IfNull(user.full_name, current_pairing.coordinator).as_("coordinator_name"),
		)
		.where(expiring_permit(beneficiary, from_date, to_date, filters.get("status")))
		.orderby(beneficiary.residence_permit_expiry)
	)
	if filters.get("municipality"):
		query = query.where(beneficiary.municipality == filters.municipality)
	if filters.get("reception_project"):
		query = query.where(beneficiary.reception_project == filters.reception_project)
	if filters.get("coordinator"):
		query = query.where(current_pairing.coordinator == filters.coordinator)
	return query.run(as_dict=True)


def get_report_summary(data: list[dict]) -> list[dict] | None:
	if not data:
		return None
	expired = sum(1 for row in data if row.days_left < 0)
	within_30 = sum(1 for row in data if 0 <= row.days_left <= 30)
	return [
		{"value": len(data), "label": _("Beneficiaries"), "datatype": "Int", "indicator": "Blue"},
		{"value": expired, "label": _("Already Expired"), "datatype": "Int", "indicator": "Red"},
		{"value": within_30, "label": _("Expiring Within 30 Days"), "datatype": "Int", "indicator": "Orange"},
	]
