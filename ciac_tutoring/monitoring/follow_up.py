"""What CIAC staff must follow up on a pairing, as the coordinator's worklist shows it (`worklist`):

- **Staff contacts** (MENTOR's Elements of Effective Practice): in a pairing's first month
  (first_month_days from its start) staff contact it first_month_staff_contacts times; after it,
  once every staff_contact_cadence_days. A staff contact is a Contact Log CIAC logged as its own: a
  CIAC monitoring meeting, or a contact CIAC started, that happened. The pairing stays on the worklist
  until the contacts are logged: in the first month while fewer are logged, after it from grace_days
  before the next contact is due.
- **Tries without answer**: no_answer_worklist_count contacts "Tried, no answer" in a row (none that
  happened logged after them) put the pairing on the worklist until a contact happens.

Each source is one query over the Active pairings and returns worklist rows (`pairing`, `reason`,
`detail`, `due`).
"""

import frappe
from frappe.utils import add_days, getdate

from ciac_tutoring.monitoring import compliance

FIRST_MONTH = "First month: staff contacts"
MONTHLY_STAFF_CONTACT = "Monthly staff contact"
NO_ANSWER_STREAK = "Tries without answer in a row"
STAFF_INITIATOR = "CIAC"
_START = "COALESCE(p.start_date, DATE(p.creation))"


def staff_contact_condition() -> str:
	"""A Contact Log `c` that is a staff contact (the values of `staff_contact_values`)."""
	return (
		"(c.kind IN %(monitoring_kinds)s OR c.initiated_by = %(staff_initiator)s)"
		" AND IFNULL(c.outcome, '') != %(no_answer)s"
	)


def staff_contact_values() -> dict:
	return {
		"monitoring_kinds": compliance.MONITORING_CONTACT_KINDS,
		"staff_initiator": STAFF_INITIATOR,
		"no_answer": compliance.NO_ANSWER,
	}


def staff_contacts_due(today, settings) -> list[dict]:
	"""Active pairings whose staff contacts are due: in the first month, fewer than the settings'
	number; after it, the next contact due within grace_days or late."""
	today = getdate(today)
	values = {
		**staff_contact_values(),
		"today": today,
		"first_month_days": max(settings.first_month_days, 1),
		"required": max(settings.first_month_staff_contacts, 0),
		"cadence": max(settings.staff_contact_cadence_days, 1),
		"due_by": add_days(today, max(settings.grace_days, 0)),
	}
	first_month_end = f"DATE_ADD({_START}, INTERVAL %(first_month_days)s DAY)"
	rows = frappe.db.sql(
		f"""
		SELECT p.name AS pairing, {first_month_end} AS first_month_end,
			IFNULL(s.first_month, 0) AS first_month,
			DATE_ADD(COALESCE(s.last_contact, {_START}), INTERVAL %(cadence)s DAY) AS next_due
		FROM `tabPairing` p
		LEFT JOIN (
			SELECT c.pairing, MAX(c.contact_date) AS last_contact,
				SUM(c.contact_date < DATE_ADD({_START}, INTERVAL %(first_month_days)s DAY)) AS first_month
			FROM `tabContact Log` c
			JOIN `tabPairing` p ON p.name = c.pairing AND p.status = 'Active'
			WHERE {staff_contact_condition()} AND c.contact_date >= {_START}
			GROUP BY c.pairing
		) s ON s.pairing = p.name
		WHERE p.status = 'Active' AND (
			(%(today)s < {first_month_end} AND IFNULL(s.first_month, 0) < %(required)s)
			OR (%(today)s >= {first_month_end}
				AND DATE_ADD(COALESCE(s.last_contact, {_START}), INTERVAL %(cadence)s DAY) <= %(due_by)s)
		)
		""",
		values,
		as_dict=True,
	)
	items = []
	for row in rows:
		if today < getdate(row.first_month_end):
			items.append(
				{
					"pairing": row.pairing,
					"reason": FIRST_MONTH,
					"detail": {"done": int(row.first_month), "required": values["required"]},
					"due": add_days(getdate(row.first_month_end), -1),
				}
			)
		else:
			items.append(
				{
					"pairing": row.pairing,
					"reason": MONTHLY_STAFF_CONTACT,
					"detail": {},
					"due": getdate(row.next_due),
				}
			)
	return items


def no_answer_streaks(today, settings) -> list[dict]:
	"""Open pairings whose last contacts, at least no_answer_worklist_count of them, were all tried
	without an answer (none that happened logged on or after their day)."""
	rows = frappe.db.sql(
		"""
		SELECT c.pairing, COUNT(*) AS tries, MIN(c.contact_date) AS since
		FROM `tabContact Log` c
		JOIN `tabPairing` p ON p.name = c.pairing AND p.status IN ('Active', 'Suspended')
		WHERE c.outcome = %(no_answer)s AND NOT EXISTS (
			SELECT 1 FROM `tabContact Log` h
			WHERE h.pairing = c.pairing AND h.contact_date >= c.contact_date
				AND IFNULL(h.outcome, '') != %(no_answer)s
		)
		GROUP BY c.pairing
		HAVING COUNT(*) >= %(streak)s
		""",
		{"no_answer": compliance.NO_ANSWER, "streak": max(settings.no_answer_worklist_count, 1)},
		as_dict=True,
	)
	return [
		{"pairing": row.pairing, "reason": NO_ANSWER_STREAK, "detail": {"tries": row.tries}, "due": row.since}
		for row in rows
	]
