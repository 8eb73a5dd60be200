"""Contact Month holds exactly what counting the contacts gives, whatever the contacts went through."""

from collections import Counter
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, get_first_day, getdate, today

from ciac_tutoring.monitoring.doctype.contact_log.contact_log import MEETING_KINDS, PHONE_KINDS
from ciac_tutoring.monitoring.doctype.contact_month.contact_month import (
	INITIATOR_COLUMNS,
	KIND_COLUMNS,
	mondays_in,
	rebuild,
)
from ciac_tutoring.monitoring.report.contact_activity.contact_activity import execute
from ciac_tutoring.tutoring.report.report_test_data import beneficiary_row, pairing_row, tutor_row

# Only this test's contacts: the site may hold others, from tests that commit.
TOWN = "_CW Town"


def counted_from_contacts() -> dict[tuple, dict]:
	"""{(pairing, month, area): the rollup's counts}, counted here from the contacts one by one."""
	contacts = frappe.db.sql(
		"""SELECT name, pairing, contact_date, kind, initiated_by FROM `tabContact Log`
		WHERE pairing LIKE '\\_CW-%%'""",
		as_dict=True,
	)
	areas = frappe.db.sql(
		"""SELECT parent, support_area FROM `tabSupport Area Item`
		WHERE parenttype = 'Contact Log' AND parentfield = 'support_areas'"""
	)
	rows: dict[tuple, Counter] = {}
	calls: Counter = Counter()
	for c in contacts:
		month = getdate(get_first_day(c.contact_date))
		row = rows.setdefault((c.pairing, month, None), Counter())
		row["contacts"] += 1
		row["meetings"] += c.kind in MEETING_KINDS
		row[KIND_COLUMNS[c.kind]] += 1
		row[INITIATOR_COLUMNS[c.initiated_by]] += 1
		if c.kind in PHONE_KINDS:
			calls[c.pairing, c.contact_date - timedelta(days=c.contact_date.weekday())] += 1
		for parent, area in areas:
			if parent == str(c.name):
				rows.setdefault((c.pairing, month, area), Counter())["contacts"] += 1
	for (pairing, month, area), row in rows.items():
		if area is None:
			row["fewest_weekly_calls"] = min(calls[pairing, monday] for monday in mondays_in(month))
	return {key: {k: v for k, v in row.items() if v} for key, row in rows.items()}


def in_rollup() -> dict[tuple, dict]:
	columns = [
		"contacts",
		"meetings",
		"fewest_weekly_calls",
		*KIND_COLUMNS.values(),
		*INITIATOR_COLUMNS.values(),
	]
	return {
		(row.pairing, getdate(row.month), row.support_area): {c: row[c] for c in columns if row[c]}
		for row in frappe.get_all(
			"Contact Month",
			filters={"pairing": ("like", "_CW-%")},
			fields=["pairing", "month", "support_area", *columns],
		)
	}


def log(pairing: str, day, kind: str = "Phone or video call", areas=()):
	return frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing,
			"contact_date": day,
			"kind": kind,
			"initiated_by": "Tutor",
			"duration_minutes": 20,
			"support_areas": [{"support_area": area} for area in areas],
		}
	).insert()


def test_saving_editing_and_deleting_contacts_keeps_the_rollup_equal_to_counting_them():
	tutor_row("_CW-TUT")
	for name in ("_CW-BEN-1", "_CW-BEN-2"):
		beneficiary_row(name)
	pairing_row("_CW-P1", "_CW-TUT", "_CW-BEN-1", start_date=add_days(today(), -120))
	pairing_row("_CW-P2", "_CW-TUT", "_CW-BEN-2", start_date=add_days(today(), -120))
	areas = frappe.get_all("Support Area", pluck="name", limit=2, order_by="name")
	assert len(areas) == 2
	day = getdate(today())
	logs = [log("_CW-P1", add_days(day, -ago), areas=areas[: ago % 3]) for ago in range(0, 90, 3)]
	logs.append(log("_CW-P2", add_days(day, -10), "In-person meeting", areas))
	assert in_rollup() == counted_from_contacts()
	assert sum(row["contacts"] for (_p, _m, area), row in in_rollup().items() if area is None) == len(logs)

	# Moved to another day, another kind, another pairing; areas changed; one deleted.
	moved = logs[1]
	moved.contact_date, moved.kind = add_days(day, -45), "Message"
	moved.set("support_areas", [{"support_area": areas[1]}])
	moved.save()
	logs[2].pairing = "_CW-P2"
	logs[2].save()
	logs[3].delete()
	assert in_rollup() == counted_from_contacts()

	# The command recounts the same rows from scratch.
	before = in_rollup()
	rebuild()
	assert in_rollup() == before


def test_the_report_counts_what_the_contacts_count_across_cut_weeks_and_months():
	tutor_row("_CW-TUT", municipality=TOWN)
	beneficiary_row("_CW-BEN-1")
	pairing_row("_CW-P1", "_CW-TUT", "_CW-BEN-1", start_date="2025-01-01")
	# Every day from 20 January to 10 March 2026: weeks across both month ends.
	first = date(2026, 1, 20)
	for offset in range(50):
		log("_CW-P1", add_days(first, offset), "Phone or video call" if offset % 2 else "Message")
	# Ranges cutting months: the cut days come from the contacts.
	for from_date, to_date in (("2026-01-22", "2026-03-04"), ("2026-02-03", "2026-02-05")):
		_columns, data, *_rest = execute(
			{"from_date": from_date, "to_date": to_date, "group_by": "Kind", "municipality": TOWN}
		)
		expected = dict(
			frappe.db.sql(
				"""SELECT DATE_FORMAT(c.contact_date, '%%Y-%%m'), COUNT(*) FROM `tabContact Log` c
				JOIN `tabTutor` t ON t.name = c.tutor
				WHERE c.contact_date BETWEEN %s AND %s AND t.municipality = %s GROUP BY 1""",
				(from_date, to_date, TOWN),
			)
		)
		assert {row.month: row.contacts for row in data if row.contacts} == expected
