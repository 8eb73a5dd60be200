"""Matching Candidates: the tutors for one waiting beneficiary, best first, and why.

The scores and their parts come from `ciac_tutoring.tutoring.matching` (see its docstring)."""

import frappe
from frappe import _

from ciac_tutoring.tutoring.matching import PART_LABELS, PARTS, rank_candidates


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.get("beneficiary"):
		return get_columns(), [], _("Choose a waiting beneficiary."), None, None
	return get_columns(), rank_candidates(filters.beneficiary), None, None, None


def score_columns() -> list[dict]:
	return [
		{"label": _("Score"), "fieldname": "score", "fieldtype": "Float", "precision": 1, "width": 80},
		*(
			{
				"label": _(PART_LABELS[part]),
				"fieldname": f"{part}_points",
				"fieldtype": "Float",
				"precision": 1,
				"width": 110,
			}
			for part in PARTS
		),
		{"label": _("Why"), "fieldname": "why", "fieldtype": "Data", "width": 500},
	]


def get_columns() -> list[dict]:
	return [
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 140},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 180},
		# Select, so the desk shows stored values (statuses, phases) translated
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Select", "width": 130},
		{"label": _("Municipality"), "fieldname": "municipality", "fieldtype": "Data", "width": 120},
		{"label": _("Free Places"), "fieldname": "free_places", "fieldtype": "Int", "width": 90},
		*score_columns(),
	]
