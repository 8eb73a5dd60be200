"""Contact Activity: contacts per month by kind, initiator or support area, and the share of pairings
that met their weekly phone contact and monthly meeting commitments in each month.

Commitments are measured on complete months only, for the pairings that ran the whole month
(started by its first day, not closed before its last, and not left Proposed or Suspended):
- monthly meeting: at least the pairing's meetings_per_month meetings dated in the month;
- weekly phone contact: at least phone_contacts_per_week calls in every week (Monday to Sunday)
  that starts in the month.

Plain grouped counts: contacts per month and group; calls per pairing and week and meetings per
pairing and month, compared with each pairing's agreement in Python. Over a year of a programme
of 10,000 pairings (a million contacts) that takes more than the desk's one-second budget, so the
report is a Prepared Report: Frappe runs it in the background and the desk shows the last result
(docs/benchmarks.md).
"""

import calendar
from collections import Counter
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import add_months, cint, flt, get_first_day, get_last_day, getdate, today

from ciac_tutoring.tutoring.doctype.contact_log.contact_log import MEETING_KINDS, PHONE_KINDS
from ciac_tutoring.tutoring.report.report_utils import select_options

KIND, INITIATOR, SUPPORT_AREA = "Kind", "Initiated By", "Support Area"
ELIGIBLE_STATUSES = ("Active", "Closed")
MONTH_OF = "DATE_FORMAT(c.contact_date, '%%Y-%%m-01')"
MONDAY_OF = "(c.contact_date - INTERVAL WEEKDAY(c.contact_date) DAY)"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	filters.group_by = filters.get("group_by") or KIND
	months = get_months(filters)
	counts = get_contact_counts(filters)
	groups = get_groups(filters, counts)
	data = get_data(filters, months, counts, groups)
	columns = get_columns(groups)
	return columns, data, None, get_chart_data(data, groups), get_report_summary(data)


def get_months(filters: frappe._dict) -> list[date]:
	from_date = getdate(filters.get("from_date") or add_months(today(), -6))
	to_date = getdate(filters.get("to_date") or today())
	months, month = [], get_first_day(from_date)
	while month <= to_date:
		months.append(month)
		month = add_months(month, 1)
	return months


def group_key(value) -> str:
	return "grp_" + frappe.scrub(str(value or "none"))


def get_groups(filters: frappe._dict, counts: list[dict]) -> list[str]:
	if filters.group_by == KIND:
		return select_options("Contact Log", "kind")
	if filters.group_by == INITIATOR:
		return select_options("Contact Log", "initiated_by")
	areas = frappe.get_all("Support Area", order_by="name", pluck="name")
	return areas + sorted({row.grp for row in counts if row.grp and row.grp not in areas})


def get_columns(groups: list[str]) -> list[dict]:
	return [
		{"label": _("Month"), "fieldname": "month", "fieldtype": "Data", "width": 90},
		{"label": _("Contacts"), "fieldname": "contacts", "fieldtype": "Int", "width": 90},
		*(
			{"label": _(group), "fieldname": group_key(group), "fieldtype": "Int", "width": 120}
			for group in groups
		),
		{"label": _("Pairings Running All Month"), "fieldname": "eligible", "fieldtype": "Int", "width": 120},
		{"label": _("Met Weekly Phone Contact"), "fieldname": "met_weekly", "fieldtype": "Int", "width": 120},
		{
			"label": _("Weekly Phone Contact %"),
			"fieldname": "weekly_share",
			"fieldtype": "Percent",
			"width": 120,
		},
		{"label": _("Met Monthly Meeting"), "fieldname": "met_monthly", "fieldtype": "Int", "width": 120},
		{"label": _("Monthly Meeting %"), "fieldname": "monthly_share", "fieldtype": "Percent", "width": 120},
	]


