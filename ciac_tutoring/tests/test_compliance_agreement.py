"""One commitment rule: the daily job, the Pairing Compliance report, the tutors' portal and the
Overdue Pairings number card say the same of the same pairings, whatever was agreed for them."""

import frappe
from freezegun import freeze_time

from ciac_tutoring.monitoring.compliance import DUE_SOON, MEETING, ON_TRACK, OVERDUE, PHONE
from ciac_tutoring.monitoring.report.pairing_compliance.pairing_compliance import (
	execute as pairing_compliance,
)
from ciac_tutoring.monitoring.test_monitoring import (
	TODAY,
	make_pairings,
	run_daily_job,
	set_pairing,
	set_settings,
)
from ciac_tutoring.portal.my_tutoring import get_open_pairings

# name: (days since the last call, since the last meeting, calls a week, meetings a month), expected
CASES = {
	"weekly call, on track": ((3, 10, 1, 1), (ON_TRACK, [])),
	"two calls a week, 4 days since the last": ((4, 10, 2, 1), (OVERDUE, [PHONE])),
	"two calls a week, 2 days since the last": ((2, 10, 2, 1), (DUE_SOON, [PHONE])),
	"three calls a week, 3 days since the last": ((3, 10, 3, 1), (OVERDUE, [PHONE])),
	"three calls a week, 1 day since the last": ((1, 10, 3, 1), (DUE_SOON, [PHONE])),
	"two meetings a month, 16 days since the last": ((1, 16, 1, 2), (OVERDUE, [MEETING])),
	"two meetings a month, 14 days since the last": ((1, 14, 1, 2), (DUE_SOON, [MEETING])),
	"two meetings a month, 11 days since the last": ((1, 11, 1, 2), (ON_TRACK, [])),
	"two calls a week and two meetings a month, both late": ((5, 20, 2, 2), (OVERDUE, [PHONE, MEETING])),
}


def build_cases() -> dict[str, str]:
	set_settings()
	pairings = dict(zip(CASES, make_pairings(len(CASES)), strict=True))
	for case, pairing in pairings.items():
		(phone, meeting, per_week, per_month), _expected = CASES[case]
		set_pairing(pairing, phone=phone, meeting=meeting, per_week=per_week, per_month=per_month)
	return pairings


def stored_compliance(pairing: str) -> tuple[str, list[str]]:
	status, late = frappe.db.get_value("Pairing", pairing, ["compliance_status", "late_commitments"])
	return status, (late or "").splitlines()


def state_of(commitment: frappe._dict) -> str | None:
	return OVERDUE if commitment.overdue else DUE_SOON if commitment.due_soon else None


def test_the_job_the_report_the_portal_and_the_card_agree_on_agreed_frequencies():
	pairings = build_cases()
	run_daily_job()
	with freeze_time(str(TODAY)):
		report = {row.pairing: row for row in pairing_compliance({"as_of_date": str(TODAY)})[1]}
		tutors = [frappe.db.get_value("Pairing", pairing, "tutor") for pairing in pairings.values()]
		portal = {row.name: row for row in get_open_pairings(tutors)}

	for case, pairing in pairings.items():
		expected_status, expected_late = CASES[case][1]
		assert stored_compliance(pairing) == (expected_status, expected_late), case
		row = report[pairing]
		assert (row.compliance, row.late_commitments) == (expected_status, ", ".join(expected_late)), case
		states = {PHONE: row.phone_state, MEETING: row.meeting_state}
		shown = {PHONE: state_of(portal[pairing].phone), MEETING: state_of(portal[pairing].meeting)}
		assert shown == states, case
		for commitment in expected_late:
			assert shown[commitment] == expected_status, case
		# The portal's next due date is the report's: the last contact plus the agreed interval.
		assert portal[pairing].phone.next_due == frappe.utils.add_days(
			TODAY, row.phone_interval - row.phone_since
		)

	overdue_card = frappe.get_doc("Number Card", "Overdue Pairings")
	filters = frappe.parse_json(overdue_card.filters_json)
	counted = set(frappe.get_all("Pairing", filters=[f[:4] for f in filters], pluck="name"))
	assert counted & set(pairings.values()) == {
		pairing for case, pairing in pairings.items() if CASES[case][1][0] == OVERDUE
	}


def test_a_saved_contact_log_updates_the_stored_status_at_once():
	set_settings()
	(pairing,) = make_pairings(1)  # no contact logs: measured from its start, 60 days ago
	set_pairing(pairing, per_week=2)

	def log(kind: str):
		return frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": TODAY,
				"kind": kind,
				"wellbeing": "Fine",
			}
		).insert(ignore_permissions=True)

	with freeze_time(str(TODAY)):
		frappe.get_doc("Pairing", pairing).save()  # a saved pairing refreshes its own status
		assert stored_compliance(pairing) == (OVERDUE, [PHONE, MEETING])
		log("Phone or video call")
		assert stored_compliance(pairing) == (OVERDUE, [MEETING])
		meeting = log("In-person meeting")
		assert stored_compliance(pairing) == (ON_TRACK, [])
		meeting.delete(ignore_permissions=True)
		assert stored_compliance(pairing) == (OVERDUE, [MEETING])


def test_a_suspended_pairing_has_no_commitments_anywhere():
	set_settings()
	(pairing,) = make_pairings(1)
	set_pairing(pairing, phone=30, status="Suspended")
	run_daily_job()
	with freeze_time(str(TODAY)):
		tutor = frappe.db.get_value("Pairing", pairing, "tutor")
		shown = {row.name: row for row in get_open_pairings([tutor])}[pairing]
		report = {
			row.pairing: row
			for row in pairing_compliance({"as_of_date": str(TODAY), "status": "Suspended"})[1]
		}
	assert stored_compliance(pairing) == ("", [])
	assert report[pairing].compliance == ""
	assert shown.phone.next_due is None and not shown.phone.overdue
	assert shown.phone.days_since == 30
