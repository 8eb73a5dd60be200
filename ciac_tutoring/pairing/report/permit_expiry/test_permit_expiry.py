import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.pairing.report.permit_expiry.permit_expiry import execute
from ciac_tutoring.tutoring.report.report_test_data import (
	TOWN,
	beneficiary_row,
	make_user,
	pairing_row,
	tutor_row,
)


def in_days(days: int) -> str:
	return add_days(today(), days)


def build_beneficiaries():
	coordinator = make_user("_test_report_coord@example.com", "Chiara", roles=("CIAC Coordinator",))
	tutor_row("_TR-TUT-1")
	beneficiary_row("_TR-BEN-1", residence_permit_expiry=in_days(10), protection_status="Refugee")
	beneficiary_row("_TR-BEN-2", residence_permit_expiry=in_days(40), status="Waiting")
	beneficiary_row("_TR-BEN-3", residence_permit_expiry=in_days(-5))
	beneficiary_row("_TR-BEN-4", residence_permit_expiry=in_days(100))
	beneficiary_row("_TR-BEN-5", residence_permit_expiry=in_days(20), status="Closed")
	beneficiary_row("_TR-BEN-6")  # no permit date recorded
	pairing_row("_TR-P1", "_TR-TUT-1", "_TR-BEN-1", coordinator=coordinator.name, start_date="2026-01-01")
	pairing_row("_TR-P0", "_TR-TUT-1", "_TR-BEN-1", status="Closed", start_date="2025-01-01")
	return coordinator


def run(**filters):
	_columns, data, _message, _chart, summary = execute({"municipality": TOWN, **filters})
	return {row.beneficiary: row for row in data}, summary


def test_window_defaults_to_the_settings_days_from_today():
	build_beneficiaries()
	frappe.db.set_single_value("Tutoring Settings", "permit_expiry_window_days", 60)
	rows, summary = run()
	assert list(rows) == ["_TR-BEN-1", "_TR-BEN-2"]
	first = rows["_TR-BEN-1"]
	assert (first.days_left, first.pairing, first.tutor_name, first.coordinator_name) == (
		10,
		"_TR-P1",
		"Tutor _TR-TUT-1",
		"Chiara",
	)
	assert rows["_TR-BEN-2"].pairing is None
	assert [item["value"] for item in summary] == [2, 0, 1]


def test_chosen_window_status_and_coordinator_filters():
	coordinator = build_beneficiaries()
	rows, summary = run(from_date=in_days(-30), to_date=in_days(365))
	assert list(rows) == ["_TR-BEN-3", "_TR-BEN-1", "_TR-BEN-2", "_TR-BEN-4"]
	assert rows["_TR-BEN-3"].days_left == -5
	assert summary[1]["value"] == 1
	assert list(run(from_date=in_days(-30), to_date=in_days(365), status="Closed")[0]) == ["_TR-BEN-5"]
	assert list(run(from_date=in_days(-30), to_date=in_days(365), coordinator=coordinator.name)[0]) == [
		"_TR-BEN-1"
	]


def test_refused_to_a_tutor_user():
	from frappe.desk.query_report import run as run_report

	build_beneficiaries()
	tutor_user = make_user(
		"_test_report_tutor@example.com", "Tito", roles=("Tutor",), user_type="Website User"
	)
	frappe.set_user(tutor_user.name)
	with pytest.raises(frappe.PermissionError):
		run_report("Permit Expiry", filters={"municipality": TOWN})
	with pytest.raises(frappe.PermissionError):
		execute({"municipality": TOWN})


def test_open_to_a_coordinator():
	from frappe.desk.query_report import run as run_report

	coordinator = build_beneficiaries()
	frappe.set_user(coordinator.name)
	result = run_report("Permit Expiry", filters={"municipality": TOWN})
	assert [row["beneficiary"] for row in result["result"]] == ["_TR-BEN-1", "_TR-BEN-2"]
