# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

"""Contacts per pairing and month, the rollup Contact Activity reads (docs/data-model.md).

One row per pairing and month counts its contacts, by kind and by initiator, the ones that count
for the monthly meeting, and the fewest calls in any week (Monday to Sunday) starting in the month,
which is what the weekly commitment is measured on; rows with a `support_area` count the contacts'
support areas. A row per pairing and month, not per week: a pairing has about two contacts a week,
so weekly rows would be nearly as many as the contacts.

Contact Log's save and deletion recount the months they touch (`refresh`); `rebuild` recounts
everything (the `rebuild-contact-months` command, the patch, data loaded without the controller).
Each row also holds the pairing's coordinator and its tutor's municipality, so that the report's
filters on them read one index; a pairing's or a tutor's save that changes them rewrites its rows
(`follow_pairing`, `follow_tutor`: hooks.py doc_events).
"""

from collections.abc import Iterable
from datetime import timedelta

import frappe
from frappe.model.document import Document
from frappe.utils import get_first_day, get_last_day, getdate

from ciac_tutoring.monitoring.doctype.contact_log.contact_log import MEETING_KINDS, PHONE_KINDS
from ciac_tutoring.tutoring.vocabulary import NO_ANSWER

# The columns counting each kind and each initiator of the Contact Log's options.
KIND_COLUMNS = {
	"Phone or video call": "phone_calls",
	"In-person meeting": "in_person_meetings",
	"Message": "messages",
	"Activity or event together": "activities",
	"CIAC monitoring meeting": "monitoring_meetings",
}
INITIATOR_COLUMNS = {"Tutor": "by_tutor", "Beneficiary": "by_beneficiary", "CIAC": "by_ciac"}

MONTH_OF = "DATE_FORMAT({day}, '%%Y-%%m-01')"
# The coordinator and municipality a counted row `g` (pairing, tutor) is filtered by.
PARTIES = "gp.coordinator, gt.municipality"
PARTY_JOINS = "LEFT JOIN `tabPairing` gp ON gp.name = g.pairing LEFT JOIN `tabTutor` gt ON gt.name = g.tutor"
MONDAY_OF = "({day} - INTERVAL WEEKDAY({day}) DAY)"
# Mondays in the month starting on {month}: the weeks the weekly commitment is measured on.
MONDAYS_IN = "(FLOOR((DAY(LAST_DAY({month})) - 1 - MOD(7 - WEEKDAY({month}), 7)) / 7) + 1)"


