# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document
from frappe.utils import validate_email_address


class TutoringSettings(Document):
	def validate(self):
		self.validate_coordinator_email()

	def validate_coordinator_email(self):
		if self.coordinator_email:
			validate_email_address(self.coordinator_email, throw=True)


def get_settings() -> Document:
	"""The programme's settings (cached; Frappe clears the cache when they are saved)."""
	return frappe.get_cached_doc("Tutoring Settings")
