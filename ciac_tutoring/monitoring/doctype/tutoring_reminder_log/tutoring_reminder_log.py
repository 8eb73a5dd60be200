# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TutoringReminderLog(Document):
	"""Written only by ciac_tutoring.monitoring: a record that a reminder went out (its idempotence key)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		email_context: DF.Code | None
		email_queue: DF.Link | None
		email_status: DF.Literal["Pending", "Queued", "Skipped"]
		key: DF.Data
		message: DF.SmallText | None
		pairing: DF.Link | None
		period: DF.Data | None
		recipient: DF.Data | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		rule: DF.Literal[
			"Tutor reminder", "Pairing overdue", "Needs CIAC attention", "Weekly digest", "Training reminder"
		]
		sent_on: DF.Datetime | None
		subject: DF.Data | None
		tutor: DF.Link | None
	# end: auto-generated types
	pass
