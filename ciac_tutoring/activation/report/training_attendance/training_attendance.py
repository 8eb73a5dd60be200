"""Training Attendance: per session, how many tutors registered, attended and were absent; per tutor,
the hours attended against the settings' minimum (view "Tutors")."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, IfNull, Sum
from frappe.utils import flt, getdate

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

SESSIONS, TUTORS = "Sessions", "Tutors"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if filters.get("view") == TUTORS:
		data = get_tutor_data(filters)
		return get_tutor_columns(), data, None, None, get_tutor_summary(data)
	data = get_session_data(filters)
	return get_session_columns(), data, None, get_session_chart(data), get_session_summary(data)


def get_session_columns() -> list[dict]:
	return [
		{
			"label": _("Training Session"),
			"fieldname": "session",
			"fieldtype": "Link",
			"options": "Training Session",
			"width": 140,
		},
		{"label": _("Title"), "fieldname": "title", "fieldtype": "Data", "width": 200},
		{
			"label": _("Topic"),
			"fieldname": "topic",
			"fieldtype": "Link",
			"options": "Training Topic",
			"width": 150,
		},
		{"label": _("Starts On"), "fieldname": "starts_on", "fieldtype": "Datetime", "width": 150},
		# Select, so the desk shows stored values (statuses, phases) translated
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Select", "width": 90},
		{"label": _("Capacity"), "fieldname": "capacity", "fieldtype": "Int", "width": 80},
		{"label": _("Registered"), "fieldname": "registered", "fieldtype": "Int", "width": 90},
		{"label": _("Attended"), "fieldname": "attended", "fieldtype": "Int", "width": 90},
		{"label": _("Absent"), "fieldname": "absent", "fieldtype": "Int", "width": 90},
		{"label": _("Excused"), "fieldname": "excused", "fieldtype": "Int", "width": 90},
		{
			"label": _("Attendance Rate %"),
			"fieldname": "attendance_rate",
			"fieldtype": "Percent",
			"width": 110,
		},
		{
			"label": _("Hours Attended"),
			"fieldname": "hours_attended",
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
	]


def count_of(attendance, value):
	return Sum(Case().when(attendance.attendance == value, 1).else_(0))


def get_session_data(filters: frappe._dict) -> list[dict]:
	session = frappe.qb.DocType("Training Session")
	attendance = frappe.qb.DocType("Training Attendance")
	query = (
		frappe.qb.from_(session)
		.left_join(attendance)
		.on(
			(attendance.parent == session.name)
			& (attendance.parenttype == "Training Session")
			& (attendance.parentfield == "attendees")
		)
		.select(
			session.name.as_("session"),
			session.title,
			session.topic,
			session.starts_on,
			session.status,
			session.capacity,
			Count(attendance.name).as_("registered"),
			count_of(attendance, "Attended").as_("attended"),
			count_of(attendance, "Absent").as_("absent"),
			count_of(attendance, "Excused").as_("excused"),
			Sum(Case().when(attendance.attendance == "Attended", IfNull(attendance.hours, 0)).else_(0)).as_(
				"hours_attended"
			),
		)
		.groupby(session.name)
		.orderby(session.starts_on)
	)
	query = where_session(query, session, filters)
	rows = query.run(as_dict=True)
	for row in rows:
		row.attended, row.absent, row.excused = (
			int(row.attended or 0),
			int(row.absent or 0),
			int(row.excused or 0),
		)
		row.hours_attended = flt(row.hours_attended, 1)
		row.attendance_rate = flt(100.0 * row.attended / row.registered, 1) if row.registered else 0.0
	return rows


def where_session(query, session, filters: frappe._dict):
	if filters.get("from_date"):
		query = query.where(session.starts_on >= getdate(filters.from_date))
	if filters.get("to_date"):
		query = query.where(session.starts_on < frappe.utils.add_days(getdate(filters.to_date), 1))
	if filters.get("topic"):
		query = query.where(session.topic == filters.topic)
	if filters.get("status"):
		query = query.where(session.status == filters.status)
	return query


def get_session_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row.title or row.session for row in data],
			"datasets": [
				{"name": _("Attended"), "values": [row.attended for row in data]},
				{"name": _("Absent"), "values": [row.absent for row in data]},
				{"name": _("Excused"), "values": [row.excused for row in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29CD42", "#E24C4C", "#FFA00A"],
	}


def get_session_summary(data: list[dict]) -> list[dict] | None:
	if not data:
		return None
	registered = sum(row.registered for row in data)
	attended = sum(row.attended for row in data)
	return [
		{"value": len(data), "label": _("Sessions"), "datatype": "Int", "indicator": "Blue"},
		{"value": registered, "label": _("Registered"), "datatype": "Int", "indicator": "Blue"},
		{"value": attended, "label": _("Attended"), "datatype": "Int", "indicator": "Green"},
		{
			"value": sum(row.absent for row in data),
			"label": _("Absent"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{
			"value": flt(100.0 * attended / registered, 1) if registered else 0,
			"label": _("Attendance Rate %"),
			"datatype": "Percent",
			"indicator": "Green",
		},
	]


def get_tutor_columns() -> list[dict]:
	return [
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 140},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 180},
		{"label": _("Phase"), "fieldname": "phase", "fieldtype": "Select", "width": 150},
		{"label": _("Municipality"), "fieldname": "municipality", "fieldtype": "Data", "width": 120},
		{"label": _("Registered"), "fieldname": "registered", "fieldtype": "Int", "width": 90},
		{"label": _("Attended"), "fieldname": "attended", "fieldtype": "Int", "width": 90},
		{"label": _("Absent"), "fieldname": "absent", "fieldtype": "Int", "width": 90},
		{
			"label": _("Hours Attended"),
			"fieldname": "hours_attended",
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"label": _("Hours Missing"),
			"fieldname": "hours_missing",
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{"label": _("Minimum Reached"), "fieldname": "minimum_reached", "fieldtype": "Data", "width": 120},
	]


def get_tutor_data(filters: frappe._dict) -> list[dict]:
	"""Hours count only in sessions that were held. Tutors in the Training phase are listed even
	without a registration, since they are the ones who still need hours."""
	minimum = get_settings().minimum_training_hours
	session = frappe.qb.DocType("Training Session")
	attendance = frappe.qb.DocType("Training Attendance")
	tutor = frappe.qb.DocType("Tutor")

	per_tutor = (
		frappe.qb.from_(attendance)
		.join(session)
		.on(
			(attendance.parent == session.name)
			& (attendance.parenttype == "Training Session")
			& (attendance.parentfield == "attendees")
		)
		.select(
			attendance.tutor,
			Count(attendance.name).as_("registered"),
			count_of(attendance, "Attended").as_("attended"),
			count_of(attendance, "Absent").as_("absent"),
			Sum(
				Case()
				.when(
					(attendance.attendance == "Attended") & (session.status == "Held"),
					IfNull(attendance.hours, 0),
				)
				.else_(0)
			).as_("hours_attended"),
		)
		.groupby(attendance.tutor)
	)
	per_tutor = where_session(per_tutor, session, frappe._dict(filters, status=None)).as_("per_tutor")

	query = (
		frappe.qb.from_(tutor)
		.left_join(per_tutor)
		.on(per_tutor.tutor == tutor.name)
		.select(
			tutor.name.as_("tutor"),
			tutor.tutor_name,
			tutor.workflow_state.as_("phase"),
			tutor.municipality,
			IfNull(per_tutor.registered, 0).as_("registered"),
			IfNull(per_tutor.attended, 0).as_("attended"),
			IfNull(per_tutor.absent, 0).as_("absent"),
			IfNull(per_tutor.hours_attended, 0).as_("hours_attended"),
		)
		.where(per_tutor.tutor.isnotnull() | (tutor.workflow_state == "Training"))
		.orderby(tutor.tutor_name)
	)
	if filters.get("municipality"):
		query = query.where(tutor.municipality == filters.municipality)
	if filters.get("phase"):
		query = query.where(tutor.workflow_state == filters.phase)

	rows = query.run(as_dict=True)
	for row in rows:
		row.registered, row.attended, row.absent = int(row.registered), int(row.attended), int(row.absent)
		row.hours_attended = flt(row.hours_attended, 1)
		row.hours_missing = flt(max(minimum - row.hours_attended, 0), 1)
		row.reached = row.hours_attended >= minimum
		row.minimum_reached = _("Yes") if row.reached else _("No")
	if filters.get("below_minimum"):
		rows = [row for row in rows if not row.reached]
	return rows


def get_tutor_summary(data: list[dict]) -> list[dict] | None:
	if not data:
		return None
	reached = sum(1 for row in data if row.reached)
	return [
		{"value": len(data), "label": _("Tutors"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": get_settings().minimum_training_hours,
			"label": _("Minimum Training Hours"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{"value": reached, "label": _("Minimum Reached"), "datatype": "Int", "indicator": "Green"},
		{"value": len(data) - reached, "label": _("Below Minimum"), "datatype": "Int", "indicator": "Red"},
	]
