"""Contact Activity: contacts per month by kind, initiator or support area, and the share of pairings
that met their weekly phone contact and monthly meeting commitments in each month.

Commitments are measured on complete months only, for the pairings that ran the whole month
(started by its first day, not closed before its last, and not left Proposed or Suspended):
- monthly meeting: at least the pairing's meetings_per_month meetings dated in the month;
- weekly phone contact: at least phone_contacts_per_week calls in every week (Monday to Sunday)
  that starts in the month.
"""

import calendar
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import add_months, flt, get_first_day, get_last_day, getdate, today
from pypika.terms import CustomFunction

from ciac_tutoring.tutoring.report.report_utils import (
	CONTACT_KINDS,
	INITIATORS,
	MEETING_KINDS,
	PHONE_KINDS,
)

KIND, INITIATOR, SUPPORT_AREA = "Kind", "Initiated By", "Support Area"
ELIGIBLE_STATUSES = ("Active", "Closed")
CALLS_AGREED = "GREATEST(IFNULL(p.phone_contacts_per_week, 1), 1)"
MEETINGS_AGREED = "GREATEST(IFNULL(p.meetings_per_month, 1), 1)"
CRC32 = CustomFunction("CRC32", ["value"])


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
		return list(CONTACT_KINDS)
	if filters.group_by == INITIATOR:
		return list(INITIATORS)
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


def filtered_contacts(filters: frappe._dict):
	"""Contact Logs of the filters' coordinator and tutor municipality."""
	contact = frappe.qb.DocType("Contact Log")
	query = frappe.qb.from_(contact)
	for condition in party_conditions(filters, contact.pairing, contact.tutor):
		query = query.where(condition)
	return query, contact


def party_conditions(filters: frappe._dict, pairing_field, tutor_field) -> list:
	"""The coordinator and municipality filters as membership tests on a row's own pairing and
	tutor: MariaDB materializes the few thousand matching names once and probes each row along
	the same covering index as the unfiltered counts. Joining every contact to its pairing or
	tutor took 1.5-3.5 s at 1M contacts when the filter kept most of them."""
	conditions = []
	if filters.get("coordinator"):
		pairing, key = frappe.qb.DocType("Pairing"), name_key("Pairing")
		conditions.append(
			key(pairing_field).isin(
				frappe.qb.from_(pairing)
				.select(key(pairing.name))
				.where(pairing.coordinator == filters.coordinator)
			)
		)
	if filters.get("municipality"):
		tutor, key = frappe.qb.DocType("Tutor"), name_key("Tutor")
		conditions.append(
			key(tutor_field).isin(
				frappe.qb.from_(tutor)
				.select(key(tutor.name))
				.where(tutor.municipality == filters.municipality)
			)
		)
	return conditions


def name_key(doctype: str):
	"""What names of `doctype` (and Links to it) are compared by: their CRC32 when no two of its
	names share one, as probing a set of 32-bit integers costs a tenth of probing varchar(140)s
	in the database's collation, and a Link always holds one of the names checked (Frappe
	stores the linked name as it is); else the names themselves."""
	return (lambda field: field) if names_share_crc32(doctype) else CRC32


def names_share_crc32(doctype: str) -> bool:
	return bool(
		frappe.db.sql(f"SELECT 1 FROM `tab{doctype}` GROUP BY CRC32(name) HAVING COUNT(*) > 1 LIMIT 1")
	)


def contact_date_range(filters: frappe._dict) -> tuple[date, date]:
	months = get_months(filters)
	return max(months[0], getdate(filters.get("from_date") or months[0])), getdate(
		filters.get("to_date") or today()
	)


