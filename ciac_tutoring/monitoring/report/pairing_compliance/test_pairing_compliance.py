import frappe

from ciac_tutoring.monitoring.report.pairing_compliance.pairing_compliance import execute
from ciac_tutoring.tutoring.report.report_test_data import (
	TOWN,
	beneficiary_row,
	make_settings,
	make_user,
	pairing_row,
	tutor_row,
)

AS_OF = "2026-06-30"


def build_pairings():
	make_settings()
	coordinator = make_user("_test_report_coord@example.com", "Chiara")
	tutor_row("_TR-TUT-1")
	tutor_row("_TR-TUT-2", municipality="_Test Elsewhere")
	for index in range(1, 7):
		beneficiary_row(f"_TR-BEN-{index}")
	common = {"start_date": "2026-01-01", "last_monitoring": "2026-05-01"}
	# 2 days since the call, 10 since the meeting, 60 since monitoring: nothing close to due.
	pairing_row(
		"_TR-P1",
		"_TR-TUT-1",
		"_TR-BEN-1",
		coordinator=coordinator.name,
		last_phone_contact="2026-06-28",
		last_meeting="2026-06-20",
		**common,
	)
	# 5 days since the call: within the 2 grace days of the 7-day cadence.
	pairing_row(
		"_TR-P2",
		"_TR-TUT-1",
		"_TR-BEN-2",
		last_phone_contact="2026-06-25",
		last_meeting="2026-06-20",
		**common,
	)
	# 10 days since the call and 46 since the meeting: both late.
	pairing_row(
		"_TR-P3",
		"_TR-TUT-1",
		"_TR-BEN-3",
		last_phone_contact="2026-06-20",
		last_meeting="2026-05-15",
		**common,
	)
	# Two calls a week agreed: a call every 3 days (7 / 2 rounded down), so 4 days is late.
	pairing_row(
		"_TR-P4",
		"_TR-TUT-1",
		"_TR-BEN-4",
		phone_contacts_per_week=2,
		last_phone_contact="2026-06-26",
		last_meeting="2026-06-20",
		**common,
	)
	# Closed: not in the default view.
	pairing_row(
		"_TR-P5",
		"_TR-TUT-1",
		"_TR-BEN-5",
		status="Closed",
		last_phone_contact="2026-01-20",
		closure_date="2026-02-01",
		**common,
	)
	# Started 3 days ago, no contact yet: measured from the start date.
	pairing_row("_TR-P6", "_TR-TUT-2", "_TR-BEN-6", start_date="2026-06-27")
	return coordinator


def run(**filters):
	columns, data, message, chart, summary = execute({"as_of_date": AS_OF, **filters})
	return columns, {row.pairing: row for row in data if row.pairing.startswith("_TR-")}, chart, summary


def test_statuses_days_and_late_commitments_follow_the_agreed_cadence():
	build_pairings()
	_columns, rows, _chart, _summary = run()

	assert set(rows) == {"_TR-P1", "_TR-P2", "_TR-P3", "_TR-P4", "_TR-P6"}
	assert {name: row.compliance for name, row in rows.items()} == {
		"_TR-P1": "On track",
		"_TR-P2": "Due soon",
		"_TR-P3": "Overdue",
		"_TR-P4": "Overdue",
		"_TR-P6": "On track",
	}
	p3 = rows["_TR-P3"]
	assert (p3.phone_since, p3.meeting_since, p3.monitoring_since) == (10, 46, 60)
	assert p3.late_commitments == "Weekly phone contact, Monthly meeting"
	assert rows["_TR-P4"].phone_interval == 3
	assert rows["_TR-P2"].late_commitments == "Weekly phone contact"  # due soon, not late
	assert rows["_TR-P4"].late_commitments == "Weekly phone contact"
	assert rows["_TR-P6"].phone_since == 3
	assert rows["_TR-P1"].late_commitments == ""


def test_filters_by_coordinator_municipality_status_and_compliance():
	coordinator = build_pairings()
	assert set(run(coordinator=coordinator.name)[1]) == {"_TR-P1"}
	assert run(coordinator=coordinator.name)[1]["_TR-P1"].coordinator_name == "Chiara"
	assert set(run(municipality="_Test Elsewhere")[1]) == {"_TR-P6"}
	assert set(run(municipality=TOWN, compliance="Overdue")[1]) == {"_TR-P3", "_TR-P4"}
	assert set(run(status="Closed")[1]) == {"_TR-P5"}


def test_summary_and_chart_count_the_statuses():
	build_pairings()
	_columns, _rows, chart, summary = run(municipality=TOWN)
	values = {item["label"]: item["value"] for item in summary}
	assert values == {"Pairings": 4, "On track": 1, "Due soon": 1, "Overdue": 2}
	assert chart["data"]["datasets"][0]["values"] == [1, 1, 2]


def test_a_higher_cadence_in_the_settings_changes_the_status():
	build_pairings()
	frappe.db.set_single_value("Tutoring Settings", "phone_contact_cadence_days", 14)
	frappe.db.set_single_value("Tutoring Settings", "meeting_cadence_days", 60)
	assert run()[1]["_TR-P3"].compliance == "On track"


def test_the_report_agrees_with_the_monitoring_job():
	from ciac_tutoring.monitoring.compliance import update_compliance

	build_pairings()
	update_compliance(today=AS_OF)
	stored = dict(
		frappe.get_all(
			"Pairing",
			filters={"name": ("like", "_TR-P%"), "status": "Active"},
			fields=["name", "compliance_status"],
			as_list=True,
		)
	)
	assert {name: row.compliance for name, row in run()[1].items()} == stored
