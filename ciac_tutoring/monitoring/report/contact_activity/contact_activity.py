"""Contact Activity: contacts per month by kind, initiator or support area, and the share of pairings
that met their weekly phone contact and monthly meeting commitments in each month.

Commitments are measured on complete months only, for the pairings that ran the whole month
(started by its first day, not closed before its last, and not left Proposed or Suspended):
- monthly meeting: at least the pairing's meetings_per_month meetings dated in the month;
- weekly phone contact: at least phone_contacts_per_week calls in every week (Monday to Sunday)
  that starts in the month.

Read from the rollup of contacts per pairing and month (Contact Month, kept by every Contact Log's
save and deletion), not from the contacts: the whole months inside the date range come from it,
the days of a month the range cuts at either end from the contacts themselves. Whether each pairing
met its commitments is decided by the database, which returns one row per month (issue 25,
docs/benchmarks.md).
"""

import calendar
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import add_months, cint, flt, get_first_day, get_last_day, getdate, today

from ciac_tutoring.monitoring.doctype.contact_month.contact_month import (
	INITIATOR_COLUMNS,
	KIND_COLUMNS,
	PARTY_INDEXES,
)
from ciac_tutoring.validation import select_options

KIND, INITIATOR, SUPPORT_AREA = "Kind", "Initiated By", "Support Area"
ELIGIBLE_STATUSES = ("Active", "Closed")
MONTH_OF = "DATE_FORMAT(c.contact_date, '%%Y-%%m-01')"
ONE_DAY = timedelta(days=1)


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


def rollup_conditions(filters: frappe._dict, values: dict) -> str:
	"""The coordinator and municipality filters on the rollup `m`, which holds both (Contact Month)."""
	conditions = ""
	for party in PARTY_INDEXES:
		if filters.get(party):
			conditions += f" AND m.{party} = %({party})s"
			values[party] = filters[party]
	return conditions


def contact_date_range(filters: frappe._dict) -> tuple[date, date]:
	months = get_months(filters)
	return max(months[0], getdate(filters.get("from_date") or months[0])), getdate(
		filters.get("to_date") or today()
	)


def split_range(from_date: date, to_date: date) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
	"""([first, last] month of the whole months inside the range, or None), and the days at either
	end that cut a month, to be counted from the contacts. A range reaching today holds every
	contact of its last month so far (the Contact Log refuses a date in the future): that month
	counts as whole, from the rollup."""
	if to_date >= getdate(today()):
		to_date = getdate(get_last_day(to_date))
	first = from_date if from_date.day == 1 else getdate(get_last_day(from_date)) + ONE_DAY
	last = to_date if to_date == getdate(get_last_day(to_date)) else get_first_day(to_date) - ONE_DAY
	if first > last:
		return None, [(from_date, to_date)]
	edges = [(from_date, first - ONE_DAY)] if first > from_date else []
	if last < to_date:
		edges.append((last + ONE_DAY, to_date))
	return (first, get_first_day(last)), edges


def get_contact_counts(filters: frappe._dict) -> list[dict]:
	"""Contacts per month and group (`grp`). With support areas a contact counts once per area
	touched, and the month's total (a row with grp None) comes apart."""
	whole, edges = split_range(*contact_date_range(filters))
	group = {KIND: "kind", INITIATOR: "initiated_by"}.get(filters.group_by)
	counts = []
	if whole:
		counts += count_months(filters, whole)
	for areas in (False, True) if group is None else (False,):
		for edge in edges:
			counts += count_contacts(filters, edge, "support_area" if areas else group)
	return counts


