# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document
from frappe.utils import validate_email_address


class TutoringSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		coordinator_email: DF.Data | None
		coordinator_role: DF.Link | None
		default_meetings_per_month: DF.Int
		default_phone_contacts_per_week: DF.Int
		default_project_months: DF.Int
		grace_days: DF.Int
		interview_waiting_days: DF.Int
		meeting_cadence_days: DF.Int
		minimum_training_hours: DF.Int
		monitoring_cadence_days: DF.Int
		notify_coordinator_overdue: DF.Check
		pairing_ending_window_days: DF.Int
		permit_expiry_window_days: DF.Int
		phone_contact_cadence_days: DF.Int
		remind_training_attendees: DF.Check
		remind_tutors: DF.Check
		send_weekly_digest: DF.Check

	# end: auto-generated types
	def validate(self):
		self.validate_coordinator_email()

	def validate_coordinator_email(self):
		if self.coordinator_email:
			validate_email_address(self.coordinator_email, throw=True)


def get_settings() -> Document:
	"""The programme's settings (cached; Frappe clears the cache when they are saved)."""
	return frappe.get_cached_doc("Tutoring Settings")
