# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ciac_tutoring.third_sector import expenses
from ciac_tutoring.validation import strip_markup, throw_field_errors


class VolunteerExpenseClaim(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amended_from: DF.Link | None
		amount: DF.Currency
		documentation: DF.Literal["Receipt", "Self-certification"]
		expense_date: DF.Date
		pairing: DF.Link | None
		purpose: DF.SmallText
		receipt: DF.Attach | None
		review_note: DF.SmallText | None
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
		self_certified: DF.Check
		tutor: DF.Link
		tutor_name: DF.Data | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def before_validate(self):
		strip_markup(self)  # the purpose is typed by the tutor (docs/permissions.md, "Free text")

	def validate(self):
		if self.documentation == expenses.RECEIPT:
			self.self_certified = 0
		throw_field_errors(expenses.claim_errors(self), title=_("Check the expense claim"))

	def before_submit(self):
		# Approved or rejected through the workflow: who decided, and when.
		self.reviewed_by = frappe.session.user
		self.reviewed_on = now_datetime()
