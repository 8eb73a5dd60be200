"""A check-in period lasts at least a week; the defaults come from the DocType."""

import frappe
import pytest

from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)
from ciac_tutoring.validation import InvalidFieldsError


def test_a_period_under_a_week_is_refused_next_to_its_field():
	settings = frappe.get_doc("Beneficiary Voice Settings")
	settings.check_in_every_days = 3
	with pytest.raises(InvalidFieldsError) as refusal:
		settings.save(ignore_permissions=True)
	assert set(refusal.value.errors) == {"check_in_every_days"}


def test_unset_values_read_as_the_doctypes_defaults():
	frappe.db.set_single_value(
		"Beneficiary Voice Settings", {"check_in_every_days": None, "no_contact_check_ins": None}
	)
	settings = get_voice_settings()
	assert (settings.check_in_every_days, settings.no_contact_check_ins) == (14, 2)
