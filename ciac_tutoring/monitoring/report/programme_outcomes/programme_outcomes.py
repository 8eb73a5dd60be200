"""Programme Outcomes: how pairings start, last and end, and how far they get on the six goals.

One report, five views (filter "View"):
- Per Period: pairings started and closed per month, quarter or year, active at the period's end;
- Closure Reasons: pairings closed in the date range, per reason, with their average duration;
- Duration: how long closed pairings lasted and active pairings have lasted so far;
- Goals: per programme goal, the progress (1 to 5) recorded at the pairings' last monitoring,
  for pairings whose last CIAC monitoring falls in the date range;
- Goals at Closure: per goal, the rating at the start and the final rating of the pairings closed
  in the date range, and how much they moved.
Closure Reasons also shows who initiated the closures, the average final rating and how many
tutors were available again.
"""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, IfNull, Sum
from frappe.utils import add_days, add_months, flt, get_first_day, getdate, today

from ciac_tutoring.beneficiary_voice.reporting import programme_voice
from ciac_tutoring.tutoring.report.report_utils import DateDiff, DateFormat

PER_PERIOD, CLOSURE_REASONS, DURATION, GOALS = "Per Period", "Closure Reasons", "Duration", "Goals"
GOALS_AT_CLOSURE = "Goals at Closure"
CLOSURE_INITIATORS = ("Tutor", "Beneficiary", "Both", "CIAC")
PERIOD_MONTHS = {"Monthly": 1, "Quarterly": 3, "Yearly": 12}
# Upper bounds in days (exclusive) of the duration buckets.
DURATION_BUCKETS = (
	(91, "Under 3 months"),
	(183, "3 to 6 months"),
	(274, "6 to 9 months"),
	(365, "9 to 12 months"),
	(None, "12 months or more"),
)
RUNNING_STATUSES = ("Active", "Suspended", "Closed")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	view = filters.get("view") or PER_PERIOD
	builders = {
		PER_PERIOD: per_period,
		CLOSURE_REASONS: closure_reasons,
		DURATION: durations,
		GOALS: goals,
		GOALS_AT_CLOSURE: goals_at_closure,
	}
	return builders[view](filters)


def date_range(filters: frappe._dict) -> tuple[date, date]:
	return (
		getdate(filters.get("from_date") or add_months(today(), -12)),
		getdate(filters.get("to_date") or today()),
	)


def pairings_query(filters: frappe._dict):
	pairing = frappe.qb.DocType("Pairing")
	query = frappe.qb.from_(pairing)
	if filters.get("coordinator"):
		query = query.where(pairing.coordinator == filters.coordinator)
	if filters.get("municipality"):
		tutor = frappe.qb.DocType("Tutor")
		query = (
			query.join(tutor)
			.on(tutor.name == pairing.tutor)
			.where(tutor.municipality == filters.municipality)
		)
	return query, pairing


def duration_days(pairing, as_of=None):
	return DateDiff(IfNull(pairing.closure_date, as_of or getdate(today())), pairing.start_date)


# --- Per Period -----------------------------------------------------------------------------


def get_periods(filters: frappe._dict) -> list[tuple[date, date]]:
	from_date, to_date = date_range(filters)
	step = PERIOD_MONTHS.get(filters.get("periodicity") or "Monthly", 1)
	start = get_first_day(from_date)
	if step == 3:
		start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
	elif step == 12:
		start = start.replace(month=1)
	periods = []
	while start <= to_date:
		end = add_days(add_months(start, step), -1)
		periods.append((start, getdate(end)))
		start = getdate(add_months(start, step))
	return periods


def period_label(start: date, periodicity: str) -> str:
	if periodicity == "Quarterly":
		return f"{start.year} Q{(start.month - 1) // 3 + 1}"
	if periodicity == "Yearly":
		return str(start.year)
	return start.strftime("%Y-%m")


