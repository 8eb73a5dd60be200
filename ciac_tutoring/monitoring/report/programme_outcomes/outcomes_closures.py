"""Programme Outcomes, views Closure Reasons (per reason: how many, who initiated them, how long
they lasted, the final rating, the tutors available again) and Duration."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, IfNull, Sum
from frappe.utils import flt, getdate, today

from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_query import (
	closed_in_range,
	date_range,
	duration_days,
	pairings_query,
)
from ciac_tutoring.tutoring.report.report_utils import DateDiff

CLOSURE_INITIATORS = ("Tutor", "Beneficiary", "Both", "CIAC")
# Upper bounds in days (exclusive) of the duration buckets.
DURATION_BUCKETS = (
	(91, "Under 3 months"),
	(183, "3 to 6 months"),
	(274, "6 to 9 months"),
	(365, "9 to 12 months"),
	(None, "12 months or more"),
)


def closure_reasons(filters: frappe._dict):
	query, pairing = closed_in_range(filters)
	rows = (
		query.select(
			IfNull(pairing.closure_reason, "").as_("reason"),
			Count(pairing.name).as_("pairings"),
			Avg(duration_days(pairing)).as_("average_duration"),
		)
		.groupby(pairing.closure_reason)
		.orderby(Count(pairing.name), order=frappe.qb.desc)
		.run(as_dict=True)
	)
	total = sum(row.pairings for row in rows)
	outcomes = closure_outcomes_per_reason(filters)
	for row in rows:
		row.update(outcomes.get(row.reason) or {})
		row.reason = row.reason or _("Not Set")
		row.share = flt(100.0 * row.pairings / total, 1)
		row.average_duration = flt(row.average_duration, 1)
	columns = [
		{
			"label": _("Closure Reason"),
			"fieldname": "reason",
			"fieldtype": "Link",
			"options": "Closure Reason",
			"width": 220,
		},
		{"label": _("Pairings Closed"), "fieldname": "pairings", "fieldtype": "Int", "width": 130},
		{"label": _("Share %"), "fieldname": "share", "fieldtype": "Percent", "width": 100},
		{
			"label": _("Average Duration (Days)"),
			"fieldname": "average_duration",
			"fieldtype": "Float",
			"precision": 1,
			"width": 160,
		},
		*(
			{
				"label": _("Initiated by {0}").format(_(initiator)),
				"fieldname": initiator_field(initiator),
				"fieldtype": "Int",
				"width": 120,
			}
			for initiator in CLOSURE_INITIATORS
		),
		{
			"label": _("Average Final Rating (1-5)"),
			"fieldname": "average_final_rating",
			"fieldtype": "Float",
			"precision": 1,
			"width": 160,
		},
		{
			"label": _("Tutors Available Again"),
			"fieldname": "tutors_available_again",
			"fieldtype": "Int",
			"width": 150,
		},
	]
	chart = None
	if rows:
		chart = {
			"data": {
				"labels": [row.reason for row in rows],
				"datasets": [{"name": _("Pairings Closed"), "values": [row.pairings for row in rows]}],
			},
			"type": "pie",
		}
	summary = (
		[{"value": total, "label": _("Pairings Closed"), "datatype": "Int", "indicator": "Red"}]
		if rows
		else None
	)
	return columns, rows, None, chart, summary


def initiator_field(initiator: str) -> str:
	return f"initiated_by_{initiator.lower()}"


def closure_outcomes_per_reason(filters: frappe._dict) -> dict[str, dict]:
	"""Per closure reason: who initiated the closures, how many tutors were available again, and
	the average final rating of the goals (rated goals only)."""
	query, pairing = closed_in_range(filters)
	rows = (
		query.select(
			IfNull(pairing.closure_reason, "").as_("reason"),
			Sum(pairing.tutor_available_again).as_("tutors_available_again"),
			*(
				Sum(Case().when(pairing.closure_initiated_by == initiator, 1).else_(0)).as_(
					initiator_field(initiator)
				)
				for initiator in CLOSURE_INITIATORS
			),
		)
		.groupby(pairing.closure_reason)
		.run(as_dict=True)
	)
	outcomes = {row.pop("reason"): {key: int(value or 0) for key, value in row.items()} for row in rows}
	query, pairing = closed_in_range(filters)
	goal_row = frappe.qb.DocType("Pairing Goal")
	ratings = (
		query.join(goal_row)
		.on(
			(goal_row.parent == pairing.name)
			& (goal_row.parenttype == "Pairing")
			& (goal_row.parentfield == "goals")
		)
		.select(IfNull(pairing.closure_reason, "").as_("reason"), Avg(goal_row.final_progress))
		.where(goal_row.final_progress > 0)
		.groupby(pairing.closure_reason)
		.run()
	)
	for reason, average in ratings:
		outcomes.setdefault(reason, {})["average_final_rating"] = flt(average, 1)
	return outcomes


# --- Duration -------------------------------------------------------------------------------


def bucket_of(days):
	case = Case()
	for upper, label in DURATION_BUCKETS:
		if upper is None:
			return case.else_(label)
		case = case.when(days < upper, label)
	return case


def durations(filters: frappe._dict):
	closed_query, pairing = closed_in_range(filters)
	closed = dict(
		closed_query.select(bucket_of(duration_days(pairing)).as_("bucket"), Count(pairing.name))
		.groupby(bucket_of(duration_days(pairing)))
		.run()
	)
	as_of = min(date_range(filters)[1], getdate(today()))
	active_query, pairing = pairings_query(filters)
	running_days = DateDiff(as_of, pairing.start_date)
	active = dict(
		active_query.select(bucket_of(running_days).as_("bucket"), Count(pairing.name))
		.where(pairing.status == "Active")
		.where(pairing.start_date <= as_of)
		.groupby(bucket_of(running_days))
		.run()
	)
	data = [
		frappe._dict(
			bucket_name=label, bucket=_(label), closed=closed.get(label, 0), active=active.get(label, 0)
		)
		for _upper, label in DURATION_BUCKETS
	]
	columns = [
		{"label": _("Duration"), "fieldname": "bucket", "fieldtype": "Data", "width": 160},
		{"label": _("Pairings Closed"), "fieldname": "closed", "fieldtype": "Int", "width": 130},
		{"label": _("Active Pairings So Far"), "fieldname": "active", "fieldtype": "Int", "width": 160},
	]
	chart = None
	if any(row.closed or row.active for row in data):
		chart = {
			"data": {
				"labels": [row.bucket for row in data],
				"datasets": [
					{"name": _("Pairings Closed"), "values": [row.closed for row in data]},
					{"name": _("Active Pairings So Far"), "values": [row.active for row in data]},
				],
			},
			"type": "bar",
			"colors": ["#E24C4C", "#29CD42"],
		}
	return columns, data, None, chart, None
