"""Programme Outcomes, views Goals (per goal, the progress at the pairings' last monitoring) and
Goals at Closure (the rating at the start and the final one of the pairings closed)."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, IfNull, Sum
from frappe.utils import flt

from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_query import (
	RUNNING_STATUSES,
	closed_in_range,
	date_range,
	pairings_query,
)


def goals(filters: frappe._dict):
	query, pairing = pairings_query(filters)
	goal_row = frappe.qb.DocType("Pairing Goal")
	from_date, to_date = date_range(filters)
	rated = goal_row.progress > 0
	query = (
		per_goal(query, pairing, goal_row)
		.select(
			IfNull(frappe.qb.DocType("Tutoring Goal").sequence, 99).as_("sequence"),
			Sum(Case().when(rated, 1).else_(0)).as_("rated"),
			Avg(Case().when(rated, goal_row.progress)).as_("average_progress"),
			*(
				Sum(Case().when(goal_row.progress == level, 1).else_(0)).as_(f"level_{level}")
				for level in range(1, 6)
			),
		)
		.where(pairing.status.isin(filters.get("status") and [filters.status] or RUNNING_STATUSES))
		.where((pairing.last_monitoring >= from_date) & (pairing.last_monitoring <= to_date))
	)
	rows = query.run(as_dict=True)
	for row in rows:
		row.rated = int(row.rated or 0)
		row.average_progress = flt(row.average_progress, 1) if row.rated else None
		for level in range(1, 6):
			row[f"level_{level}"] = int(row[f"level_{level}"] or 0)
	columns = [
		{
			"label": _("Goal"),
			"fieldname": "goal",
			"fieldtype": "Link",
			"options": "Tutoring Goal",
			"width": 300,
		},
		{"label": _("Pairings"), "fieldname": "pairings", "fieldtype": "Int", "width": 90},
		{"label": _("Rated"), "fieldname": "rated", "fieldtype": "Int", "width": 80},
		{
			"label": _("Average Progress (1-5)"),
			"fieldname": "average_progress",
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
		*(
			{
				"label": _("Progress {0}").format(level),
				"fieldname": f"level_{level}",
				"fieldtype": "Int",
				"width": 95,
			}
			for level in range(1, 6)
		),
	]
	chart = goal_chart(rows, [(_("Average Progress (1-5)"), "average_progress")])
	return columns, rows, None, chart, None


def per_goal(query, pairing, goal_row):
	"""A query over pairings, as one row per goal of theirs (goal, pairings), in the goals' order."""
	goal = frappe.qb.DocType("Tutoring Goal")
	return (
		query.join(goal_row)
		.on(
			(goal_row.parent == pairing.name)
			& (goal_row.parenttype == "Pairing")
			& (goal_row.parentfield == "goals")
		)
		.left_join(goal)
		.on(goal.name == goal_row.goal)
		.select(goal_row.goal, Count(pairing.name).as_("pairings"))
		.groupby(goal_row.goal, goal.sequence)
		.orderby(IfNull(goal.sequence, 99))
		.orderby(goal_row.goal)
	)


def goal_chart(rows: list[dict], series: list[tuple[str, str]], colors: list[str] | None = None):
	"""A bar per goal for each (label, field) of `series`; None without rows."""
	if not rows:
		return None
	chart = {
		"data": {
			"labels": [row.goal for row in rows],
			"datasets": [
				{"name": label, "values": [row[field] or 0 for row in rows]} for label, field in series
			],
		},
		"type": "bar",
	}
	if colors:
		chart["colors"] = colors
	return chart


# --- Goals at Closure -----------------------------------------------------------------------


def goals_at_closure(filters: frappe._dict):
	"""Per goal, over the pairings closed in the range: the average rating at the start and at
	closure (each over the pairings that rated it), and the average change over those rated both
	times, with how many improved."""
	query, pairing = closed_in_range(filters)
	goal_row = frappe.qb.DocType("Pairing Goal")
	start_rated, final_rated = goal_row.initial_progress > 0, goal_row.final_progress > 0
	both_rated = start_rated & final_rated
	rows = (
		per_goal(query, pairing, goal_row)
		.select(
			Avg(Case().when(start_rated, goal_row.initial_progress)).as_("average_at_start"),
			Avg(Case().when(final_rated, goal_row.final_progress)).as_("average_at_closure"),
			Sum(Case().when(both_rated, 1).else_(0)).as_("rated_both"),
			Avg(Case().when(both_rated, goal_row.final_progress - goal_row.initial_progress)).as_(
				"average_change"
			),
			Sum(
				Case().when(both_rated & (goal_row.final_progress > goal_row.initial_progress), 1).else_(0)
			).as_("improved"),
		)
		.run(as_dict=True)
	)
	for row in rows:
		row.rated_both, row.improved = int(row.rated_both or 0), int(row.improved or 0)
		for field in ("average_at_start", "average_at_closure", "average_change"):
			row[field] = flt(row[field], 1) if row[field] is not None else None
	columns = [
		{
			"label": _("Goal"),
			"fieldname": "goal",
			"fieldtype": "Link",
			"options": "Tutoring Goal",
			"width": 300,
		},
		{"label": _("Pairings Closed"), "fieldname": "pairings", "fieldtype": "Int", "width": 130},
		{
			"label": _("Average Rating at Start"),
			"fieldname": "average_at_start",
			"fieldtype": "Float",
			"precision": 1,
			"width": 160,
		},
		{
			"label": _("Average Final Rating (1-5)"),
			"fieldname": "average_at_closure",
			"fieldtype": "Float",
			"precision": 1,
			"width": 160,
		},
		{
			"label": _("Rated at Start and Closure"),
			"fieldname": "rated_both",
			"fieldtype": "Int",
			"width": 170,
		},
		{
			"label": _("Average Change"),
			"fieldname": "average_change",
			"fieldtype": "Float",
			"precision": 1,
			"width": 130,
		},
		{"label": _("Improved"), "fieldname": "improved", "fieldtype": "Int", "width": 100},
	]
	chart = goal_chart(
		rows,
		[
			(_("Average Rating at Start"), "average_at_start"),
			(_("Average Final Rating (1-5)"), "average_at_closure"),
		],
		colors=["#FFA00A", "#29CD42"],
	)
	return columns, rows, None, chart, None
