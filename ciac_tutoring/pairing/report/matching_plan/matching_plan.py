"""Matching Plan: for the whole programme, the assignment of waiting beneficiaries to tutors' free
places that maximises the total score (an optimal assignment, not a greedy pick), shown for the
coordinators to review; "Propose these pairings" then creates them as Proposed pairings."""

from frappe import _

from ciac_tutoring.pairing.matching_plan import programme_plan
from ciac_tutoring.pairing.report.matching_candidates.matching_candidates import score_columns


def execute(filters: dict | None = None):
	plan = programme_plan()
	columns = [
		{
			"label": _("Beneficiary"),
			"fieldname": "beneficiary",
			"fieldtype": "Link",
			"options": "Beneficiary",
			"width": 120,
		},
		{"label": _("Beneficiary Name"), "fieldname": "beneficiary_name", "fieldtype": "Data", "width": 150},
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 120},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 150},
		# Select, so the desk shows stored values (statuses, phases) translated
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Select", "width": 110},
		*score_columns(),
	]
	summary = None
	if plan:
		summary = [
			{"value": len(plan), "label": _("Pairings Proposed"), "datatype": "Int", "indicator": "Green"},
			{
				# A whole number: the desk shows a Float summary with three decimals.
				"value": round(sum(row.score for row in plan)),
				"label": _("Total Score"),
				"datatype": "Int",
				"indicator": "Blue",
			},
		]
	return columns, plan, None, None, summary
