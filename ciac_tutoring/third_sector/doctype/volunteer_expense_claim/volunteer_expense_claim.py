# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from ciac_tutoring.third_sector import expenses
from ciac_tutoring.validation import throw_field_errors


class VolunteerExpenseClaim(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def validate(self):
		if self.documentation == expenses.RECEIPT:
			self.self_certified = 0
		throw_field_errors(expenses.claim_errors(self), title=_("Check the expense claim"))

	def before_submit(self):
		# Approved or rejected through the workflow: who decided, and when.
		self.reviewed_by = frappe.session.user
		self.reviewed_on = now_datetime()
