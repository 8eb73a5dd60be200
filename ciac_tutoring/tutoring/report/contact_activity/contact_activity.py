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
from frappe.query_builder.functions import Count, IfNull, Sum
from frappe.query_builder.utils import PseudoColumn
from frappe.utils import add_months, flt, get_first_day, get_last_day, getdate, today

from ciac_tutoring.tutoring.report.report_utils import (
	CONTACT_KINDS,
	INITIATORS,
	MEETING_KINDS,
	PHONE_KINDS,
	Greatest,
	LastDay,
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
	"""Contacts per day and group, added up into months by get_data: grouping by the day follows
	the order of the (contact_date, kind, ...) index, so MariaDB needs no temporary table. With
	support areas a contact counts once per area touched, and the day's total comes apart."""
	query, contact = filtered_contacts(filters)
	months = get_months(filters)
	query = query.where(
		(contact.contact_date >= max(months[0], getdate(filters.get("from_date") or months[0])))
		& (contact.contact_date <= getdate(filters.get("to_date") or today()))
	)
	day = contact.contact_date
	if filters.group_by == SUPPORT_AREA:
		area = frappe.qb.DocType("Support Area Item")
		grouped = (
			query.join(area)
			.on((area.parent == CONTACT_NAME_AS_TEXT) & (area.parenttype == "Contact Log"))
			.select(day.as_("day"), area.support_area.as_("grp"), Count(contact.name).as_("contacts"))
			.groupby(day, area.support_area)
		)
		totals = query.select(day.as_("day"), Count(contact.name).as_("contacts")).groupby(day)
		return grouped.run(as_dict=True) + [frappe._dict(row, grp=None) for row in totals.run(as_dict=True)]
	field = contact.kind if filters.group_by == KIND else contact.initiated_by
	return (
		query.select(day.as_("day"), field.as_("grp"), Count(contact.name).as_("contacts"))
		.groupby(day, field)
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


def get_commitments(filters: frappe._dict, measured: list[date]) -> dict:
	"""{month: (eligible, met_weekly, met_monthly)} in two set-based steps.

	Grouping calls by (pairing, week) makes MariaDB build a temporary table as big as the
	contacts; instead one pass groups the calls and meetings by pairing only (10,000 groups at
	programme scale), with one conditional count per week and per month, and the outer query
	compares those counts with each pairing's agreed commitments.
	"""
	contact = frappe.qb.DocType("Contact Log")
	weeks = [monday for month in measured for monday in mondays_in(month)]
	is_call = contact.kind.isin(PHONE_KINDS)
	is_meeting = contact.kind.isin(MEETING_KINDS)
	per_pairing = (
		frappe.qb.from_(contact)
		.select(
			contact.pairing,
			*(
				Sum(
					Case()
					.when(is_call & contact.contact_date[monday : monday + timedelta(days=6)], 1)
					.else_(0)
				).as_(f"w{index}")
				for index, monday in enumerate(weeks)
			),
			*(
				Sum(
					Case().when(is_meeting & contact.contact_date[month : get_last_day(month)], 1).else_(0)
				).as_(f"m{index}")
				for index, month in enumerate(measured)
			),
		)
		.where(contact.kind.isin(PHONE_KINDS + MEETING_KINDS))
		.where(contact.contact_date[min(weeks[0], measured[0]) : last_week_end(measured[-1])])
		.groupby(contact.pairing)
	).as_("per_pairing")

	pairing = frappe.qb.DocType("Pairing")
	calls_agreed = Greatest(IfNull(pairing.phone_contacts_per_week, 1), 1)
	meetings_agreed = Greatest(IfNull(pairing.meetings_per_month, 1), 1)
	columns = []
	for index, month in enumerate(measured):
		eligible = eligible_pairings(filters, pairing, month)
		weekly = eligible & per_pairing[f"m{index}"].isnotnull()
		for week_index, monday in enumerate(weeks):
			if monday in mondays_in(month):
				weekly &= per_pairing[f"w{week_index}"] >= calls_agreed
		columns += [
			Sum(Case().when(eligible, 1).else_(0)).as_(f"eligible{index}"),
			Sum(Case().when(weekly, 1).else_(0)).as_(f"weekly{index}"),
			Sum(Case().when(eligible & (per_pairing[f"m{index}"] >= meetings_agreed), 1).else_(0)).as_(
				f"monthly{index}"
			),
		]
	query = pairings_query(filters, pairing).left_join(per_pairing).on(per_pairing.pairing == pairing.name)
	row = query.select(*columns).where(pairing.status.isin(ELIGIBLE_STATUSES)).run(as_dict=True)[0]
	return {
		month: tuple(int(row[f"{key}{index}"] or 0) for key in ("eligible", "weekly", "monthly"))
		for index, month in enumerate(measured)
	}


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
