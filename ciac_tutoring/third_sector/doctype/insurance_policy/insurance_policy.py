# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from ciac_tutoring.validation import throw_field_errors


class InsurancePolicy(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.third_sector.doctype.insurance_policy_tutor.insurance_policy_tutor import (
			InsurancePolicyTutor,
		)

		covers_civil_liability: DF.Check
		covers_injury: DF.Check
		insurer: DF.Data
		policy_number: DF.Data
		tutors: DF.Table[InsurancePolicyTutor]
		valid_from: DF.Date
		valid_to: DF.Date
	# end: auto-generated types

	def validate(self):
		throw_field_errors(self.field_errors(), title=_("Check the policy"))

	def field_errors(self) -> dict[str, str]:
		errors = {}
		if self.valid_from and self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			errors["valid_to"] = _("Valid To cannot be before Valid From.")
		if not self.covers_injury and not self.covers_civil_liability:
			errors["covers_injury"] = _(
				"Say what the policy covers: injury and illness, civil liability or both."
			)
		seen = set()
		for row in self.tutors:
			if row.tutor in seen:
				errors["tutors"] = _("Tutors: {0} is listed twice.").format(row.tutor)
			seen.add(row.tutor)
		return errors
