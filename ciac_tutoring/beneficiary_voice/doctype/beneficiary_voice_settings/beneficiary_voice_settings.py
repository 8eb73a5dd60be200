# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.validation import throw_field_errors


class BeneficiaryVoiceSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		check_in_every_days: DF.Int
		ciac_email: DF.Data | None
		ciac_phone: DF.Data | None
		enabled: DF.Check
		no_contact_check_ins: DF.Int
	# end: auto-generated types

	def validate(self):
		errors = {}
		if self.check_in_every_days < 7:
			errors["check_in_every_days"] = _("A check-in period lasts at least 7 days.")
		if self.no_contact_check_ins < 1:
			errors["no_contact_check_ins"] = _("At least one check-in.")
		throw_field_errors(errors, title=_("Check the settings"))


def get_voice_settings() -> frappe._dict:
	"""The settings typed by their fields, an unset value replaced by the field's default."""
	return get_settings("Beneficiary Voice Settings")
