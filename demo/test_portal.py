"""The portal works on the demo data: the demo tutor (tutor@ciac.example) sees their pairing."""

import frappe

from ciac_tutoring.tests.portal_data import render_page
from demo import base as demo
from demo.workflow import walk_demo_tutors


def load_demo_base() -> None:
	demo.load()
	walk_demo_tutors()


def test_demo_tutor_uses_the_portal():
	load_demo_base()
	user = demo.DEMO_TUTOR_EMAIL
	tutor = frappe.db.get_value("Tutor", {"user": user}, ["name", "tutor_name"], as_dict=True)
	assert tutor, "the demo tutor has a portal login"
	assert "Tutor" in frappe.get_roles(user)
	assert frappe.db.get_value("User", user, "user_type") == "Website User"

	pairings = frappe.get_all(
		"Pairing", filters={"tutor": tutor.name, "status": "Active"}, fields=["name", "beneficiary"]
	)
	assert pairings, "the demo tutor follows someone"
	home = render_page("/my-tutoring", user)
	for pairing in pairings:
		first_name, last_name = frappe.db.get_value(
			"Beneficiary", pairing.beneficiary, ["first_name", "last_name"]
		)
		assert first_name in home
		assert last_name not in home
		assert f"/log-contact?pairing={pairing.name}" in home

	contact_form = render_page(f"/log-contact?pairing={pairings[0].name}", user)
	assert f'<option value="{pairings[0].name}" selected' in contact_form
	training = render_page("/training", user, lang="it")
	assert "Le tue ore di formazione" in training
	assert "Diventa tutor" in render_page("/become-a-tutor", "Guest", lang="it")