def per_period(filters: frappe._dict):
	periodicity = filters.get("periodicity") or "Monthly"
	periods = get_periods(filters)
	from_date, to_date = date_range(filters)
	started = count_per_month(filters, "start_date", from_date, to_date)
	closed = count_per_month(filters, "closure_date", from_date, to_date, with_duration=True)
	active = active_at(filters, [end for _start, end in periods])

	data = []
	for index, (start, end) in enumerate(periods):
		closed_rows = [row for month, row in closed.items() if start <= month <= end]
		closed_count = sum(row.pairings for row in closed_rows)
		data.append(
			frappe._dict(
				period=period_label(start, periodicity),
				started=sum(row.pairings for month, row in started.items() if start <= month <= end),
				closed=closed_count,
				active_at_end=active[index],
				average_duration=flt(sum(row.days for row in closed_rows) / closed_count, 1)
				if closed_count
				else None,
			)
		)
	columns = [
		{"label": _("Period"), "fieldname": "period", "fieldtype": "Data", "width": 100},
		{"label": _("Pairings Started"), "fieldname": "started", "fieldtype": "Int", "width": 130},
		{"label": _("Pairings Closed"), "fieldname": "closed", "fieldtype": "Int", "width": 130},
		{"label": _("Active at Period End"), "fieldname": "active_at_end", "fieldtype": "Int", "width": 140},
		{
			"label": _("Average Duration of Closed (Days)"),
			"fieldname": "average_duration",
			"fieldtype": "Float",
			"precision": 1,
			"width": 180,
		},
	]
	chart = None
	if any(row.started or row.closed or row.active_at_end for row in data):
		chart = {
			"data": {
				"labels": [row.period for row in data],
				"datasets": [
					{
						"name": _("Pairings Started"),
						"values": [row.started for row in data],
						"chartType": "bar",
					},
					{
						"name": _("Pairings Closed"),
						"values": [row.closed for row in data],
						"chartType": "bar",
					},
					{
						"name": _("Active at Period End"),
						"values": [row.active_at_end for row in data],
						"chartType": "line",
					},
				],
			},
			"type": "axis-mixed",
			"colors": ["#29CD42", "#E24C4C", "#5E64FF"],
		}
	total_started = sum(row.started for row in data)
	total_closed = sum(row.closed for row in data)
	closed_days = sum(row.average_duration * row.closed for row in data if row.closed)
	summary = [
		{"value": total_started, "label": _("Pairings Started"), "datatype": "Int", "indicator": "Green"},
		{"value": total_closed, "label": _("Pairings Closed"), "datatype": "Int", "indicator": "Red"},
		{
			"value": data[-1].active_at_end if data else 0,
			"label": _("Active at Period End"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			# Whole days: the desk shows a Float summary with three decimals.
			"value": round(closed_days / total_closed) if total_closed else 0,
			"label": _("Average Duration of Closed (Days)"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
	summary += voice_summary()
	return columns, data, None, chart, summary


def voice_summary() -> list[dict]:
	"""The beneficiaries' check-ins (module Beneficiary Voice): answered, and contacts confirmed."""
	voice = programme_voice()
	return [
		{"value": voice.response_rate, "label": _("Check-in Response Rate (%)"), "datatype": "Percent"},
		{"value": voice.confirmed_share, "label": _("Confirmed Contacts (%)"), "datatype": "Percent"},
	]


def count_per_month(filters, date_field: str, from_date, to_date, with_duration=False) -> dict:
	query, pairing = pairings_query(filters)
	field = pairing[date_field]
	month = DateFormat(field, "%Y-%m-01")
	query = (
		query.select(month.as_("month"), Count(pairing.name).as_("pairings"))
		.where(pairing.status.isin(RUNNING_STATUSES))
		.where((field >= from_date) & (field <= to_date))
		.groupby(month)
	)
	if with_duration:
		query = query.select(Sum(duration_days(pairing)).as_("days"))
	return {getdate(row.month): row for row in query.run(as_dict=True)}


def active_at(filters, ends: list[date]) -> list[int]:
	"""Pairings running on each date: started by then and not yet closed."""
	if not ends:
		return []
	query, pairing = pairings_query(filters)
	query = query.where(pairing.status.isin(RUNNING_STATUSES)).select(
		*(
			Sum(
				Case()
				.when(
					(pairing.start_date <= end)
					& (pairing.closure_date.isnull() | (pairing.closure_date > end)),
					1,
				)
				.else_(0)
			).as_(f"d{index}")
			for index, end in enumerate(ends)
		)
	)
	row = query.run(as_dict=True)[0]
	return [int(row[f"d{index}"] or 0) for index in range(len(ends))]


# --- Closure Reasons ------------------------------------------------------------------------


def closed_in_range(filters: frappe._dict):
	query, pairing = pairings_query(filters)
	from_date, to_date = date_range(filters)
	query = query.where(pairing.status == "Closed").where(
		(pairing.closure_date >= from_date) & (pairing.closure_date <= to_date)
	)
	return query, pairing


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


# --- Goals ----------------------------------------------------------------------------------


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
