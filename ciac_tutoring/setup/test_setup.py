"""The install and migrate steps are idempotent and leave admins' edits alone."""

import frappe
from frappe.utils import fmt_money, formatdate

from ciac_tutoring.setup.desk import forget_the_formats_read, use_the_countrys_formats
from ciac_tutoring.setup.masters import SUPPORT_AREAS, TUTORING_GOALS, seed_masters, seed_settings
from ciac_tutoring.setup.roles import create_roles


def test_masters_are_seeded_once_and_admin_edits_survive_a_migrate():
	area = SUPPORT_AREAS[0]
	frappe.db.set_value("Support Area", area, {"enabled": 0, "description": "edited by an admin"})
	seed_masters()
	seed_masters()
	assert frappe.db.count("Support Area", {"area_name": ("in", SUPPORT_AREAS)}) == len(SUPPORT_AREAS)
	assert frappe.db.get_value("Support Area", area, ["enabled", "description"]) == (0, "edited by an admin")


def test_the_six_goals_are_seeded_in_order():
	goals = frappe.get_all(
		"Tutoring Goal", filters={"name": ("in", TUTORING_GOALS)}, order_by="sequence", pluck="name"
	)
	assert goals == TUTORING_GOALS


def test_settings_defaults_fill_only_missing_values():
	frappe.db.set_single_value("Tutoring Settings", "grace_days", 5)
	frappe.db.set_single_value("Tutoring Settings", "meeting_cadence_days", None)
	seed_settings()
	assert frappe.db.get_single_value("Tutoring Settings", "grace_days") == 5
	assert frappe.db.get_single_value("Tutoring Settings", "meeting_cadence_days") == 30


def test_roles_exist_and_the_tutor_role_is_kept_off_the_desk():
	frappe.db.set_value("Role", "Tutor", "desk_access", 1)
	create_roles()
	assert frappe.db.get_value("Role", "Tutor", "desk_access") == 0
	assert frappe.db.get_value("Role", "CIAC Coordinator", "desk_access") == 1


def test_the_demo_takes_italys_formats_as_the_wizard_does_and_keeps_an_admins_own():
	forget_the_formats_read()  # a date formatted earlier in this worker kept the site's format
	try:
		frappe.db.set_single_value(
			"System Settings",
			{"country": "Italy", "currency": None, "date_format": "yyyy-mm-dd", "number_format": "#,###.##"},
		)
		use_the_countrys_formats()
		assert formatdate("2026-12-06") == "06/12/2026"
		assert fmt_money(1234.5, currency="EUR") == "€ 1.234,50"

		frappe.db.set_single_value("System Settings", "date_format", "yyyy-mm-dd")
		use_the_countrys_formats()  # the currency is set: an admin's own format stays
		assert frappe.db.get_single_value("System Settings", "date_format") == "yyyy-mm-dd"
	finally:
		frappe.db.rollback()
		frappe.clear_cache()  # the formats Frappe cached during the test
		forget_the_formats_read()
