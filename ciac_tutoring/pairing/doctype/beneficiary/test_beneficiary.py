# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, add_years, today

from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import DuplicateBeneficiaryError
from ciac_tutoring.tests.factory import make_beneficiary


def test_full_name_status_and_consent_date_are_derived():
	beneficiary = make_beneficiary(first_name=" Amina ", last_name="Diallo", status="Closed")
	assert beneficiary.full_name == "Amina Diallo"
	assert beneficiary.status == "Waiting"
	assert str(beneficiary.consent_date) == today()
	assert beneficiary.name.startswith("BEN-")


def test_duplicate_name_and_birth_date_is_refused_naming_the_existing_record():
	first = make_beneficiary(first_name="Amina", last_name="Diallo", date_of_birth="1990-01-01")
	with pytest.raises(DuplicateBeneficiaryError, match=first.name):
		make_beneficiary(first_name="amina", last_name="DIALLO", date_of_birth="1990-01-01")
	assert make_beneficiary(first_name="Amina", last_name="Diallo", date_of_birth="1991-01-01")


def test_consent_is_required():
	with pytest.raises(frappe.ValidationError, match="consent is required"):
		make_beneficiary(consent=0)


def test_birth_date_must_be_plausible():
	with pytest.raises(frappe.ValidationError, match="future"):
		make_beneficiary(date_of_birth=add_days(today(), 1))
	with pytest.raises(frappe.ValidationError, match="not plausible"):
		make_beneficiary(date_of_birth="1890-01-01")


def test_permit_expiry_must_be_plausible():
	with pytest.raises(frappe.ValidationError, match="not plausible"):
		make_beneficiary(date_of_birth="1995-01-01", residence_permit_expiry="1994-01-01")
	with pytest.raises(frappe.ValidationError, match="not plausible"):
		make_beneficiary(residence_permit_expiry=add_years(today(), 50))
	# an expired permit is a fact to track, not an error
	assert make_beneficiary(residence_permit_expiry=add_days(today(), -10))


def test_status_follows_pairings_and_cannot_be_typed():
	from ciac_tutoring.pairing.doctype.pairing.test_pairing import close
	from ciac_tutoring.tests.factory import make_pairing

	beneficiary = make_beneficiary()
	pairing = make_pairing(beneficiary=beneficiary.name, status="Proposed")
	assert frappe.db.get_value("Beneficiary", beneficiary.name, "status") == "Waiting"
	pairing.status = "Active"
	pairing.save()
	assert frappe.db.get_value("Beneficiary", beneficiary.name, "status") == "Paired"
	beneficiary.reload()
	beneficiary.status = "Waiting"
	beneficiary.save()
	assert beneficiary.status == "Paired"
	close(pairing)
	assert frappe.db.get_value("Beneficiary", beneficiary.name, "status") == "Closed"


def test_closing_a_proposal_that_never_started_puts_the_beneficiary_back_waiting():
	from ciac_tutoring.pairing.doctype.pairing.test_pairing import close
	from ciac_tutoring.tests.factory import make_pairing

	beneficiary = make_beneficiary()
	close(make_pairing(beneficiary=beneficiary.name, status="Proposed"))
	assert frappe.db.get_value("Beneficiary", beneficiary.name, "status") == "Waiting"
