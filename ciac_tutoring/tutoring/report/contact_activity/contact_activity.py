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
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, IfNull, Max, Sum
from frappe.query_builder.utils import PseudoColumn
from frappe.utils import add_months, flt, get_first_day, get_last_day, getdate, today

from ciac_tutoring.tutoring.report.report_utils import (
	CONTACT_KINDS,
	INITIATORS,
	MEETING_KINDS,
	PHONE_KINDS,
	DateFormat,
	Greatest,
	LastDay,
	SubDays,
	Weekday,
)

KIND, INITIATOR, SUPPORT_AREA = "Kind", "Initiated By", "Support Area"
ELIGIBLE_STATUSES = ("Active", "Closed")
# Contact Log names are integers (autoincrement) but child rows store them as text: comparing as
# text in the tables' collation lets the join use the index on `parent`.
CONTACT_NAME_AS_TEXT = PseudoColumn(
	"CAST(`tabContact Log`.`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_unicode_ci"
)


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
	"""Contact Logs of the filters' pairings, coordinator and tutor municipality."""
	contact = frappe.qb.DocType("Contact Log")
	query = frappe.qb.from_(contact)
	if filters.get("coordinator"):
		pairing = frappe.qb.DocType("Pairing")
		query = (
			query.join(pairing)
			.on(pairing.name == contact.pairing)
			.where(pairing.coordinator == filters.coordinator)
		)
	if filters.get("municipality"):
		tutor = frappe.qb.DocType("Tutor")
		query = (
			query.join(tutor)
			.on(tutor.name == contact.tutor)
			.where(tutor.municipality == filters.municipality)
		)
	return query, contact