def party_joins(
	filters: frappe._dict, values: dict, pairing: str = "c.pairing", tutor: str = "c.tutor"
) -> tuple[str, str]:
	"""(JOINs, conditions) of the coordinator and municipality filters, on the rows whose pairing
	and tutor are the columns `pairing` and `tutor`."""
	joins, conditions = [], []
	if filters.get("coordinator"):
		joins.append(f"JOIN `tabPairing` fp ON fp.name = {pairing}")
		conditions.append("fp.coordinator = %(coordinator)s")
		values["coordinator"] = filters.coordinator
	if filters.get("municipality"):
		joins.append(f"JOIN `tabTutor` ft ON ft.name = {tutor}")
		conditions.append("ft.municipality = %(municipality)s")
		values["municipality"] = filters.municipality
	return " ".join(joins), "".join(f" AND {condition}" for condition in conditions)


def contact_date_range(filters: frappe._dict) -> tuple[date, date]:
	months = get_months(filters)
	return max(months[0], getdate(filters.get("from_date") or months[0])), getdate(
		filters.get("to_date") or today()
	)


def get_contact_counts(filters: frappe._dict) -> list[dict]:
	"""Contacts per month and group (`grp`). With support areas a contact counts once per area
	touched, and the month's total (a row with grp None) comes apart."""
	from_date, to_date = contact_date_range(filters)
	values = {"from": from_date, "to": to_date}
	joins, conditions = party_joins(filters, values)

	def count(group: str | None, area_join: str = "") -> list[dict]:
		return frappe.db.sql(
			f"""
			SELECT {MONTH_OF} AS month, {group or "NULL"} AS grp, COUNT(*) AS contacts
			FROM `tabContact Log` c {area_join} {joins}
			WHERE c.contact_date BETWEEN %(from)s AND %(to)s {conditions}
			GROUP BY month, grp
			""",
			values,
			as_dict=True,
		)

	if filters.group_by == KIND:
		return count("c.kind")
	if filters.group_by == INITIATOR:
		return count("c.initiated_by")
	# `parent` is text and a Contact Log's name a number: compared as text, the rows' index on
	# `parent` finds each contact's areas (compared as numbers, MariaDB would read every row).
	areas = count(
		"a.support_area",
		"JOIN `tabSupport Area Item` a ON a.parent = CAST(c.name AS CHAR) COLLATE utf8mb4_unicode_ci "
		"AND a.parenttype = 'Contact Log' AND a.parentfield = 'support_areas'",
	)
	return areas + count(None)


def get_data(filters, months, counts, groups) -> list[dict]:
	rows = {
		month: frappe._dict(
			{"month": month.strftime("%Y-%m"), "contacts": 0, **{group_key(g): 0 for g in groups}}
		)
		for month in months
	}
	for count in counts:
		row = rows.get(getdate(count.month))
		if row is None:
			continue
		if filters.group_by != SUPPORT_AREA or count.grp is None:
			row.contacts += count.contacts
		if count.grp is not None:
			row[group_key(count.grp)] = row.get(group_key(count.grp), 0) + count.contacts

	measured = get_measured_months(filters, months)
	if measured:
		commitments = get_commitments(filters, measured)
		for month in measured:
			row = rows[month]
			row.eligible, row.met_weekly, row.met_monthly = commitments[month]
			row.weekly_share = flt(100.0 * row.met_weekly / row.eligible, 1) if row.eligible else None
			row.monthly_share = flt(100.0 * row.met_monthly / row.eligible, 1) if row.eligible else None
	return list(rows.values())


def get_measured_months(filters: frappe._dict, months: list[date]) -> list[date]:
	"""Whole months inside the date range whose last week (which may end in the next month)
	is over."""
	from_date = getdate(filters.get("from_date") or months[0])
	to_date = getdate(filters.get("to_date") or today())
	yesterday = getdate(today()) - timedelta(days=1)
	return [
		m
		for m in months
		if m >= from_date and getdate(get_last_day(m)) <= to_date and last_week_end(m) <= yesterday
	]


def mondays_in(month: date) -> list[date]:
	days = calendar.monthrange(month.year, month.month)[1]
	return [month + timedelta(days=d) for d in range(days) if (month + timedelta(days=d)).weekday() == 0]


def last_week_end(month: date) -> date:
	return max(getdate(get_last_day(month)), mondays_in(month)[-1] + timedelta(days=6))


