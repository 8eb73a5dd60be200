"""The programme's commitment rule, written once: when an Active pairing's weekly phone contact,
monthly meeting and CIAC monitoring fall due, and the compliance status that makes.

A commitment falls due an interval after its last occurrence (or after the pairing's start when
there was none yet). The interval is the settings' cadence divided by the frequency agreed for the
pairing, rounded down, never under a day: two calls a week on a 7-day cadence, one every 3 days.
- Overdue: the due date has passed;
- Due soon: it falls due within the settings' grace days (today included);
- otherwise nothing is due (the pairing is On track for it).
The pairing takes the worst state of its commitments; `late_commitments` lists the commitments in
that state, one per line; `overdue_since` the day it fell behind, kept while it stays Overdue.
Proposed, Suspended and Closed pairings have no commitments.

The rule is SQL expressions, so that every reader applies it set-based and in the same way:
`update_compliance` stores it on the pairings (the daily job, a saved Contact Log or Pairing,
saved settings; the number cards count what it stored), `commitment_columns` lets a SELECT show
it (the Pairing Compliance report, the tutors' portal, the reminders).

What counts as CIAC monitoring is written here too (`last_monitoring_sql`): a CIAC monitoring meeting
logged on the pairing, or its tutor present at a group supervision meeting held while it ran.
"""

import frappe
from frappe.utils import getdate, now_datetime

from ciac_tutoring.tutoring import vocabulary
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

PHONE = "Weekly phone contact"
MEETING = "Monthly meeting"
MONITORING = "CIAC monitoring"
COMMITMENTS = (PHONE, MEETING, MONITORING)

ON_TRACK, DUE_SOON, OVERDUE = "On track", "Due soon", "Overdue"
# The Contact Log kinds that are CIAC's monitoring of a pairing, and the outcome of a contact tried
# without an answer, which counts for no commitment.
MONITORING_CONTACT_KINDS = ("CIAC monitoring meeting",)
NO_ANSWER = vocabulary.NO_ANSWER
# The Pairing fields update_compliance derives and stores: nothing else writes them.
STORED_FIELDS = ("compliance_status", "late_commitments", "overdue_since", "compliance_checked_on")

# Per commitment: the alias of its columns, the Pairing field of its last occurrence, the setting of
# its cadence and the Pairing field of the agreed frequency that divides it (None: not divided).
_COMMITMENT_FIELDS = {
	PHONE: ("phone", "last_phone_contact", "phone_contact_cadence_days", "phone_contacts_per_week"),
	MEETING: ("meeting", "last_meeting", "meeting_cadence_days", "meetings_per_month"),
	MONITORING: ("monitoring", "last_monitoring", "monitoring_cadence_days", None),
}
_SINCE_START = "COALESCE(p.start_date, DATE(p.creation))"


def alias(commitment: str) -> str:
	return _COMMITMENT_FIELDS[commitment][0]


def interval_sql(commitment: str) -> str:
	"""Days between two occurrences of the commitment for pairing `p`."""
	_alias, _last, cadence, frequency = _COMMITMENT_FIELDS[commitment]
	if not frequency:
		return f"%({cadence})s"
	return f"GREATEST(1, FLOOR(%({cadence})s / GREATEST(IFNULL(p.{frequency}, 0), 1)))"


def due_date_sql(commitment: str) -> str:
	last = _COMMITMENT_FIELDS[commitment][1]
	return f"DATE_ADD(COALESCE(p.{last}, {_SINCE_START}), INTERVAL {interval_sql(commitment)} DAY)"


def days_late_sql(due_sql: str) -> str:
	"""Days since a due date: a commitment is Overdue when this is above 0."""
	return f"DATEDIFF(%(today)s, {due_sql})"


def state_sql(commitment: str) -> str:
	"""'Overdue', 'Due soon' or NULL (nothing due) for one commitment of pairing `p`."""
	days_late = days_late_sql(due_date_sql(commitment))
	return (
		f"CASE WHEN p.status != 'Active' THEN NULL WHEN {days_late} > 0 THEN '{OVERDUE}' "
		f"WHEN {days_late} >= -%(grace_days)s THEN '{DUE_SOON}' END"
	)


