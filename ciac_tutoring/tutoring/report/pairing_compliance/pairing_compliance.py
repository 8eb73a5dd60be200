"""Pairing Compliance: every pairing's days since its last phone contact, meeting and CIAC monitoring,
measured against the cadence agreed for that pairing (Tutoring Settings, per-pairing commitments).

Computed live with the monitoring job's rule (ciac_tutoring/monitoring/compliance.py), so the report
is right even between two runs of the job: a commitment is overdue once more days than its interval
have passed since its last occurrence (or the start), due soon within the grace days before that;
the agreed frequency divides the cadence, rounded down, never under a day."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Floor, IfNull
from frappe.utils import getdate, today

from ciac_tutoring.tutoring.report.report_utils import DateDiff, Greatest, get_settings

ON_TRACK, DUE_SOON, OVERDUE = "On track", "Due soon", "Overdue"
STATUS_COLOURS = {ON_TRACK: "Green", DUE_SOON: "Orange", OVERDUE: "Red"}


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	columns = get_columns()
	data = get_data(filters)
	return columns, data, None, get_chart_data(data), get_report_summary(data)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Pairing"),
			"fieldname": "pairing",
			"fieldtype": "Link",
			"options": "Pairing",
			"width": 150,
		},
		{"label": _("Beneficiary"), "fieldname": "beneficiary_name", "fieldtype": "Data", "width": 160},
		{"label": _("Tutor"), "fieldname": "tutor", "fieldtype": "Link", "options": "Tutor", "width": 140},
		{"label": _("Tutor Name"), "fieldname": "tutor_name", "fieldtype": "Data", "width": 160},
		{"label": _("Coordinator"), "fieldname": "coordinator_name", "fieldtype": "Data", "width": 150},
		{"label": _("Municipality"), "fieldname": "municipality", "fieldtype": "Data", "width": 110},
		{"label": _("Start Date"), "fieldname": "start_date", "fieldtype": "Date", "width": 100},
		{
			"label": _("Last Phone Contact"),
			"fieldname": "last_phone_contact",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Days Since Phone Contact"),
			"fieldname": "days_since_phone",
			"fieldtype": "Int",
			"width": 90,
		},
		{"label": _("Phone Cadence (Days)"), "fieldname": "phone_cadence", "fieldtype": "Int", "width": 90},
		{"label": _("Last Meeting"), "fieldname": "last_meeting", "fieldtype": "Date", "width": 110},
		{
			"label": _("Days Since Meeting"),
			"fieldname": "days_since_meeting",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Meeting Cadence (Days)"),
			"fieldname": "meeting_cadence",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Last CIAC Monitoring"),
			"fieldname": "last_monitoring",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Days Since Monitoring"),
			"fieldname": "days_since_monitoring",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Monitoring Cadence (Days)"),
			"fieldname": "monitoring_cadence",
			"fieldtype": "Int",
			"width": 90,
		},
		{"label": _("Compliance"), "fieldname": "compliance", "fieldtype": "Data", "width": 100},
		{"label": _("Late Commitments"), "fieldname": "late_commitments", "fieldtype": "Data", "width": 220},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	settings = get_settings()
	as_of = getdate(filters.get("as_of_date") or today())
	pairing = frappe.qb.DocType("Pairing")
	tutor = frappe.qb.DocType("Tutor")
	user = frappe.qb.DocType("User")

	# A pairing that never had a contact is measured from its start.
	since_start = IfNull(pairing.start_date, pairing.creation)
	days_phone = DateDiff(as_of, IfNull(pairing.last_phone_contact, since_start))
	days_meeting = DateDiff(as_of, IfNull(pairing.last_meeting, since_start))
	days_monitoring = DateDiff(as_of, IfNull(pairing.last_monitoring, since_start))
	phone_cadence = Greatest(
		Floor(settings.phone_contact_cadence_days / Greatest(IfNull(pairing.phone_contacts_per_week, 0), 1)),
		1,
	)
	meeting_cadence = Greatest(
		Floor(settings.meeting_cadence_days / Greatest(IfNull(pairing.meetings_per_month, 0), 1)), 1
	)
	monitoring_cadence = settings.monitoring_cadence_days
	grace = settings.grace_days

	phone_late = days_phone > phone_cadence
	meeting_late = days_meeting > meeting_cadence
	monitoring_late = days_monitoring > monitoring_cadence
	compliance = (
		Case()
		.when(phone_late | meeting_late | monitoring_late, OVERDUE)
		.when(
			(days_phone >= phone_cadence - grace)
			| (days_meeting >= meeting_cadence - grace)
			| (days_monitoring >= monitoring_cadence - grace),
			DUE_SOON,
		)
		.else_(ON_TRACK)
	)

	query = (
		frappe.qb.from_(pairing)
		.left_join(tutor)
		.on(tutor.name == pairing.tutor)
		.left_join(user)
		.on(user.name == pairing.coordinator)
		.select(
			pairing.name.as_("pairing"),
			pairing.beneficiary_name,
			pairing.tutor,
			pairing.tutor_name,
			pairing.coordinator,
			IfNull(user.full_name, pairing.coordinator).as_("coordinator_name"),
			tutor.municipality,
			pairing.start_date,
			pairing.last_phone_contact,
			days_phone.as_("days_since_phone"),
			phone_cadence.as_("phone_cadence"),
			pairing.last_meeting,
			days_meeting.as_("days_since_meeting"),
			meeting_cadence.as_("meeting_cadence"),
			pairing.last_monitoring,
			days_monitoring.as_("days_since_monitoring"),
			compliance.as_("compliance"),
			Case()
			.when(phone_late, 2)
			.when(days_phone >= phone_cadence - grace, 1)
			.else_(0)
			.as_("phone_late"),
			Case()
			.when(meeting_late, 2)
			.when(days_meeting >= meeting_cadence - grace, 1)
			.else_(0)
			.as_("meeting_late"),
			Case()
			.when(monitoring_late, 2)
			.when(days_monitoring >= monitoring_cadence - grace, 1)
			.else_(0)
			.as_("monitoring_late"),
		)
		.where(pairing.status == (filters.get("status") or "Active"))
		.orderby(compliance, order=frappe.qb.desc)
		.orderby(days_phone, order=frappe.qb.desc)
	)
	if filters.get("coordinator"):
		query = query.where(pairing.coordinator == filters.coordinator)
	if filters.get("municipality"):
		query = query.where(tutor.municipality == filters.municipality)
	if filters.get("tutor"):
		query = query.where(pairing.tutor == filters.tutor)
	if filters.get("compliance"):
		query = query.where(compliance == filters.compliance)

	rows = query.run(as_dict=True)
	late_labels = (
		("phone_late", _("Weekly phone contact")),
		("meeting_late", _("Monthly meeting")),
		("monitoring_late", _("CIAC monitoring")),
	)
	for row in rows:
		row.phone_cadence = int(row.phone_cadence)
		row.meeting_cadence = int(row.meeting_cadence)
		row.monitoring_cadence = monitoring_cadence
		# As the monitoring job does: the overdue commitments, or else the ones due soon.
		lateness = {key: row.pop(key) for key, _label in late_labels}
		worst = max(lateness.values())
		row.late_commitments = ", ".join(
			label for key, label in late_labels if worst and lateness[key] == worst
		)
	return rows


def get_chart_data(data: list[dict]) -> dict | None:
	if not data:
		return None
	counts = count_by_status(data)
	statuses = [ON_TRACK, DUE_SOON, OVERDUE]
	return {
		"data": {
			"labels": [_(status) for status in statuses],
			"datasets": [{"name": _("Pairings"), "values": [counts[s] for s in statuses]}],
		},
		"type": "donut",
		"colors": ["#29CD42", "#FF8C00", "#E24C4C"],
	}


def get_report_summary(data: list[dict]) -> list[dict] | None:
	if not data:
		return None
	counts = count_by_status(data)
	return [
		{"value": len(data), "label": _("Pairings"), "datatype": "Int", "indicator": "Blue"},
		*(
			{"value": counts[status], "label": _(status), "datatype": "Int", "indicator": colour}
			for status, colour in STATUS_COLOURS.items()
		),
	]


def count_by_status(data: list[dict]) -> dict[str, int]:
	counts = dict.fromkeys(STATUS_COLOURS, 0)
	for row in data:
		counts[row.compliance] += 1
	return counts