def get_contact_counts(filters: frappe._dict) -> list[dict]:
	"""Contacts per day and group, added up into months by get_data: grouping by the day follows
	the order of the (contact_date, kind, ...) index, so MariaDB needs no temporary table. With
	support areas a contact counts once per area touched, and the day's total comes apart."""
	query, contact = filtered_contacts(filters)
	from_date, to_date = contact_date_range(filters)
	query = query.where((contact.contact_date >= from_date) & (contact.contact_date <= to_date))
	day = contact.contact_date
	if filters.group_by == SUPPORT_AREA:
		totals = query.select(day.as_("day"), Count(contact.name).as_("contacts")).groupby(day)
		per_area = get_support_area_counts(filters)
		return per_area + [frappe._dict(row, grp=None) for row in totals.run(as_dict=True)]
	field = contact.kind if filters.group_by == KIND else contact.initiated_by
	# Grouping by initiator also groups by kind, to keep to the index's column order.
	return (
		query.select(day.as_("day"), field.as_("grp"), Count(contact.name).as_("contacts"))
		.groupby(day, contact.kind, contact.initiated_by)
		.run(as_dict=True)
	)


def get_support_area_counts(filters: frappe._dict) -> list[dict]:
	"""Contacts per day and support area, counted from the areas' rows alone, by the contact's
	date, pairing and tutor their Contact Log copies onto them, along the (parenttype,
	contact_date, support_area, pairing, tutor) index: joining 500,000 contacts to their rows
	through the text `parent` took 3 s, filtered or not."""
	area = frappe.qb.DocType("Support Area Item")
	from_date, to_date = contact_date_range(filters)
	query = frappe.qb.from_(area).where(
		(area.parenttype == "Contact Log") & (area.contact_date >= from_date) & (area.contact_date <= to_date)
	)
	for condition in party_conditions(filters, area.pairing, area.tutor):
		query = query.where(condition)
	return (
		query.select(area.contact_date.as_("day"), area.support_area.as_("grp"), Count("*").as_("contacts"))
		.groupby(area.contact_date, area.support_area)
		.run(as_dict=True)
	)


def get_data(filters, months, counts, groups) -> list[dict]:
	rows = {
		month: frappe._dict(
			{"month": month.strftime("%Y-%m"), "contacts": 0, **{group_key(g): 0 for g in groups}}
		)
		for month in months
	}
	for count in counts:
		row = rows.get(getdate(get_first_day(count.day)))
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


# Per-pairing counts are packed into integers so that one pass over the contacts carries every
# week's calls and every month's meetings: 6 bits a week (up to 63 calls), 10 weeks per column;
# 8 bits a month (up to 255 meetings), 7 months per column. The pass groups by (pairing, column),
# each contact adding its bit to the one column it falls in (a SUM per column made every contact
# evaluate every column); a second, small grouping lays the columns side by side per pairing.
WEEK_BITS, WEEKS_PER_COLUMN = 6, 10
MONTH_BITS, MONTHS_PER_COLUMN = 8, 7
MONTH_COLUMNS_FROM = 100


