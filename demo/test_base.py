"""The demo base data loads, loads again without duplicating, and gives the logins the README promises."""

import frappe
from frappe.utils.password import check_password

from demo import base as demo


def test_demo_loads_twice_with_the_promised_logins():
	demo.load()
	demo.load()  # idempotent

	emails = [row[0] for row in demo.TUTORS]
	assert frappe.db.count("Tutor", {"email": ("in", emails)}) == 12
	assert frappe.db.count("Beneficiary", {"last_name": ("in", [row[1] for row in demo.BENEFICIARIES])}) >= 12
	assert frappe.db.count("Training Session", {"title": ("like", "%")}) >= 4

	for email, password, *_rest, role in demo.STAFF_USERS:
		assert check_password(email, password) == email
		assert role in frappe.get_roles(email)
		assert frappe.db.get_value("User", email, "user_type") == "System User"

	tutor = frappe.get_doc("Tutor", {"email": demo.DEMO_TUTOR_EMAIL})
	assert tutor.user == demo.DEMO_TUTOR_EMAIL
	assert check_password(demo.DEMO_TUTOR_EMAIL, demo.DEMO_TUTOR_PASSWORD) == demo.DEMO_TUTOR_EMAIL
	assert frappe.db.get_value("User", tutor.user, "user_type") == "Website User"
	assert "Tutor" in frappe.get_roles(tutor.user)
	assert tutor.training_hours > 0
	pairing = frappe.get_doc("Pairing", {"tutor": tutor.name, "status": "Active"})
	assert pairing.last_phone_contact and pairing.last_meeting and pairing.last_monitoring
	assert frappe.db.count("Contact Log", {"pairing": pairing.name}) > 10

	statuses = {
		row.status
		for row in frappe.get_all("Pairing", filters={"tutor": ("in", tutor_names())}, fields=["status"])
	}
	assert statuses == {"Proposed", "Active", "Suspended", "Closed"}


def tutor_names():
	return frappe.get_all("Tutor", filters={"email": ("in", [row[0] for row in demo.TUTORS])}, pluck="name")
