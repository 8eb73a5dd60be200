"""Programme Outcomes, what every view starts from: the date range, the pairings the filters
select, how long a pairing ran, the pairings closed in the range."""

from datetime import date

import frappe
from frappe.query_builder.functions import IfNull
from frappe.utils import add_months, getdate, today

from ciac_tutoring.tutoring.report.report_utils import DateDiff
from ciac_tutoring.tutoring.vocabulary import ACTIVE, CLOSED, SUSPENDED

# Pairings that started (a proposal that never started is not an outcome).
RUNNING_STATUSES = (ACTIVE, SUSPENDED, CLOSED)


def date_range(filters: frappe._dict) -> tuple[date, date]:
	return (
		getdate(filters.get("from_date") or add_months(today(), -12)),
		getdate(filters.get("to_date") or today()),
	)


def pairings_query(filters: frappe._dict):
	pairing = frappe.qb.DocType("Pairing")
	query = frappe.qb.from_(pairing)
	if filters.get("coordinator"):
		query = query.where(pairing.coordinator == filters.coordinator)
	if filters.get("municipality"):
		tutor = frappe.qb.DocType("Tutor")
		query = (
			query.join(tutor)
			.on(tutor.name == pairing.tutor)
			.where(tutor.municipality == filters.municipality)
		)
	return query, pairing


def duration_days(pairing, as_of=None):
	return DateDiff(IfNull(pairing.closure_date, as_of or getdate(today())), pairing.start_date)


def closed_in_range(filters: frappe._dict):
	query, pairing = pairings_query(filters)
	from_date, to_date = date_range(filters)
	query = query.where(pairing.status == CLOSED).where(
		(pairing.closure_date >= from_date) & (pairing.closure_date <= to_date)
	)
	return query, pairing