def get_commitments(filters: frappe._dict, measured: list[date]) -> dict:
	"""{month: (eligible, met_weekly, met_monthly)}: calls per pairing and week and meetings per
	pairing and month, counted by the database, compared with each pairing's agreed commitments."""
	weeks = [monday for month in measured for monday in mondays_in(month)]
	values = {
		"statuses": ELIGIBLE_STATUSES,
		"first_month": measured[0],
		"last_month": measured[-1],
		"last_day": getdate(get_last_day(measured[-1])),
		"first_monday": weeks[0],
		"last_sunday": weeks[-1] + timedelta(days=6),
		"call_kinds": PHONE_KINDS,
		"meeting_kinds": MEETING_KINDS,
	}
	joins, conditions = party_joins(filters, values, pairing="p.name", tutor="p.tutor")
	pairings = frappe.db.sql(
		f"""
		SELECT p.name, p.start_date, p.closure_date, p.phone_contacts_per_week, p.meetings_per_month
		FROM `tabPairing` p {joins}
		WHERE p.status IN %(statuses)s AND p.start_date <= %(last_month)s
			AND (p.closure_date IS NULL OR p.closure_date >= %(first_month)s) {conditions}
		""",
		values,
		as_dict=True,
	)
	calls = counts_by_pairing(MONDAY_OF, "call_kinds", "first_monday", "last_sunday", values)
	meetings = counts_by_pairing(MONTH_OF, "meeting_kinds", "first_month", "last_day", values)

	results = {}
	for month in measured:
		end, mondays = getdate(get_last_day(month)), mondays_in(month)
		eligible = met_weekly = met_monthly = 0
		for p in pairings:
			if getdate(p.start_date) > month or (p.closure_date and getdate(p.closure_date) < end):
				continue
			eligible += 1
			calls_agreed, meetings_agreed = agreed(p.phone_contacts_per_week), agreed(p.meetings_per_month)
			met_weekly += all(calls[p.name, monday] >= calls_agreed for monday in mondays)
			met_monthly += meetings[p.name, month] >= meetings_agreed
		results[month] = (eligible, met_weekly, met_monthly)
	return results


def counts_by_pairing(period_sql: str, kinds: str, start: str, end: str, values: dict) -> Counter:
	"""{(pairing, first day of the period): contacts of `kinds`} over [start, end]."""
	rows = frappe.db.sql(
		f"""
		SELECT c.pairing, {period_sql} AS period, COUNT(*) AS contacts
		FROM `tabContact Log` c
		WHERE c.kind IN %({kinds})s AND c.contact_date BETWEEN %({start})s AND %({end})s
		GROUP BY c.pairing, period
		""",
		values,
	)
	return Counter({(pairing, getdate(period)): contacts for pairing, period, contacts in rows})


def agreed(frequency) -> int:
	"""The number of calls a week or meetings a month agreed for a pairing: at least one."""
	return max(cint(frequency), 1)


def get_chart_data(data: list[dict], groups: list[str]) -> dict | None:
	if not any(row.contacts for row in data):
		return None
	return {
		"data": {
			"labels": [row.month for row in data],
			"datasets": [
				{"name": _(group), "values": [row[group_key(group)] for row in data]} for group in groups
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}


def get_report_summary(data: list[dict]) -> list[dict] | None:
	if not data:
		return None
	measured = [row for row in data if row.get("eligible")]
	summary = [
		{
			"value": sum(row.contacts for row in data),
			"label": _("Contacts"),
			"datatype": "Int",
			"indicator": "Blue",
		}
	]
	if measured:
		eligible = sum(row.eligible for row in measured)
		weekly = flt(100.0 * sum(row.met_weekly for row in measured) / eligible, 1)
		monthly = flt(100.0 * sum(row.met_monthly for row in measured) / eligible, 1)
		summary += [
			{
				"value": weekly,
				"label": _("Weekly Phone Contact %"),
				"datatype": "Percent",
				"indicator": share_colour(weekly),
			},
			{
				"value": monthly,
				"label": _("Monthly Meeting %"),
				"datatype": "Percent",
				"indicator": share_colour(monthly),
			},
		]
	return summary


def share_colour(share: float) -> str:
	return "Green" if share >= 80 else "Orange" if share >= 50 else "Red"
