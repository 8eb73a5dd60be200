import frappe

from ciac_tutoring.monitoring.test_monitoring import make_pairings
from ciac_tutoring.patches.v0_1 import tutor_notices_first_name_only


def make_log(pairing: str, rule: str, message: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Tutoring Reminder Log",
			"key": f"test:{frappe.generate_hash(length=10)}",
			"rule": rule,
			"pairing": pairing,
			"subject": message,
			"message": message,
			"email_status": "Skipped",
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def test_old_tutor_notices_keep_the_first_name_only():
	(pairing,) = make_pairings(1)
	beneficiary, full_name = frappe.db.get_value("Pairing", pairing, ["beneficiary", "beneficiary_name"])
	first_name = frappe.db.get_value("Beneficiary", beneficiary, "first_name")
	assert full_name != first_name
	notice = make_log(pairing, "Tutor reminder", f"With {full_name}: Weekly phone contact: due by 2026-03-17")
	alert = make_log(pairing, "Pairing overdue", f"Pairing overdue: tutor / {full_name}")

	tutor_notices_first_name_only.execute()

	message, subject = frappe.db.get_value("Tutoring Reminder Log", notice, ["message", "subject"])
	assert message == f"With {first_name}: Weekly phone contact: due by 2026-03-17"
	assert full_name in subject  # what was emailed stays on record
	assert full_name in frappe.db.get_value("Tutoring Reminder Log", alert, "message")  # coordinators'