def get_commitments(filters: frappe._dict, measured: list[date]) -> dict:
	"""{month: (eligible, met_weekly, met_monthly)} in one statement (raw SQL: pypika has no
	bit shifts or integer division)."""
	first_monday = mondays_in(measured[0])[0]
	weeks = [monday for month in measured for monday in mondays_in(month)]
	# Integer arithmetic on the date: no date or string parsing per row.
	day_index = f"(TO_DAYS(c.contact_date) - {first_monday.toordinal() + 365})"
	month_index = (
		f"(YEAR(c.contact_date) * 12 + MONTH(c.contact_date) - {measured[0].year * 12 + measured[0].month})"
	)
	# Calls before the first Monday belong to a week of the month before; meetings after the last
	# month, to a month not measured.
	column = (
		f"IF(c.kind IN %(call_kinds)s, IF(c.contact_date >= %(first_monday)s, "
		f"{day_index} DIV {7 * WEEKS_PER_COLUMN}, NULL), "
		f"IF(c.contact_date <= %(last_day)s, {MONTH_COLUMNS_FROM} + {month_index} DIV {MONTHS_PER_COLUMN}, NULL))"
	)
	bit = (
		f"1 << IF(c.kind IN %(call_kinds)s, {WEEK_BITS} * (({day_index} DIV 7) MOD {WEEKS_PER_COLUMN}), "
		f"{MONTH_BITS} * ({month_index} MOD {MONTHS_PER_COLUMN}))"
	)
	packed = [
		f"SUM(IF(pc.packed_column = {index}, pc.packed, 0)) AS w{index}"
		for index in range((len(weeks) - 1) // WEEKS_PER_COLUMN + 1)
	] + [
		f"SUM(IF(pc.packed_column = {MONTH_COLUMNS_FROM + index}, pc.packed, 0)) AS m{index}"
		for index in range((len(measured) - 1) // MONTHS_PER_COLUMN + 1)
	]

	def unpacked(prefix: str, index: int, bits: int, per_column: int) -> str:
		return f"((IFNULL(pp.{prefix}{index // per_column}, 0) DIV {2 ** (bits * (index % per_column))}) MOD {2**bits})"

	values = {
		"first_monday": first_monday,
		"last_day": getdate(get_last_day(measured[-1])),
		"call_kinds": PHONE_KINDS,
		"meeting_kinds": MEETING_KINDS,
		"contact_kinds": PHONE_KINDS + MEETING_KINDS,
		"from": min(first_monday, measured[0]),
		"to": last_week_end(measured[-1]),
		"statuses": ELIGIBLE_STATUSES,
	}
	outer = []
	for index, month in enumerate(measured):
		values[f"start{index}"], values[f"end{index}"] = month, getdate(get_last_day(month))
		eligible = f"(p.start_date <= %(start{index})s AND (p.closure_date IS NULL OR p.closure_date >= %(end{index})s))"
		weekly = " AND ".join(
			f"{unpacked('w', weeks.index(monday), WEEK_BITS, WEEKS_PER_COLUMN)} >= {CALLS_AGREED}"
			for monday in mondays_in(month)
		)
		monthly = f"{unpacked('m', index, MONTH_BITS, MONTHS_PER_COLUMN)} >= {MEETINGS_AGREED}"
		outer += [
			f"SUM({eligible}) AS eligible{index}",
			f"SUM({eligible} AND {weekly}) AS weekly{index}",
			f"SUM({eligible} AND {monthly}) AS monthly{index}",
		]

	conditions, joins = ["p.status IN %(statuses)s"], ""
	if filters.get("coordinator"):
		conditions.append("p.coordinator = %(coordinator)s")
		values["coordinator"] = filters.coordinator
	if filters.get("municipality"):
		joins = "JOIN `tabTutor` t ON t.name = p.tutor"
		conditions.append("t.municipality = %(municipality)s")
		values["municipality"] = filters.municipality

	key = pairing_key()
	row = frappe.db.sql(
		f"""
		SELECT {", ".join(outer)}
		FROM `tabPairing` p
		{joins}
		LEFT JOIN (
			SELECT pc.pairing_key, {", ".join(packed)}
			FROM (
				SELECT {key.format("c.pairing")} AS pairing_key, {column} AS packed_column, SUM({bit}) AS packed
				FROM `tabContact Log` c
				WHERE c.kind IN %(contact_kinds)s AND c.contact_date BETWEEN %(from)s AND %(to)s
				GROUP BY pairing_key, packed_column
			) pc
			GROUP BY pc.pairing_key
		) pp ON pp.pairing_key = {key.format("p.name")}
		WHERE {" AND ".join(conditions)}
		""",
		values,
		as_dict=True,
	)[0]
	return {
		month: tuple(int(row[f"{key}{index}"] or 0) for key in ("eligible", "weekly", "monthly"))
		for index, month in enumerate(measured)
	}


def pairing_key() -> str:
	"""What the contacts are grouped by: the CRC32 of the pairing's name, when no two pairings
	share one (the usual case), as grouping 500,000 contacts by a 32-bit integer instead of a
	varchar(140) in the database's collation saves a third of the statement's time; else the
	name itself (a contact's pairing is a Link, so always one of the names checked)."""
	return "{}" if names_share_crc32("Pairing") else "CRC32({})"


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
