"""Tutors Without Insurance: active tutors (Tutoring Started, Monitoring) lacking a cover the law
requires (injury and illness, civil liability) on a day, today by default."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.permissions import is_staff
from ciac_tutoring.third_sector.insurance import missing_covers

ACTIVE_PHASES = (gates.TUTORING_STARTED, gates.MONITORING)


def execute(filters: dict | None = None):
	if not is_staff():
		frappe.throw(_("Only CIAC staff can see this report."), frappe.PermissionError)
	filters = frappe._dict(filters or {})
	return get_columns(), get_data(getdate(filters.on_date or today()))


def get_columns() -> list[dict]:
	return [
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 150},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 200},
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Data", "width": 140},
		{"label": _("Missing Cover"), "fieldname": "missing_cover", "fieldtype": "Data", "width": 280},
	]


def get_data(on_date) -> list[dict]:
	tutors = frappe.get_all(
		"Tutor",
		filters={"workflow_state": ("in", ACTIVE_PHASES)},
		fields=["name", "tutor_name", "workflow_state"],
		order_by="tutor_name",
	)
	lacking = missing_covers([tutor.name for tutor in tutors], on_date)
	return [
		{
			"tutor": tutor.name,
			"tutor_name": tutor.tutor_name,
			"phase": _(tutor.workflow_state),
			"missing_cover": ", ".join(_(cover) for cover in lacking[tutor.name]),
		}
		for tutor in tutors
		if lacking[tutor.name]
	]
