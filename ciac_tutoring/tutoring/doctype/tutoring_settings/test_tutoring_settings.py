# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings


def test_installed_defaults():
	settings = get_settings()
	assert (settings.phone_contact_cadence_days, settings.meeting_cadence_days, settings.grace_days) == (
		7,
		30,
		2,
	)
	assert settings.coordinator_role == "CIAC Coordinator"


def test_coordinator_email_is_validated():
	settings = frappe.get_doc("Tutoring Settings")
	settings.coordinator_email = "not an address"
	with pytest.raises(frappe.ValidationError):
		settings.save()


def test_a_customised_default_counts_at_once_for_an_unset_value():
	frappe.db.delete("Singles", {"doctype": "Tutoring Settings", "field": "grace_days"})
	assert get_settings().grace_days == 2  # the DocType's default
	frappe.make_property_setter(
		{"doctype": "Tutoring Settings", "fieldname": "grace_days", "property": "default", "value": "4"},
		is_system_generated=False,
	)
	try:
		assert get_settings().grace_days == 4
	finally:
		# Property Setters clear Frappe's caches, which a rollback does not restore.
		frappe.db.delete("Property Setter", {"doc_type": "Tutoring Settings", "field_name": "grace_days"})
		frappe.clear_cache(doctype="Tutoring Settings")
	assert get_settings().grace_days == 2