def status_sql(state=state_sql, row: str = "p") -> str:
	"""The pairing's compliance status: the worst state of its commitments ('' when not Active).
	`state(commitment)` gives a commitment's state (by default computed from pairing `p`); `row`
	is the alias holding the pairing's `status`."""
	states = ", ".join(state(c) for c in COMMITMENTS)
	return (
		f"CASE WHEN {row}.status != 'Active' THEN '' WHEN '{OVERDUE}' IN ({states}) THEN '{OVERDUE}' "
		f"WHEN '{DUE_SOON}' IN ({states}) THEN '{DUE_SOON}' ELSE '{ON_TRACK}' END"
	)


def late_commitments_sql(state=state_sql, row: str = "p") -> str:
	"""The commitments in the pairing's status (the overdue ones, else the ones due soon), one a
	line (`state` and `row` as status_sql's)."""
	status = status_sql(state, row)
	listed = ", ".join(f"IF({state(c)} = {status}, '{c}', NULL)" for c in COMMITMENTS)
	return f"NULLIF(CONCAT_WS('\\n', {listed}), '')"


def overdue_since_sql() -> str:
	"""The day the pairing fell behind, NULL unless it is Overdue: when it becomes Overdue, the day
	after its earliest due date (the earliest is overdue whenever any is); then kept while it stays
	Overdue, whichever of its commitments is late (catching up on one while another is still late
	does not start it again). It reads the stored compliance_status: an UPDATE assigns it first."""
	earliest_due = f"LEAST({', '.join(due_date_sql(c) for c in COMMITMENTS)})"
	return (
		f"CASE WHEN p.status != 'Active' OR {days_late_sql(earliest_due)} <= 0 THEN NULL "
		f"WHEN p.compliance_status = '{OVERDUE}' AND p.overdue_since IS NOT NULL THEN p.overdue_since "
		f"ELSE DATE_ADD({earliest_due}, INTERVAL 1 DAY) END"
	)


COLUMNS = ("last", "since", "interval", "due", "state")


def commitment_columns(commitments=COMMITMENTS, columns=COLUMNS, with_status: bool = True) -> str:
	"""Select-list of pairing `p`'s commitments: per commitment `<alias>_last`, `_since` (days
	since the last occurrence or the start), `_interval`, `_due` (NULL when not Active) and
	`_state` (or those of `columns`); then, `with_status`, `compliance` and `late` (the stored
	status's rule, computed now)."""
	selected = []
	for c in commitments:
		a, last = _COMMITMENT_FIELDS[c][:2]
		expressions = {
			"last": f"p.{last}",
			"since": f"DATEDIFF(%(today)s, COALESCE(p.{last}, {_SINCE_START}))",
			"interval": interval_sql(c),
			"due": f"IF(p.status = 'Active', {due_date_sql(c)}, NULL)",
			"state": state_sql(c),
		}
		selected += [f"{expressions[column]} AS {a}_{column}" for column in columns]
	if with_status:
		selected += [f"{status_sql()} AS compliance", f"{late_commitments_sql()} AS late"]
	return ",\n".join(selected)


def sql_values(today=None, settings: frappe._dict | None = None) -> dict:
	"""The parameters the expressions above take."""
	settings = settings or get_settings()
	return {
		"today": getdate(today or frappe.utils.today()),
		"grace_days": max(settings.grace_days, 0),
		**{
			cadence: max(settings[cadence], 1)  # a zero cadence would make everything overdue
			for _alias, _last, cadence, _frequency in _COMMITMENT_FIELDS.values()
		},
	}


# The pairings whose stored values can change: the Active ones, and any other still holding a status,
# late commitments or an overdue day (one just suspended or closed). The rest hold nothing already.
_STATUS_CAN_CHANGE = (
	"p.status = 'Active' OR IFNULL(p.compliance_status, '') != '' OR p.late_commitments IS NOT NULL"
	" OR p.overdue_since IS NOT NULL"
)


