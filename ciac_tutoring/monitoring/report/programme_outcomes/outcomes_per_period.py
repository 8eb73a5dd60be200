"""Programme Outcomes, view Per Period: pairings started and closed per month, quarter or year,
and active at each period's end."""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, add_months, flt, get_first_day, getdate

from ciac_tutoring.beneficiary_voice.reporting import programme_voice
from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_query import (
	RUNNING_STATUSES,
	date_range,
	duration_days,
	pairings_query,
)
from ciac_tutoring.tutoring.report.report_utils import DateFormat

PERIOD_MONTHS = {"Monthly": 1, "Quarterly": 3, "Yearly": 12}


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
