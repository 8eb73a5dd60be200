# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class BeneficiaryCheckin(Document):
	"""Written only by the check-in page's server code (ciac_tutoring/beneficiary_voice/answers.py);
	staff read it and tick Reviewed."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		alert_reason: DF.Literal["", "Wants to talk to CIAC", "Sad twice in a row"]
		beneficiary: DF.Link
		channel: DF.Literal["SMS", "Email"]
		confirmed_contacts: DF.Int
		coordinator_alerted_on: DF.Datetime | None
		disagreement: DF.Literal["", "Meeting not confirmed", "No contact reported"]
		heard_from_tutor: DF.Literal["", "Yes", "No"]
		language: DF.Link | None
		link_sent_on: DF.Datetime | None
		met_this_month: DF.Literal["", "Yes", "No"]
		message_to_ciac: DF.SmallText | None
		mood: DF.Literal["", "Good", "So-so", "Sad"]
		pairing: DF.Link
		period: DF.Date
		reviewed: DF.Check
		sent_by: DF.Data | None
		submitted_on: DF.Datetime | None
		suggestion: DF.SmallText | None
		times_submitted: DF.Int
		wants_to_talk: DF.Check
	# end: auto-generated types

	pass


def on_doctype_update():
	# Covers the reports' counts per pairing (sent, answered, first sent: reporting.voice_by_pairing).
	frappe.db.add_index("Beneficiary Check-in", ["pairing", "period", "submitted_on", "link_sent_on"])
	# The worklist: disagreements not yet reviewed, a handful among thousands of check-ins.
	frappe.db.add_index("Beneficiary Check-in", ["reviewed", "pairing", "period", "disagreement"])
