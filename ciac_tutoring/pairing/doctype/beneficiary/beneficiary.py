# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Criterion
from frappe.query_builder.functions import IfNull
from frappe.utils import (
	add_days,
	add_years,
	get_link_to_form,
	getdate,
	today,
	validate_email_address,
	validate_phone_number,
)

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import (
	ACTIVE,
	CLOSED,
	PAIRED,
	PROPOSED,
	SUSPENDED,
	WAITING,
)
from ciac_tutoring.validation import CheckedInput

OLDEST_PLAUSIBLE_AGE = 110
# A residence permit lasts at most a few years; a later expiry is a typing error.
LONGEST_PLAUSIBLE_PERMIT_YEARS = 20


class DuplicateBeneficiaryError(frappe.ValidationError):
	pass


class Beneficiary(CheckedInput, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.tutoring.doctype.spoken_language.spoken_language import SpokenLanguage
		from ciac_tutoring.tutoring.doctype.support_area_item.support_area_item import SupportAreaItem

		anonymised_on: DF.Datetime | None
		check_in_messages: DF.Check
		consent: DF.Check
		consent_date: DF.Date | None
		date_of_birth: DF.Date
		email: DF.Data | None
		first_name: DF.Data
		full_name: DF.Data | None
		gender: DF.Literal["", "Female", "Male", "Non-binary", "Prefer not to say"]
		health_notes: DF.SmallText | None
		interests: DF.SmallText | None
		italian_level: DF.Literal["", "A0", "A1", "A2", "B1", "B2", "C1", "C2"]
		last_name: DF.Data
		mobile: DF.Data | None
		mother_tongue: DF.Link | None
		municipality: DF.Data | None
		nationality: DF.Link | None
		needs: DF.TableMultiSelect[SupportAreaItem]
		other_languages: DF.Table[SpokenLanguage]
		preferred_language: DF.Link | None
		preferred_tutor_gender: DF.Literal["", "Female", "Male"]
		preferred_tutor_type: DF.Literal["", "Individual", "Family"]
		protection_status: DF.Literal[
			"", "Refugee", "Subsidiary protection", "Special protection", "Applicant", "Other"
		]
		reception_project: DF.Link | None
		referring_operator: DF.Link | None
		residence_permit_expiry: DF.Date | None
		share_contact_with_tutor: DF.Check
		status: DF.Literal["Waiting", "Paired", "Closed"]

	# end: auto-generated types
	def before_validate(self):
		self.set_full_name()
		self.set_status()
		self.set_consent_date()

	def validate(self):
		self.validate_consent()
		self.validate_date_of_birth()
		self.validate_residence_permit_expiry()
		self.validate_contacts()
		self.validate_duplicate()

	def set_full_name(self):
		self.full_name = " ".join(part.strip() for part in (self.first_name, self.last_name) if part)

	def set_status(self):
		"""Status is never typed: it follows the pairings."""
		self.status = get_status_from_pairings(self.name) if not self.is_new() else "Waiting"

	def set_consent_date(self):
		if self.consent and not self.consent_date:
			self.consent_date = today()

	def validate_consent(self):
		if not self.consent:
			frappe.throw(_("The beneficiary's consent is required"), title=_("Missing Consent"))
		if getdate(self.consent_date) > getdate(today()):
			frappe.throw(_("The consent date cannot be in the future"))

	def validate_date_of_birth(self):
		born = getdate(self.date_of_birth)
		if born > getdate(today()):
			frappe.throw(_("The date of birth cannot be in the future"))
		if born < getdate(add_years(today(), -OLDEST_PLAUSIBLE_AGE)):
			frappe.throw(_("The date of birth {0} is not plausible").format(frappe.format(born, "Date")))

	def validate_residence_permit_expiry(self):
		if not self.residence_permit_expiry:
			return
		expiry = getdate(self.residence_permit_expiry)
		latest = getdate(add_years(today(), LONGEST_PLAUSIBLE_PERMIT_YEARS))
		if expiry <= getdate(self.date_of_birth) or expiry > latest:
			frappe.throw(
				_("The residence permit expiry {0} is not plausible").format(frappe.format(expiry, "Date"))
			)

	def validate_contacts(self):
		if self.email:
			validate_email_address(self.email.strip(), throw=True)
		if self.mobile and not validate_phone_number(self.mobile):
			frappe.throw(_("{0} is not a valid mobile number").format(frappe.bold(self.mobile)))

	def validate_duplicate(self):
		existing = frappe.db.get_value(
			"Beneficiary",
			{"full_name": self.full_name, "date_of_birth": self.date_of_birth, "name": ("!=", self.name)},
		)
		if existing:
			frappe.throw(
				_("A beneficiary named {0} born on {1} already exists: {2}").format(
					frappe.bold(self.full_name),
					frappe.format(getdate(self.date_of_birth), "Date"),
					get_link_to_form("Beneficiary", existing),
				),
				exc=DuplicateBeneficiaryError,
				title=_("Duplicate Beneficiary"),
			)


def get_status_from_pairings(beneficiary: str) -> str:
	"""Paired while a pairing is Active or Suspended; Closed once a started pairing was closed
	and nothing is open; otherwise (no pairing, only proposals) Waiting."""
	pairing = frappe.qb.DocType("Pairing")
	rows = (
		frappe.qb.from_(pairing)
		.select(pairing.status, pairing.start_date)
		.where(pairing.beneficiary == beneficiary)
		.run(as_dict=True)
	)
	statuses = {row.status for row in rows}
	if statuses & {ACTIVE, SUSPENDED}:
		return PAIRED
	if PROPOSED not in statuses and any(row.status == CLOSED and row.start_date for row in rows):
		return CLOSED
	return WAITING


def update_status(beneficiary: str) -> None:
	status = get_status_from_pairings(beneficiary)
	if frappe.db.get_value("Beneficiary", beneficiary, "status") != status:
		frappe.db.set_value("Beneficiary", beneficiary, "status", status)


# --- "Permit expiring": the weekly digest and the Permit Expiry report ---------------------------


def permit_window(from_date=None, window_days: int | None = None) -> tuple:
	"""The days a residence permit is watched: from today (or `from_date`) for Tutoring Settings'
	Permit Expiry Window."""
	from_date = getdate(from_date or today())
	if window_days is None:
		window_days = get_settings().permit_expiry_window_days
	return from_date, getdate(add_days(from_date, window_days))


def expiring_permit(beneficiary, from_date, to_date, status: str | None = None) -> Criterion:
	"""A permit CIAC watches: it expires between the dates and the beneficiary's case is not Closed
	(a status not derived yet counts as open: better one warning too many than a permit missed).
	`status`: the beneficiaries of that one status instead (the report's filter, Closed too)."""
	case = beneficiary.status == status if status else IfNull(beneficiary.status, "") != CLOSED
	return (
		case
		& (beneficiary.residence_permit_expiry >= getdate(from_date))
		& (beneficiary.residence_permit_expiry <= getdate(to_date))
	)


def expiring_permits(from_date, to_date) -> list[dict]:
	"""The beneficiaries whose permit is expiring (name, full name, expiry), soonest first."""
	beneficiary = frappe.qb.DocType("Beneficiary")
	return (
		frappe.qb.from_(beneficiary)
		.select(beneficiary.name, beneficiary.full_name, beneficiary.residence_permit_expiry)
		.where(expiring_permit(beneficiary, from_date, to_date))
		.orderby(beneficiary.residence_permit_expiry)
		.run(as_dict=True)
	)