def get_contact_counts(filters: frappe._dict) -> list[dict]:
	"""Contacts per month and group; with support areas a contact counts once per area touched,
	and the month's total comes from a separate count."""
	query, contact = filtered_contacts(filters)
	months = get_months(filters)
	month = DateFormat(contact.contact_date, "%Y-%m-01")
	query = query.where(
		(contact.contact_date >= max(months[0], getdate(filters.get("from_date") or months[0])))
		& (contact.contact_date <= getdate(filters.get("to_date") or today()))
	)
	totals = query.select(month.as_("month"), Count(contact.name).as_("contacts")).groupby(month)
	if filters.group_by == SUPPORT_AREA:
		area = frappe.qb.DocType("Support Area Item")
		grouped = (
			query.join(area)
			.on((area.parent == CONTACT_NAME_AS_TEXT) & (area.parenttype == "Contact Log"))
			.select(month.as_("month"), area.support_area.as_("grp"), Count(contact.name).as_("contacts"))
			.groupby(month, area.support_area)
		)
		rows = grouped.run(as_dict=True)
		rows += [frappe._dict(row, grp=None) for row in totals.run(as_dict=True)]
		return rows
	field = contact.kind if filters.group_by == KIND else contact.initiated_by
	return (
		query.select(month.as_("month"), field.as_("grp"), Count(contact.name).as_("contacts"))
		.groupby(month, field)
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
		row = rows.get(getdate(count.month))
		if row is None:
			continue
		if filters.group_by != SUPPORT_AREA or count.grp is None:
			row.contacts += count.contacts
		if count.grp is not None:
			row[group_key(count.grp)] = row.get(group_key(count.grp), 0) + count.contacts

	measured = get_measured_months(filters, months)
	if measured:
		eligible = get_eligible_pairings(filters, measured)
		met_monthly = get_met_monthly(filters, measured)
		met_weekly = get_met_weekly(filters, measured)
		for month in measured:
			row = rows[month]
			row.eligible = eligible.get(month, 0)
			row.met_weekly = met_weekly.get(month, 0)
			row.met_monthly = met_monthly.get(month, 0)
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


def eligible_pairings(filters: frappe._dict, pairing, month_start):
	"""The criterion of a pairing that ran for the whole month starting on month_start."""
	criterion = (
		pairing.status.isin(ELIGIBLE_STATUSES)
		& (pairing.start_date <= month_start)
		& (pairing.closure_date.isnull() | (pairing.closure_date >= LastDay(month_start)))
	)
	if filters.get("coordinator"):
		criterion &= pairing.coordinator == filters.coordinator
	return criterion


def pairings_query(filters: frappe._dict, pairing):
	query = frappe.qb.from_(pairing)
	if filters.get("municipality"):
		tutor = frappe.qb.DocType("Tutor")
		query = (
			query.join(tutor)
			.on(tutor.name == pairing.tutor)
			.where(tutor.municipality == filters.municipality)
		)
	return query


def get_eligible_pairings(filters: frappe._dict, measured: list[date]) -> dict:
	pairing = frappe.qb.DocType("Pairing")
	query = pairings_query(filters, pairing).select(
		*(
			Sum(Case().when(eligible_pairings(filters, pairing, month), 1).else_(0)).as_(f"m{index}")
			for index, month in enumerate(measured)
		)
	)
	row = query.run(as_dict=True)[0]
	return {month: int(row[f"m{index}"] or 0) for index, month in enumerate(measured)}


def count_met_per_month(filters: frappe._dict, per_pairing, extra_criterion=None) -> dict:
	pairing = frappe.qb.DocType("Pairing")
	query = (
		pairings_query(filters, pairing)
		.join(per_pairing)
		.on(per_pairing.pairing == pairing.name)
		.select(per_pairing.month_start, Count(pairing.name).as_("pairings"))
		.where(eligible_pairings(filters, pairing, per_pairing.month_start))
		.groupby(per_pairing.month_start)
	)
	if extra_criterion is not None:
		query = query.where(extra_criterion)
	return {getdate(row.month_start): row.pairings for row in query.run(as_dict=True)}


def get_met_monthly(filters: frappe._dict, measured: list[date]) -> dict:
	contact = frappe.qb.DocType("Contact Log")
	pairing = frappe.qb.DocType("Pairing")
	month = DateFormat(contact.contact_date, "%Y-%m-01")
	per_pairing = (
		frappe.qb.from_(contact)
		.join(pairing)
		.on(pairing.name == contact.pairing)
		.select(contact.pairing, month.as_("month_start"))
		.where(contact.kind.isin(MEETING_KINDS))
		.where((contact.contact_date >= measured[0]) & (contact.contact_date <= get_last_day(measured[-1])))
		.groupby(contact.pairing, month)
		.having(Count(contact.name) >= Greatest(IfNull(Max(pairing.meetings_per_month), 1), 1))
	).as_("per_pairing")
	return count_met_per_month(filters, per_pairing)


def get_met_weekly(filters: frappe._dict, measured: list[date]) -> dict:
	contact = frappe.qb.DocType("Contact Log")
	pairing = frappe.qb.DocType("Pairing")
	week_start = SubDays(contact.contact_date, Weekday(contact.contact_date))
	per_week = (
		frappe.qb.from_(contact)
		.join(pairing)
		.on(pairing.name == contact.pairing)
		.select(contact.pairing, week_start.as_("week_start"))
		.where(contact.kind.isin(PHONE_KINDS))
		.where(
			(contact.contact_date >= mondays_in(measured[0])[0])
			& (contact.contact_date <= last_week_end(measured[-1]))
		)
		.groupby(contact.pairing, week_start)
		.having(Count(contact.name) >= Greatest(IfNull(Max(pairing.phone_contacts_per_week), 1), 1))
	).as_("per_week")
	week_month = DateFormat(per_week.week_start, "%Y-%m-01")
	per_pairing = (
		frappe.qb.from_(per_week)
		.select(per_week.pairing, week_month.as_("month_start"), Count(per_week.week_start).as_("weeks"))
		.groupby(per_week.pairing, week_month)
	).as_("per_pairing")
	weeks_needed = Case()
	for month in measured:
		weeks_needed = weeks_needed.when(per_pairing.month_start == month.isoformat(), len(mondays_in(month)))
	return count_met_per_month(filters, per_pairing, per_pairing.weeks >= weeks_needed.else_(99))


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
