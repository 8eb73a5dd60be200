"""The install and migrate steps are idempotent and leave admins' edits alone."""

import frappe

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
