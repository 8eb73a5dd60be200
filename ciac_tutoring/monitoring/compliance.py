"""Compliance of Active pairings with the programme's cadences, computed set-based.

A commitment (weekly phone contact, monthly meeting, CIAC monitoring) falls due a cadence
after its last occurrence (or after the pairing's start when there was none yet):
- Overdue: the due date has passed;
- Due soon: it falls due within the settings' grace days (today included);
- On track: otherwise.
The pairing takes the worst status of its commitments; `late_commitments` lists the
commitments behind that status (the overdue ones, or the ones due soon), one per line.

The pairing's agreed frequency divides the cadence: two phone contacts a week with a
7-day cadence means one due every 3 days.

Everything here runs in a constant number of SQL statements, whatever the number of pairings.
"""

import frappe
from frappe.utils import getdate, now_datetime

from ciac_tutoring.monitoring.settings import get_monitoring_settings

PHONE = "Weekly phone contact"
MEETING = "Monthly meeting"
MONITORING = "CIAC monitoring"
COMMITMENTS = (PHONE, MEETING, MONITORING)

ON_TRACK, DUE_SOON, OVERDUE = "On track", "Due soon", "Overdue"

# Per commitment: the column of its last occurrence and the SQL of its interval in days.
_FALLBACK = "COALESCE(p.start_date, DATE(p.creation))"
_COMMITMENT_SQL = {
	PHONE: (
		"p.last_phone_contact",
		"GREATEST(1, FLOOR(%(phone_cadence)s / GREATEST(IFNULL(p.phone_contacts_per_week, 0), 1)))",
	),
	MEETING: (
		"p.last_meeting",
		"GREATEST(1, FLOOR(%(meeting_cadence)s / GREATEST(IFNULL(p.meetings_per_month, 0), 1)))",
	),
	MONITORING: ("p.last_monitoring", "%(monitoring_cadence)s"),
}


def due_date_sql(commitment: str) -> str:
	last_column, interval = _COMMITMENT_SQL[commitment]
	return f"DATE_ADD(COALESCE({last_column}, {_FALLBACK}), INTERVAL {interval} DAY)"


def days_late_sql(commitment: str) -> str:
	"""Days past the due date: > 0 overdue, between -grace and 0 due soon."""
	return f"DATEDIFF(%(today)s, {due_date_sql(commitment)})"


def _status_sql() -> str:
	overdue = " OR ".join(f"{days_late_sql(c)} > 0" for c in COMMITMENTS)
	due_soon = " OR ".join(f"{days_late_sql(c)} >= -%(grace)s" for c in COMMITMENTS)
	return f"CASE WHEN {overdue} THEN '{OVERDUE}' WHEN {due_soon} THEN '{DUE_SOON}' ELSE '{ON_TRACK}' END"


def _late_commitments_sql() -> str:
	overdue_any = " OR ".join(f"{days_late_sql(c)} > 0" for c in COMMITMENTS)
	overdue_list = ", ".join(f"IF({days_late_sql(c)} > 0, '{c}', NULL)" for c in COMMITMENTS)
	due_soon_list = ", ".join(f"IF({days_late_sql(c)} >= -%(grace)s, '{c}', NULL)" for c in COMMITMENTS)
	return (
		f"CASE WHEN {overdue_any} THEN CONCAT_WS('\\n', {overdue_list}) "
		f"ELSE NULLIF(CONCAT_WS('\\n', {due_soon_list}), '') END"
	)


def sql_values(settings: frappe._dict, today) -> dict:
	return {
		"today": getdate(today),
		"grace": settings.grace_days,
		"phone_cadence": settings.phone_contact_cadence_days,
		"meeting_cadence": settings.meeting_cadence_days,
		"monitoring_cadence": settings.monitoring_cadence_days,
		"checked_on": now_datetime(),
	}


def update_compliance(today=None, settings: frappe._dict | None = None) -> None:
	"""Set compliance_status, late_commitments and compliance_checked_on of every pairing.

	Two statements: Active pairings get their status; the others lose a status that no
	longer applies (a suspended or closed pairing is not "overdue"). `modified` is left
	alone so that nobody's open form turns stale because of the nightly job.
	"""
	settings = settings or get_monitoring_settings()
	values = sql_values(settings, today or frappe.utils.today())
	frappe.db.sql(
		f"""
		UPDATE `tabPairing` p
		SET p.compliance_status = {_status_sql()},
			p.late_commitments = {_late_commitments_sql()},
			p.compliance_checked_on = %(checked_on)s
		WHERE p.status = 'Active'
		""",
		values,
	)
	frappe.db.sql(
		"""
		UPDATE `tabPairing` p
		SET p.compliance_status = '', p.late_commitments = NULL
		WHERE p.status != 'Active' AND (IFNULL(p.compliance_status, '') != '' OR p.late_commitments IS NOT NULL)
		"""
	)


def get_overdue_pairings() -> set[str]:
	return set(
		frappe.get_all("Pairing", filters={"status": "Active", "compliance_status": OVERDUE}, pluck="name")
	)


def get_pairings_needing_attention(today=None, settings: frappe._dict | None = None) -> list[dict]:
	"""Active pairings that are Due soon or Overdue, with each commitment's due date and lateness.

	One query; reads the status the last `update_compliance` wrote.
	"""
	settings = settings or get_monitoring_settings()
	commitment_columns = ",\n".join(
		f"{due_date_sql(c)} AS `{_alias(c)}_due`, {days_late_sql(c)} AS `{_alias(c)}_late`"
		for c in COMMITMENTS
	)
	return frappe.db.sql(
		f"""
		SELECT p.name, p.tutor, p.tutor_name, p.beneficiary_name, p.coordinator,
			b.first_name AS beneficiary_first_name, p.compliance_status, p.late_commitments,
			t.email AS tutor_email, t.user AS tutor_user, u.language AS tutor_language,
			cu.email AS coordinator_email, cu.language AS coordinator_language,
			{commitment_columns}
		FROM `tabPairing` p
		LEFT JOIN `tabTutor` t ON t.name = p.tutor
		LEFT JOIN `tabBeneficiary` b ON b.name = p.beneficiary
		LEFT JOIN `tabUser` u ON u.name = t.user
		LEFT JOIN `tabUser` cu ON cu.name = p.coordinator AND cu.enabled = 1
		WHERE p.status = 'Active' AND p.compliance_status IN ('{DUE_SOON}', '{OVERDUE}')
		ORDER BY p.name
		""",
		sql_values(settings, today or frappe.utils.today()),
		as_dict=True,
	)


def _alias(commitment: str) -> str:
	return {PHONE: "phone", MEETING: "meeting", MONITORING: "monitoring"}[commitment]


def commitment_state(row: dict, commitment: str, grace_days: int) -> str | None:
	"""OVERDUE, DUE_SOON or None for one commitment of a row of get_pairings_needing_attention."""
	late = row[f"{_alias(commitment)}_late"]
	if late > 0:
		return OVERDUE
	if late >= -grace_days:
		return DUE_SOON
	return None


def due_date(row: dict, commitment: str):
	return getdate(row[f"{_alias(commitment)}_due"])
