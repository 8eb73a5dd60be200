# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from ciac_tutoring.third_sector import register
from ciac_tutoring.validation import throw_field_errors

# Codice fiscale of a person (16 characters) or the temporary one (11 digits).
TAX_CODE = re.compile(r"^([A-Z0-9]{16}|[0-9]{11})$")


class RegisterEntryImmutableError(frappe.ValidationError):
	"""A saved entry of the register is changed or deleted: only a correcting entry may follow it."""


class VolunteerRegisterEntry(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		corrects_entry: DF.Link | None
		date_of_birth: DF.Date | None
		end_date: DF.Date | None
		entry_hash: DF.Data | None
		entry_number: DF.Int
		entry_type: DF.Literal["Enrolment", "Striking Off", "Correction"]
		full_name: DF.Data
		previous_hash: DF.Data | None
		reason: DF.SmallText | None
		recorded_by: DF.Link | None
		recorded_on: DF.Datetime | None
		start_date: DF.Date
		tax_code: DF.Data | None
		tutor: DF.Link
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			refuse_change(
				_("Entry {0} of the volunteers' register cannot be changed.").format(self.entry_number)
			)
		if self.tax_code:
			self.tax_code = self.tax_code.strip().upper().replace(" ", "")
		throw_field_errors(self.field_errors(), title=_("Check the register entry"))

	def field_errors(self) -> dict[str, str]:
		errors = {}
		if self.tax_code and not TAX_CODE.match(self.tax_code):
			errors["tax_code"] = _("Tax Code: enter the 16 characters of the codice fiscale.")
		if self.date_of_birth and getdate(self.date_of_birth) > getdate(today()):
			errors["date_of_birth"] = _("Date of Birth cannot be in the future.")
		if self.end_date and self.start_date and getdate(self.end_date) < getdate(self.start_date):
			errors["end_date"] = _("End Date cannot be before the Start Date.")
		if self.entry_type == register.STRIKING_OFF and not self.end_date:
			errors["end_date"] = _("End Date: a striking off needs the date the volunteer left.")
		if self.entry_type == register.CORRECTION:
			errors.update(self.correction_errors())
		elif self.corrects_entry:
			errors["corrects_entry"] = _("Corrects Entry: only a Correction corrects an entry.")
		if self.entry_type == register.ENROLMENT and self.tutor and register.is_enrolled(self.tutor):
			errors["tutor"] = _("Tutor: {0} is already in the register; enter a Correction instead.").format(
				self.tutor
			)
		if self.entry_type == register.STRIKING_OFF and self.tutor and not register.is_enrolled(self.tutor):
			errors["tutor"] = _("Tutor: {0} is not in the register, or already struck off.").format(
				self.tutor
			)
		return errors

	def correction_errors(self) -> dict[str, str]:
		errors = {}
		if not self.corrects_entry:
			errors["corrects_entry"] = _("Corrects Entry: name the entry this one corrects.")
		elif frappe.db.get_value(register.ENTRY, self.corrects_entry, "tutor") != self.tutor:
			errors["corrects_entry"] = _("Corrects Entry: the entry corrected must be of the same tutor.")
		if not (self.reason or "").strip():
			errors["reason"] = _("Reason: say what this entry corrects and why.")
		return errors

	def db_insert(self, *args, **kwargs):
		# The number, the date and the hash chain last of all, once Frappe's own clean-up of the values
		# (which runs after the controller's hooks) is done: the hash covers what is stored.
		register.chain_entry(self)
		return super().db_insert(*args, **kwargs)

	def on_trash(self):
		refuse_change(_("Entry {0} of the volunteers' register cannot be deleted.").format(self.entry_number))

	def before_rename(self, old, new, merge=False):
		refuse_change(_("Entries of the volunteers' register cannot be renamed."))


def refuse_change(message: str) -> None:
	frappe.throw(
		message + " " + _("Add a Correction entry instead."),
		exc=RegisterEntryImmutableError,
		title=_("The register is append-only"),
	)
