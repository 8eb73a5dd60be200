"""Volunteer Expenses by Month: the approved claims of a month, for the accountant who reimburses
them (one row per claim, with its documentation), the month's total in the summary above them (no
datatable total row: Frappe labels it "Total" in English whatever the language)."""

import frappe
from frappe import _
from frappe.utils import get_first_day, get_last_day, getdate, today

from ciac_tutoring.permissions import is_staff
from ciac_tutoring.third_sector.expenses import APPROVED, CLAIM


def execute(filters: dict | None = None):
	if not is_staff():
		frappe.throw(_("Only CIAC staff can see this report."), frappe.PermissionError)
	filters = frappe._dict(filters or {})
	day = getdate(filters.month or today())
	data = get_data(get_first_day(day), get_last_day(day), filters.get("status") or APPROVED)
	return get_columns(), data, None, None, get_summary(data)


def get_columns() -> list[dict]:
	return [
		{"label": _("Claim"), "fieldname": "name", "fieldtype": "Link", "options": CLAIM, "width": 130},
		{"label": _("Expense Date"), "fieldname": "expense_date", "fieldtype": "Date", "width": 110},
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 140},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 170},
		{"label": _("What For"), "fieldname": "purpose", "fieldtype": "Data", "width": 220},
		{"label": _("Documentation"), "fieldname": "documentation", "fieldtype": "Data", "width": 140},
		{
			"label": _("Amount"),
			"fieldname": "amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 110,
		},
		{"label": _("Approval"), "fieldname": "workflow_state", "fieldtype": "Data", "width": 110},
		{"label": _("Reviewed On"), "fieldname": "reviewed_on", "fieldtype": "Datetime", "width": 150},
	]


def get_data(start, end, status: str) -> list[dict]:
	rows = frappe.get_all(
		CLAIM,
		filters={"expense_date": ("between", [start, end]), "workflow_state": status},
		fields=[
			"name", "expense_date", "tutor", "tutor_name", "purpose", "documentation", "amount",
			"workflow_state", "reviewed_on",
		],
		order_by="tutor_name, expense_date, name",
	)  # fmt: skip
	for row in rows:
		row.documentation = _(row.documentation)
		row.workflow_state = _(row.workflow_state)
		row.currency = "EUR"
	return rows


def get_summary(data: list[dict]) -> list[dict]:
	return [
		{"label": _("Claims"), "value": len(data), "datatype": "Int"},
		{"label": _("Tutors"), "value": len({row.tutor for row in data}), "datatype": "Int"},
		{
			"label": _("Total"),
			"value": sum(row.amount or 0 for row in data),
			"datatype": "Currency",
			"currency": "EUR",
		},
	]