def update_compliance(pairings: list[str] | None = None, today=None, settings=None) -> None:
	"""Store compliance_status, late_commitments, overdue_since and compliance_checked_on on the
	given pairings (when None, every pairing whose values can change) in one UPDATE. `modified` is
	left alone: these are derived values, and bumping it would make an open form fail to save."""
	if pairings is not None:
		pairings = [p for p in pairings if p]
		if not pairings:
			return
	values = {**sql_values(today, settings), "checked_on": now_datetime(), "pairings": pairings}
	frappe.db.sql(
		f"""
		UPDATE `tabPairing` p
		-- overdue_since first: it reads the stored status, and MariaDB assigns left to right
		SET p.overdue_since = {overdue_since_sql()},
			p.late_commitments = {late_commitments_sql()},
			p.compliance_status = {status_sql()},
			p.compliance_checked_on = IF(p.status = 'Active', %(checked_on)s, p.compliance_checked_on)
		WHERE {"p.name IN %(pairings)s" if pairings is not None else _STATUS_CAN_CHANGE}
		""",
		values,
	)


def get_commitments(pairings: list[str], commitments=COMMITMENTS, today=None) -> dict[str, dict]:
	"""{pairing: its row of commitment_columns} for the given pairings, in one query."""
	if not pairings:
		return {}
	rows = frappe.db.sql(
		f"SELECT p.name, {commitment_columns(commitments)} FROM `tabPairing` p WHERE p.name IN %(pairings)s",
		{**sql_values(today), "pairings": pairings},
		as_dict=True,
	)
	return {row.name: row for row in rows}


def last_monitoring_sql() -> str:
	"""Per pairing of %(pairings)s, its last CIAC monitoring (`pairing`, `monitoring`): a CIAC
	monitoring meeting logged on it, or its tutor present at a Held group supervision meeting on a day
	the pairing ran (from its start, or its creation, to its closure)."""
	return f"""
		SELECT m.pairing, MAX(m.day) AS monitoring FROM (
			SELECT c.pairing, c.contact_date AS day FROM `tabContact Log` c
			WHERE c.pairing IN %(pairings)s AND c.kind IN %(monitoring_kinds)s
				AND IFNULL(c.outcome, '') != %(no_answer)s
			UNION ALL
			SELECT p.name, DATE(s.starts_on) FROM `tabPairing` p
			JOIN `tabSupervision Attendee` a ON a.tutor = p.tutor AND a.parenttype = 'Supervision Meeting'
				AND a.parentfield = 'attendees' AND a.present = 1
			JOIN `tabSupervision Meeting` s ON s.name = a.parent AND s.status = 'Held'
			WHERE p.name IN %(pairings)s AND DATE(s.starts_on) >= {_SINCE_START}
				AND (p.closure_date IS NULL OR DATE(s.starts_on) <= p.closure_date)
		) m GROUP BY m.pairing"""


def monitoring_values(pairings: list[str]) -> dict:
	return {"pairings": pairings, "monitoring_kinds": MONITORING_CONTACT_KINDS, "no_answer": NO_ANSWER}


def get_last_monitoring(pairing: str):
	rows = frappe.db.sql(last_monitoring_sql(), monitoring_values([pairing]), as_dict=True)
	return rows[0].monitoring if rows else None


def update_last_monitoring(pairings: list[str]) -> None:
	"""Store the pairings' last CIAC monitoring (empty when never), in one UPDATE; `modified` is left
	alone, as for every derived value."""
	if pairings:
		frappe.db.sql(
			f"""UPDATE `tabPairing` p LEFT JOIN ({last_monitoring_sql()}) m ON m.pairing = p.name
			SET p.last_monitoring = m.monitoring WHERE p.name IN %(pairings)s""",
			monitoring_values(pairings),
		)


def refresh_monitoring(pairings: list[str] | None = None, tutors: set[str] | list[str] | None = None) -> None:
	"""Recompute the last CIAC monitoring, then the compliance, of the pairings (or of every pairing
	of the tutors): what a group supervision meeting's attendance changes."""
	if tutors:
		pairings = [
			*(pairings or []),
			*frappe.get_all("Pairing", {"tutor": ["in", list(tutors)]}, pluck="name"),
		]
	pairings = sorted({p for p in pairings or [] if p})
	if pairings:
		update_last_monitoring(pairings)
		update_compliance(pairings)


def follow_new_cadences(settings, method: str | None = None) -> None:
	"""The stored compliance of every pairing follows the settings' new cadences at once (one
	UPDATE). Called on Tutoring Settings' on_update through hooks.py `doc_events`: the settings,
	which every module reads, import none of them."""
	update_compliance()
