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
