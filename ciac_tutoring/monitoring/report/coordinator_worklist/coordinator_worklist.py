# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

"""The coordinator's worklist (ciac_tutoring/monitoring/worklist.py): what staff must act on, pairing
by pairing, until it is done."""

import frappe
from frappe import _

from ciac_tutoring.monitoring.worklist import get_worklist


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), get_worklist(coordinator=filters.coordinator or None)


def columns() -> list[dict]:
	return [
		{"fieldname": "due", "label": _("Due"), "fieldtype": "Date", "width": 110},
		{"fieldname": "reason", "label": _("What To Do"), "fieldtype": "Data", "width": 240},
		{"fieldname": "detail", "label": _("Detail"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "pairing",
			"label": _("Pairing"),
			"fieldtype": "Link",
			"options": "Pairing",
			"width": 130,
		},
		{"fieldname": "tutor_name", "label": _("Tutor"), "fieldtype": "Data", "width": 180},
		{"fieldname": "beneficiary_name", "label": _("Beneficiary"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "coordinator",
			"label": _("Coordinator"),
			"fieldtype": "Link",
			"options": "User",
			"width": 180,
		},
	]