def count_months(filters: frappe._dict, months: tuple[date, date]) -> list[dict]:
	"""Per month and group, from the rollup's rows of the months in `months`. Contacts of a kind or
	initiator the rollup has no column for (or none) count in the month's total only (grp None)."""
	values = {"from": months[0], "to": months[1]}
	conditions = rollup_conditions(filters, values)
	if filters.group_by == SUPPORT_AREA:
		return frappe.db.sql(
			f"""
			SELECT m.month, m.support_area AS grp, SUM(m.contacts) AS contacts
			FROM `tabContact Month` m
			WHERE m.month BETWEEN %(from)s AND %(to)s {conditions}
			GROUP BY m.month, m.support_area
			""",
			values,
			as_dict=True,
		)
	columns = KIND_COLUMNS if filters.group_by == KIND else INITIATOR_COLUMNS
	rows = frappe.db.sql(
		f"""
		SELECT m.month, SUM(m.contacts) AS contacts, {", ".join(f"SUM(m.{c}) AS {c}" for c in columns.values())}
		FROM `tabContact Month` m
		WHERE m.month BETWEEN %(from)s AND %(to)s AND m.support_area IS NULL {conditions}
		GROUP BY m.month
		""",
		values,
		as_dict=True,
	)
	counts = []
	for row in rows:
		grouped = {value: int(row[column] or 0) for value, column in columns.items()}
		counts += [frappe._dict(month=row.month, grp=value, contacts=n) for value, n in grouped.items()]
		counts.append(
			frappe._dict(month=row.month, grp=None, contacts=int(row.contacts) - sum(grouped.values()))
		)
	return counts


def count_contacts(filters: frappe._dict, days: tuple[date, date], grp: str | None) -> list[dict]:
	"""Per month and group, from the contacts dated within `days` (a few days at a range's end)."""
	values = {"from": days[0], "to": days[1]}
	joins, conditions = party_joins(filters, values)
	area_join = ""
	if grp == "support_area":
		# `parent` is text and a Contact Log's name a number: joined as text, the index serves.
		area_join = (
			"JOIN `tabSupport Area Item` a ON a.parent = CAST(c.name AS CHAR) COLLATE utf8mb4_unicode_ci "
			"AND a.parenttype = 'Contact Log' AND a.parentfield = 'support_areas'"
		)
	column = {"support_area": "a.support_area", None: "NULL"}.get(grp, f"c.{grp}")
	# The contacts of these few days first, by the date-led index (STRAIGHT_JOIN: the tables in the
	# order written). Left to choose, MariaDB starts from a coordinator's pairings and reads every
	# contact they ever had to keep a few days' (0.4-0.6 s at 1,000,000 contacts, docs/benchmarks.md).
	return frappe.db.sql(
		f"""
		SELECT STRAIGHT_JOIN {MONTH_OF} AS month, {column} AS grp, COUNT(*) AS contacts
		FROM `tabContact Log` c {area_join} {joins}
		WHERE c.contact_date BETWEEN %(from)s AND %(to)s {conditions}
		GROUP BY month, grp
		""",
		values,
		as_dict=True,
	)


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
	"""{month: (eligible, met_weekly, met_monthly)}, counted by the database from the rollup: each
	pairing's fewest calls in a week starting in the month and its meetings in the month, compared
	with its agreement."""
	values = {"statuses": ELIGIBLE_STATUSES}
	months = " UNION ALL ".join(
		f"SELECT CAST(%(month_{index})s AS DATE) AS month, CAST(%(end_{index})s AS DATE) AS last_day"
		for index in range(len(measured))
	)
	for index, month in enumerate(measured):
		values[f"month_{index}"], values[f"end_{index}"] = month, getdate(get_last_day(month))
	joins, conditions = party_joins(filters, values, pairing="p.name", tutor="p.tutor")
	rows = frappe.db.sql(
		f"""
		SELECT months.month, COUNT(*) AS eligible,
			SUM(IFNULL(m.fewest_weekly_calls, 0) >= GREATEST(IFNULL(p.phone_contacts_per_week, 0), 1))
				AS met_weekly,
			SUM(IFNULL(m.meetings, 0) >= GREATEST(IFNULL(p.meetings_per_month, 0), 1)) AS met_monthly
		FROM ({months}) months
		JOIN `tabPairing` p ON p.status IN %(statuses)s AND p.start_date <= months.month
			AND (p.closure_date IS NULL OR p.closure_date >= months.last_day)
		{joins}
		LEFT JOIN `tabContact Month` m ON m.pairing = p.name AND m.month = months.month
			AND m.support_area IS NULL
		WHERE TRUE {conditions}
		GROUP BY months.month
		""",
		values,
		as_dict=True,
	)
	results = {month: (0, 0, 0) for month in measured}
	for row in rows:
		results[getdate(row.month)] = (int(row.eligible), int(row.met_weekly or 0), int(row.met_monthly or 0))
	return results


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
