"""Pairing Compliance: every pairing's days since its last phone contact, meeting and CIAC monitoring,
measured against the interval agreed for that pairing, and the compliance status they make.

Computed live, on the as-of date, with the programme's commitment rule
(ciac_tutoring/monitoring/compliance.py): the same rule the daily job and every saved Contact Log
store on the pairings, so the report agrees with the number cards and the tutors' portal."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ciac_tutoring.beneficiary_voice.reporting import voice_by_pairing
from ciac_tutoring.monitoring import compliance as rule

ON_TRACK, DUE_SOON, OVERDUE = rule.ON_TRACK, rule.DUE_SOON, rule.OVERDUE
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
			"fieldname": "phone_last",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Days Since Phone Contact"),
			"fieldname": "phone_since",
			"fieldtype": "Int",
			"width": 90,
		},
		{"label": _("Phone Cadence (Days)"), "fieldname": "phone_interval", "fieldtype": "Int", "width": 90},
		{"label": _("Last Meeting"), "fieldname": "meeting_last", "fieldtype": "Date", "width": 110},
		{
			"label": _("Days Since Meeting"),
			"fieldname": "meeting_since",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Meeting Cadence (Days)"),
			"fieldname": "meeting_interval",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Last CIAC Monitoring"),
			"fieldname": "monitoring_last",
			"fieldtype": "Date",
			"width": 110,
		},
		{
			"label": _("Days Since Monitoring"),
			"fieldname": "monitoring_since",
			"fieldtype": "Int",
			"width": 90,
		},
		{
			"label": _("Monitoring Cadence (Days)"),
			"fieldname": "monitoring_interval",
			"fieldtype": "Int",
			"width": 90,
		},
		{"label": _("Compliance"), "fieldname": "compliance", "fieldtype": "Data", "width": 100},
		{"label": _("Late Commitments"), "fieldname": "late_commitments", "fieldtype": "Data", "width": 220},
		# the beneficiary's own view (module Beneficiary Voice)
		{
			"label": _("Check-in Response Rate (%)"),
			"fieldname": "response_rate",
			"fieldtype": "Percent",
			"width": 110,
		},
		{
			"label": _("Confirmed Contacts (%)"),
			"fieldname": "confirmed_share",
			"fieldtype": "Percent",
			"width": 110,
		},
		{"label": _("Beneficiary Disagrees"), "fieldname": "disagreement", "fieldtype": "Data", "width": 170},
	]


VOICE_BY_NAME = 500


def get_data(filters: frappe._dict) -> list[dict]:
	values = {
		**rule.sql_values(getdate(filters.get("as_of_date") or today())),
		"status": filters.get("status") or "Active",
		**{key: filters.get(key) for key in ("coordinator", "municipality", "tutor", "compliance")},
	}
	conditions = ["p.status = %(status)s"]
	if filters.get("coordinator"):
		conditions.append("p.coordinator = %(coordinator)s")
	if filters.get("municipality"):
		conditions.append("t.municipality = %(municipality)s")
	if filters.get("tutor"):
		conditions.append("p.tutor = %(tutor)s")
	if filters.get("compliance"):
		conditions.append(f"{rule.status_sql()} = %(compliance)s")
	# The states in a table of their own (materialised: `derived_merge` off), the status and the late
	# commitments from them: inline, each is recomputed from the pairing many times over (half the
	# report's time at 10,000 pairings, docs/benchmarks.md).
	state = lambda commitment: f"r.{rule.alias(commitment)}_state"  # noqa: E731
	# Only what the report shows goes back: at 10,000 rows the driver's decoding is a third of it.
	shown = [
		*("pairing", "beneficiary_name", "tutor", "tutor_name", "coordinator", "coordinator_name"),
		*("municipality", "start_date"),
		*(
			f"{rule.alias(c)}_{column}"
			for c in rule.COMMITMENTS
			for column in ("last", "since", "interval", "state")
		),
	]
	rows = frappe.db.sql(
		f"""
		SET STATEMENT optimizer_switch = 'derived_merge=off' FOR
		SELECT {", ".join(f"r.{column}" for column in shown)}, {rule.status_sql(state, row="r")} AS compliance,
			{rule.late_commitments_sql(state, row="r")} AS late
		FROM (
			SELECT p.name AS pairing, p.status, p.beneficiary_name, p.tutor, p.tutor_name,
				p.coordinator, IFNULL(u.full_name, p.coordinator) AS coordinator_name, t.municipality,
				p.start_date,
				{rule.commitment_columns(columns=("last", "since", "interval", "state"), with_status=False)}
			FROM `tabPairing` p
			LEFT JOIN `tabTutor` t ON t.name = p.tutor
			LEFT JOIN `tabUser` u ON u.name = p.coordinator
			WHERE {" AND ".join(conditions)}
		) r
		ORDER BY FIELD(compliance, %(overdue)s, %(due_soon)s) DESC, phone_since DESC
		""",
		{**values, "overdue": OVERDUE, "due_soon": DUE_SOON},
		as_dict=True,
	)
	# A handful of distinct lines over thousands of rows: each translated once (frappe._ asks Redis).
	translated = {}
	for row in rows:
		lines = (row.pop("late") or "").splitlines()
		row.late_commitments = ", ".join(translated.setdefault(line, _(line)) for line in lines)
	# Past a few hundred pairings, every check-in's figures cost less than a list of the names.
	voice = voice_by_pairing([row.pairing for row in rows] if len(rows) <= VOICE_BY_NAME else None)
	for row in rows:
		row.update(voice.get(row.pairing) or {})
		row.disagreement = _(row.disagreement) if row.get("disagreement") else None
	if filters.get("beneficiary_disagrees"):
		rows = [row for row in rows if row.disagreement]
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
		if row.compliance in counts:  # a pairing that is not Active has no commitments
			counts[row.compliance] += 1
	return counts
