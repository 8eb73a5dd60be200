"""Tutor Pipeline: tutors per activation phase now, how long tutors stayed in each phase (median and
longest, from the phase history) and where they dropped out (to Withdrawn or Not Suitable)."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, flt, getdate, today

from ciac_tutoring.activation.workflow_gates import PHASES
from ciac_tutoring.tutoring.report.report_utils import ALL_PHASES, DROP_OUT_PHASES, DateDiff

MAIN_PHASES = ALL_PHASES[: len(PHASES)]


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	data = get_data(filters)
	return get_columns(), data, None, get_chart_data(data), get_report_summary(data)


def get_columns() -> list[dict]:
	return [
		{"label": _("Step"), "fieldname": "step", "fieldtype": "Data", "width": 60},
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Data", "width": 170},
		{"label": _("Tutors Now"), "fieldname": "tutors_now", "fieldtype": "Int", "width": 100},
		{
			"label": _("Longest Current Stay (Days)"),
			"fieldname": "longest_current_days",
			"fieldtype": "Int",
			"width": 130,
		},
		{"label": _("Left the Phase"), "fieldname": "left_phase", "fieldtype": "Int", "width": 110},
		{
			"label": _("Median Days in Phase"),
			"fieldname": "median_days",
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{"label": _("Longest Days in Phase"), "fieldname": "longest_days", "fieldtype": "Int", "width": 120},
		{"label": _("Dropped Out"), "fieldname": "dropped_out", "fieldtype": "Int", "width": 100},
		{"label": _("Drop-out Rate %"), "fieldname": "drop_out_rate", "fieldtype": "Percent", "width": 110},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	current = get_current_phases(filters)
	stays = get_completed_stays(filters)
	data = []
	for index, phase in enumerate(ALL_PHASES):
		now = current.get(phase, {})
		stay = stays.get(phase, {})
		left_phase = int(stay.get("left_phase") or 0)
		dropped_out = int(stay.get("dropped_out") or 0)
		data.append(
			frappe._dict(
				step=str(index + 1) if phase in MAIN_PHASES else "",
				phase_name=phase,
				phase=_(phase),
				tutors_now=int(now.get("tutors_now") or 0),
				longest_current_days=now.get("longest_current_days"),
				left_phase=left_phase,
				median_days=flt(stay["median_days"], 1) if stay.get("median_days") is not None else None,
				longest_days=stay.get("longest_days"),
				dropped_out=dropped_out,
				drop_out_rate=flt(100.0 * dropped_out / left_phase, 1) if left_phase else 0.0,
			)
		)
	return data


def tutor_query(filters: frappe._dict):
	tutor = frappe.qb.DocType("Tutor")
	query = frappe.qb.from_(tutor)
	if filters.get("municipality"):
		query = query.where(tutor.municipality == filters.municipality)
	if filters.get("tutor_type"):
		query = query.where(tutor.tutor_type == filters.tutor_type)
	return query, tutor


def get_current_phases(filters: frappe._dict) -> dict:
	"""A snapshot: the tutors in each phase today and the longest of their stays so far."""
	query, tutor = tutor_query(filters)
	as_of = getdate(filters.get("as_of_date") or today())
	rows = (
		query.select(
			tutor.workflow_state.as_("phase"),
			Count(tutor.name).as_("tutors_now"),
			Max(DateDiff(as_of, tutor.phase_changed_on)).as_("longest_current_days"),
		)
		.groupby(tutor.workflow_state)
		.run(as_dict=True)
	)
	return {row.phase: row for row in rows}


def history_query(filters: frappe._dict):
	"""Phase changes (within the date range) of the filtered tutors; the first row of a tutor
	records its creation and has no previous phase. Tutor is joined only when filtered on."""
	history = frappe.qb.DocType("Tutor Phase History")
	query = (
		frappe.qb.from_(history)
		.where(history.parenttype == "Tutor")
		.where(history.parentfield == "phase_history")
	)
	if filters.get("municipality") or filters.get("tutor_type"):
		query, tutor = tutor_query(filters)
		query = query.join(history).on(
			(history.parent == tutor.name)
			& (history.parenttype == "Tutor")
			& (history.parentfield == "phase_history")
		)
	query = query.where(history.from_phase.isnotnull() & (history.from_phase != ""))
	if filters.get("from_date"):
		query = query.where(history.changed_on >= getdate(filters.from_date))
	if filters.get("to_date"):
		# changed_on is a Datetime: the whole "to" day counts.
		query = query.where(history.changed_on < add_days(getdate(filters.to_date), 1))
	return query, history


def get_completed_stays(filters: frappe._dict) -> dict:
	"""Per phase left: how many left it, the median and longest days spent in it, how many left it
	to drop out. Read as how many stays of each length (a few hundred rows: days are small
	numbers), the median worked out from those counts; MariaDB's MEDIAN() window over every stay
	took 150-240 ms at 40,000 phase changes, this read 30 (docs/benchmarks.md, issue 25)."""
	query, history = history_query(filters)
	dropped = Case().when(history.to_phase.isin(DROP_OUT_PHASES), 1).else_(0)
	rows = (
		query.select(
			history.from_phase.as_("phase"),
			history.days_in_previous_phase.as_("days"),
			Count(history.name).as_("stays"),
			Sum(dropped).as_("dropped_out"),
		)
		.groupby(history.from_phase, history.days_in_previous_phase)
		.run(as_dict=True)
	)
	lengths: dict[str, list[tuple[int, int]]] = {}
	stays: dict[str, dict] = {}
	for row in rows:
		stay = stays.setdefault(row.phase, {"left_phase": 0, "dropped_out": 0, "longest_days": None})
		stay["left_phase"] += int(row.stays)
		stay["dropped_out"] += int(row.dropped_out or 0)
		if row.days is not None:
			longest = stay["longest_days"]
			stay["longest_days"] = row.days if longest is None else max(longest, row.days)
			lengths.setdefault(row.phase, []).append((row.days, int(row.stays)))
	for phase, stay in stays.items():
		stay["median_days"] = median_of_counts(lengths.get(phase, []))
	return stays


def median_of_counts(counts: list[tuple[int, int]]) -> float | None:
	"""The median of values given as (value, how many times): the middle value, or the mean of the
	two middle ones (as MariaDB's MEDIAN); None without values."""
	total = sum(times for _value, times in counts)
	if not total:
		return None
	middle = ((total - 1) // 2, total // 2)  # positions, from 0, in the sorted values
	found, seen = [], 0
	for value, times in sorted(counts):
		found += [value for position in middle if seen <= position < seen + times]
		seen += times
	return sum(found) / 2


def get_chart_data(data: list[dict]) -> dict | None:
	if not any(row.tutors_now or row.left_phase for row in data):
		return None
	main = [row for row in data if row.step]
	return {
		"data": {
			"labels": [row.phase for row in main],
			"datasets": [
				{"name": _("Tutors Now"), "values": [row.tutors_now for row in main]},
				{"name": _("Dropped Out"), "values": [row.dropped_out for row in main]},
			],
		},
		"type": "bar",
		"colors": ["#5E64FF", "#E24C4C"],
	}


def get_report_summary(data: list[dict]) -> list[dict] | None:
	by_phase = {row.phase_name: row for row in data}
	total = sum(row.tutors_now for row in data)
	if not total:
		return None
	tutoring = by_phase["Tutoring Started"].tutors_now + by_phase["Monitoring"].tutors_now
	waiting = sum(by_phase[phase].tutors_now for phase in MAIN_PHASES[:4])
	dropped = sum(by_phase[phase].tutors_now for phase in DROP_OUT_PHASES)
	return [
		{"value": total, "label": _("Tutors"), "datatype": "Int", "indicator": "Blue"},
		{"value": waiting, "label": _("Tutors Being Activated"), "datatype": "Int", "indicator": "Orange"},
		{"value": tutoring, "label": _("Tutors Tutoring"), "datatype": "Int", "indicator": "Green"},
		{"value": dropped, "label": _("Tutors Dropped Out"), "datatype": "Int", "indicator": "Red"},
	]
