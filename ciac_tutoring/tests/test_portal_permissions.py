"""The permission hooks called directly (the HTTP tests try the same rules through every route)."""

import frappe
import pytest

from ciac_tutoring import permissions
from ciac_tutoring.tests.portal_data import (
	make_active_pairing,
	make_beneficiary,
	make_contact_log,
	make_portal_user,
	make_tutor,
)


@pytest.fixture
def two_tutors():
	sides = {}
	for side in ("a", "b"):
		# A Website User, as the portal creates them (see portal_data.make_portal_user).
		user = make_portal_user(f"perm-{side}@portal-hooks-test.example", side)
		tutor = make_tutor(f"perm-{side}", user=user)
		pairing = make_active_pairing(tutor, make_beneficiary(f"perm{side}"))
		sides[side] = frappe._dict(
			user=user, tutor=tutor, pairing=pairing, contact_log=make_contact_log(pairing)
		)
	return frappe._dict(sides)


def test_ownership_checks_know_own_rows_from_the_others(two_tutors):
	a, b = two_tutors.a, two_tutors.b
	assert permissions.own_tutor_names(a.user) == [a.tutor]
	assert permissions.is_own_pairing(a.pairing, a.user) is True
	assert permissions.is_own_pairing(b.pairing, a.user) is False
	assert permissions.is_own_pairing("", a.user) is False
	assert permissions.is_own_pairing(["not", "a", "name"], a.user) is False


def test_frappe_grants_a_tutor_nothing_not_even_their_own_rows(two_tutors):
	a = two_tutors.a
	for doctype, key in (("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")):
		assert frappe.has_permission(doctype, "read", a[key], user=a.user) is False
		assert frappe.has_website_permission(frappe.get_doc(doctype, a[key]), "read", a.user) is False
	frappe.set_user(a.user)
	with pytest.raises(frappe.PermissionError):
		frappe.get_list("Pairing")


def test_a_tutor_sees_planned_sessions_and_those_attended(two_tutors):
	from ciac_tutoring.tests.portal_data import make_training_session

	a, b = two_tutors.a, two_tutors.b
	planned = make_training_session("perm planned")
	held = make_training_session("perm held")
	frappe.db.set_value("Training Session", held, "status", "Held")
	assert permissions.is_visible_training_session(planned, a.user)
	assert not permissions.is_visible_training_session(held, a.user)
	frappe.get_doc("Training Session", held).append(
		"attendees", {"tutor": b.tutor, "attendance": "Attended"}
	).db_insert()
	assert permissions.is_visible_training_session(held, b.user)
	assert not permissions.is_visible_training_session(held, a.user)