class ContactMonth(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		activities: DF.Int
		by_beneficiary: DF.Int
		by_ciac: DF.Int
		by_tutor: DF.Int
		contacts: DF.Int
		coordinator: DF.Link | None
		fewest_weekly_calls: DF.Int
		in_person_meetings: DF.Int
		meetings: DF.Int
		messages: DF.Int
		monitoring_meetings: DF.Int
		month: DF.Date | None
		municipality: DF.Data | None
		name: DF.Int | None
		pairing: DF.Link | None
		phone_calls: DF.Int
		support_area: DF.Link | None
		tutor: DF.Link | None
	# end: auto-generated types
	pass


def mondays_in(month) -> list:
	first = getdate(get_first_day(month))
	last = getdate(get_last_day(month))
	day = first + timedelta(days=(7 - first.weekday()) % 7)
	return [day + timedelta(days=7 * n) for n in range((last - day).days // 7 + 1)]


def insert_counts(contacts_where: str, calls_where: str, values: dict) -> None:
	"""Count into new rows the contacts matching `contacts_where` (on Contact Log `c`), with the
	fewest calls a week from the calls matching `calls_where`: one statement for the contacts,
	one for their support areas."""
	month, monday = MONTH_OF.format(day="c.contact_date"), MONDAY_OF.format(day="c.contact_date")
	# A call or message tried without an answer is not a contact.
	contacts_where = f"({contacts_where}) AND IFNULL(c.outcome, '') != %(no_answer)s"
	calls_where = f"({calls_where}) AND IFNULL(c.outcome, '') != %(no_answer)s"
	values = {
		**values,
		"no_answer": NO_ANSWER,
		"meeting_kinds": MEETING_KINDS,
		"call_kinds": PHONE_KINDS,
		**{f"kind_{i}": kind for i, kind in enumerate(KIND_COLUMNS)},
		**{f"initiator_{i}": initiator for i, initiator in enumerate(INITIATOR_COLUMNS)},
	}
	counted = [
		*(f"SUM(c.kind = %(kind_{i})s) AS {column}" for i, column in enumerate(KIND_COLUMNS.values())),
		*(
			f"SUM(c.initiated_by = %(initiator_{i})s) AS {column}"
			for i, column in enumerate(INITIATOR_COLUMNS.values())
		),
	]
	columns = [*KIND_COLUMNS.values(), *INITIATOR_COLUMNS.values()]
	frappe.db.sql(
		f"""
		INSERT INTO `tabContact Month` (name, creation, modified, owner, modified_by, pairing, tutor,
			coordinator, municipality, month, contacts, meetings, fewest_weekly_calls, {", ".join(columns)})
		SELECT NEXTVAL(`contact_month_id_seq`), NOW(6), NOW(6), 'Administrator', 'Administrator',
			g.pairing, g.tutor, {PARTIES}, g.month, g.contacts, g.meetings, IFNULL(w.fewest, 0),
			{", ".join(f"g.{column}" for column in columns)}
		FROM (
			SELECT c.pairing, MAX(c.tutor) AS tutor, {month} AS month, COUNT(*) AS contacts,
				SUM(c.kind IN %(meeting_kinds)s) AS meetings, {", ".join(counted)}
			FROM `tabContact Log` c WHERE {contacts_where}
			GROUP BY c.pairing, month
		) g
		LEFT JOIN (
			-- A week without calls has no row: fewer weeks than Mondays means a week had none.
			SELECT calls.pairing, calls.month,
				IF(COUNT(*) < {MONDAYS_IN.format(month="calls.month")}, 0, MIN(calls.calls)) AS fewest
			FROM (
				SELECT c.pairing, {MONTH_OF.format(day=monday)} AS month, {monday} AS week, COUNT(*) AS calls
				FROM `tabContact Log` c WHERE c.kind IN %(call_kinds)s AND {calls_where}
				GROUP BY c.pairing, week
			) calls
			GROUP BY calls.pairing, calls.month
		) w ON w.pairing = g.pairing AND w.month = g.month
		{PARTY_JOINS}
		""",
		values,
	)
	# `parent` is text and a Contact Log's name a number: joined as text, the areas' index serves.
	frappe.db.sql(
		f"""
		INSERT INTO `tabContact Month` (name, creation, modified, owner, modified_by, pairing, tutor,
			coordinator, municipality, month, support_area, contacts)
		SELECT NEXTVAL(`contact_month_id_seq`), NOW(6), NOW(6), 'Administrator', 'Administrator',
			g.pairing, g.tutor, {PARTIES}, g.month, g.support_area, g.contacts
		FROM (
			SELECT c.pairing, MAX(c.tutor) AS tutor, {month} AS month, a.support_area,
				COUNT(*) AS contacts
			FROM `tabContact Log` c
			JOIN `tabSupport Area Item` a ON a.parent = CAST(c.name AS CHAR) COLLATE utf8mb4_unicode_ci
				AND a.parenttype = 'Contact Log' AND a.parentfield = 'support_areas'
			WHERE {contacts_where}
			GROUP BY c.pairing, month, a.support_area
		) g
		{PARTY_JOINS}
		""",
		values,
	)


def lock() -> None:
	"""Hold the rollup until this transaction ends: its recounts delete and insert a pairing's
	rows of a month, and two at once lock each other out on the gaps of the rollup's indexes. The
	row locked is the rollup's own DocType record, which always exists and which only a migrate
	writes."""
	frappe.db.sql("SELECT name FROM `tabDocType` WHERE name = 'Contact Month' FOR UPDATE")


def refresh(pairing_days: Iterable[tuple[str, object]]) -> None:
	"""Recount, from the contacts saved now, the months of these (pairing, contact date) pairs:
	the contact's month, and the month of its week's Monday (the week counts there). All of them in
	one DELETE and one recount: a contact in a month's first days touches two months, an edit that
	moves it up to four."""
	months = set()
	for pairing, day in pairing_days:
		if pairing and day:
			day = getdate(day)
			months.add((pairing, getdate(get_first_day(day))))
			months.add((pairing, getdate(get_first_day(day - timedelta(days=day.weekday())))))
	if not months:
		return
	values, counted, contacts, calls = {}, [], [], []
	for i, (pairing, month) in enumerate(sorted(months)):
		mondays = mondays_in(month)
		values.update(
			{
				f"pairing_{i}": pairing,
				f"month_{i}": month,
				f"last_day_{i}": getdate(get_last_day(month)),
				f"first_monday_{i}": mondays[0],
				f"last_sunday_{i}": mondays[-1] + timedelta(days=6),
			}
		)
		counted.append(f"(pairing = %(pairing_{i})s AND month = %(month_{i})s)")
		contacts.append(
			f"(c.pairing = %(pairing_{i})s AND c.contact_date BETWEEN %(month_{i})s AND %(last_day_{i})s)"
		)
		# The weeks whose Monday is in the month: the calls of another month's weeks stay out.
		calls.append(
			f"(c.pairing = %(pairing_{i})s AND c.contact_date BETWEEN %(first_monday_{i})s AND %(last_sunday_{i})s)"
		)
	frappe.db.sql(f"DELETE FROM `tabContact Month` WHERE {' OR '.join(counted)}", values)
	insert_counts(" OR ".join(contacts), " OR ".join(calls), values)


def rebuild(pairings: list[str] | None = None) -> int:
	"""Recount every month of every pairing (or of the given ones); returns the rows written."""
	if pairings is None:
		frappe.db.sql("DELETE FROM `tabContact Month`")
		everything = "c.pairing IS NOT NULL AND c.contact_date IS NOT NULL"
		insert_counts(everything, everything, {})
		return frappe.db.count("Contact Month")
	if not pairings:
		return 0
	values = {"pairings": pairings}
	frappe.db.sql("DELETE FROM `tabContact Month` WHERE pairing IN %(pairings)s", values)
	theirs = "c.pairing IN %(pairings)s AND c.contact_date IS NOT NULL"
	insert_counts(theirs, theirs, values)
	return frappe.db.count("Contact Month", {"pairing": ["in", pairings]})


def follow_pairing(pairing, method: str | None = None) -> None:
	"""A pairing's new coordinator on its rows (hooks.py: Pairing on_update)."""
	before = pairing.get_doc_before_save()
	if before and before.coordinator != pairing.coordinator:
		frappe.db.sql(
			"UPDATE `tabContact Month` SET coordinator = %(coordinator)s WHERE pairing = %(pairing)s",
			{"coordinator": pairing.coordinator, "pairing": pairing.name},
		)


def follow_tutor(tutor, method: str | None = None) -> None:
	"""A tutor's new municipality on the rows counting her contacts (hooks.py: Tutor on_update):
	a row's municipality is its own `tutor`'s, as the recount writes it, also for a pairing since
	given to another tutor."""
	before = tutor.get_doc_before_save()
	if before and (before.municipality or "") != (tutor.municipality or ""):
		# The pairings she logged contacts on (Contact Log's tutor index), then their rows by the
		# rollup's pairing-led index.
		frappe.db.sql(
			"""UPDATE `tabContact Month` SET municipality = %(municipality)s
			WHERE tutor = %(tutor)s
				AND pairing IN (SELECT DISTINCT pairing FROM `tabContact Log` WHERE tutor = %(tutor)s)""",
			{"municipality": tutor.municipality, "tutor": tutor.name},
		)


# What Contact Activity sums, after the columns it looks rows up by.
ROLLUP_COLUMNS = [
	"month",
	"support_area",
	"contacts",
	"meetings",
	"fewest_weekly_calls",
	*KIND_COLUMNS.values(),
	*INITIATOR_COLUMNS.values(),
]
PARTY_INDEXES = ("coordinator", "municipality")
PAIRING_ACTIVITY_INDEX = "pairing_activity_index"
PAIRING_ACTIVITY_COLUMNS = [
	"pairing",
	"month",
	"support_area",
	"contacts",
	"meetings",
	"fewest_weekly_calls",
	*KIND_COLUMNS.values(),
	*INITIATOR_COLUMNS.values(),
	"tutor",
]


def on_doctype_update():
	# Contact Activity reads this index alone: the counts of a range of months, and each pairing's
	# row of a month by (month, support_area, pairing). Its columns follow the lookup's, so that
	# MariaDB never reads a month's rows to find one pairing's.
	frappe.db.add_index(
		"Contact Month",
		[
			"month",
			"support_area",
			"pairing",
			"contacts",
			"meetings",
			"fewest_weekly_calls",
			*KIND_COLUMNS.values(),
			*INITIATOR_COLUMNS.values(),
			"tutor",
		],
		"contact_activity_index",
	)
	# The same columns led by the pairing: a saved contact recounts its pairing's months, and the
	# commitments' shares read each pairing's row of a month from this index alone.
	frappe.db.add_index("Contact Month", PAIRING_ACTIVITY_COLUMNS, PAIRING_ACTIVITY_INDEX)
	# The same columns led by the filters' coordinator and municipality: a filtered view reads one
	# range of one index (joining the pairings or tutors instead took 1.1-1.2 s at 1,000,000 contacts).
	for party in PARTY_INDEXES:
		frappe.db.add_index("Contact Month", [party, *ROLLUP_COLUMNS], f"{party}_activity_index")
