import frappe

from ciac_tutoring.monitoring.test_monitoring import set_settings
from demo import monitoring as demo


def test_the_demo_step_tops_up_and_can_run_again():

	set_settings()
	demo.load()
	active = frappe.db.count("Pairing", {"status": "Active"})
	logs = frappe.db.count("Tutoring Reminder Log")
	assert active >= demo.DEMO_ACTIVE_PAIRINGS and logs

	demo.load()
	assert frappe.db.count("Pairing", {"status": "Active"}) == active
	assert frappe.db.count("Tutoring Reminder Log") == logs
	assert frappe.db.count("Tutoring Reminder Log", {"email_status": "Pending"}) == 0
