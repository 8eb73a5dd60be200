# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest

from ciac_tutoring.privacy.doctype.consent_record.consent_record import record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import get_current_notice
from ciac_tutoring.tests.factory import make_beneficiary, make_tutor


def make_consent():
	tutor = make_tutor()
	notice = get_current_notice("Tutor availability")
	return frappe.get_doc("Consent Record", record_consent("Tutor", tutor.name, notice.name, "Paper"))


def test_a_consent_records_the_notice_version_and_the_person():
	tutor = make_tutor(tutor_name="Consenting Tutor")
	notice = get_current_notice("Tutor availability")
	consent = frappe.get_doc("Consent Record", record_consent("Tutor", tutor.name, notice.name, "Interview"))
	assert (consent.party_name, consent.notice_version, consent.purpose, consent.method) == (
		"Consenting Tutor",
		notice.version,
		"Tutor availability",
		"Interview",
	)


def test_a_person_consents_to_a_notice_of_their_own_kind():
	beneficiary = make_beneficiary()
	with pytest.raises(frappe.ValidationError):
		record_consent(
			"Beneficiary", beneficiary.name, get_current_notice("Tutor availability").name, "Paper"
		)


def test_withdrawal_is_recorded_once_and_the_consent_kept():
	consent = make_consent()
	consent.withdraw("asked by phone")
	consent.reload()
	assert consent.withdrawn_on and consent.withdrawal_note == "asked by phone"
	with pytest.raises(frappe.ValidationError):
		consent.withdraw()


def test_withdrawing_needs_write_permission():
	consent = make_consent()
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			consent.withdraw()
	finally:
		frappe.set_user("Administrator")


def test_deleting_the_person_deletes_their_consents():
	tutor = make_tutor()
	record_consent("Tutor", tutor.name, get_current_notice("Tutor availability").name, "Paper")
	frappe.delete_doc("Tutor", tutor.name)
	assert not frappe.db.exists("Consent Record", {"party": tutor.name})
