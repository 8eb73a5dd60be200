# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from ciac_tutoring.third_sector import register_extract
from ciac_tutoring.validation import throw_field_errors


class VolunteerRegisterExtract(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		entries_count: DF.Int
		first_entry: DF.Int
		generated_on: DF.Datetime | None
		last_entry: DF.Int
		pdf_file: DF.Attach | None
		period_from: DF.Date | None
		period_to: DF.Date
		register_intact: DF.Check
		sha256: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if not self.is_new():
			# What was signed must stay what the record describes.
			frappe.throw(
				_("A register extract cannot be changed: make a new one."), title=_("Extract produced")
			)
		errors = {}
		if self.period_from and self.period_to and getdate(self.period_from) > getdate(self.period_to):
			errors["period_from"] = _("Period From cannot be after Period To.")
		throw_field_errors(errors, title=_("Check the extract"))
		register_extract.fill_range(self)

	def after_insert(self):
		register_extract.produce_pdf(self)
