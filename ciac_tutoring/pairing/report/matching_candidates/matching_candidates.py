"""Matching Candidates: the tutors for one waiting beneficiary, best first, and why.

The scores and their parts come from `ciac_tutoring.pairing.matching` (see its docstring)."""

import frappe
from frappe import _

from ciac_tutoring.pairing.matching import PARTS, rank_candidates

# A part's column says it is points: "Municipality" beside the tutor's municipality read as a second one.
POINTS_LABELS = {
	"languages": "Languages (points)",
	"support_areas": "Support Areas (points)",
	"municipality": "Municipality (points)",
	"preferences": "Preferences (points)",
	"interests": "Interests (points)",
}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.get("beneficiary"):
		return get_columns(), [], _("Choose a waiting beneficiary."), None, None
	return get_columns(), rank_candidates(filters.beneficiary), None, None, None


def score_columns() -> list[dict]:
	"""The score, why, then its parts: "Why" stays on a 1366 px screen."""
	return [
		{"label": _("Score"), "fieldname": "score", "fieldtype": "Float", "precision": 1, "width": 70},
		{"label": _("Why"), "fieldname": "why", "fieldtype": "Data", "width": 420},
		*(
			{
				"label": _(POINTS_LABELS[part]),
				"fieldname": f"{part}_points",
				"fieldtype": "Float",
				"precision": 1,
				"width": 120,
			}
			for part in PARTS
		),
	]


def get_columns() -> list[dict]:
	return [
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 120},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 160},
		# Select, so the desk shows stored values (statuses, phases) translated
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Select", "width": 110},
		{"label": _("Municipality"), "fieldname": "municipality", "fieldtype": "Data", "width": 110},
		{"label": _("Free Places"), "fieldname": "free_places", "fieldtype": "Int", "width": 80},
		*score_columns(),
	]
