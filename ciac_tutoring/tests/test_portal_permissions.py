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


def test_document_hook_allows_own_rows_and_denies_the_others(two_tutors):
	a, b = two_tutors.a, two_tutors.b
	for doctype, key in (("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")):
		assert permissions.has_permission(frappe.get_doc(doctype, a[key]), "read", a.user) is True
		assert permissions.has_permission(frappe.get_doc(doctype, b[key]), "read", a.user) is False
		assert permissions.has_website_permission(frappe.get_doc(doctype, a[key]), "read", a.user) is True
		assert permissions.has_website_permission(frappe.get_doc(doctype, b[key]), "read", a.user) is False
		assert frappe.has_permission(doctype, "read", b[key], user=a.user) is False


def test_new_contact_log_must_be_on_an_own_pairing(two_tutors):
	a, b = two_tutors.a, two_tutors.b
	log = frappe.new_doc("Contact Log")
	log.pairing = b.pairing
	log.tutor = a.tutor  # a forged tutor does not help
	assert permissions.has_permission(log, "create", a.user) is False
	log.pairing = a.pairing
	assert permissions.has_permission(log, "create", a.user) is True


def test_moving_a_contact_log_to_another_pairing_is_denied(two_tutors):
	a, b = two_tutors.a, two_tutors.b
	log = frappe.get_doc("Contact Log", a.contact_log)
	log.pairing = b.pairing
	assert permissions.has_permission(log, "write", a.user) is False


def test_list_conditions_restrict_tutors_and_leave_staff_alone(two_tutors):
	a = two_tutors.a
	frappe.set_user(a.user)
	names = frappe.get_list("Pairing", pluck="name")
	assert names == [a.pairing]
	assert frappe.get_list("Contact Log", pluck="name") == [a.contact_log]
	assert frappe.get_list("Tutor", pluck="name") == [a.tutor]
	frappe.set_user("Administrator")
	assert permissions.pairing_query_conditions("Administrator") == ""
	assert permissions.file_query_conditions("Administrator") == ""
	assert "`tabPairing`.`tutor` IN" in permissions.pairing_query_conditions(a.user)


def test_guests_have_no_website_permission(two_tutors):
	assert (
		permissions.has_website_permission(frappe.get_doc("Pairing", two_tutors.a.pairing), "read", "Guest")
		is False
	)
