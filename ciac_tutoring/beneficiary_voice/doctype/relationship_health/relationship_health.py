# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RelationshipHealth(Document):
	"""Written only by the questionnaire's server code (ciac_tutoring/beneficiary_voice/health.py:
	the tutor's portal and the beneficiary's check-in page); CIAC staff read it."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.beneficiary_voice.doctype.relationship_health_answer.relationship_health_answer import (
			RelationshipHealthAnswer,
		)

		alert_reason: DF.Literal["", "Sharp drop", "The two sides diverge"]
		answers: DF.Table[RelationshipHealthAnswer]
		beneficiary: DF.Link | None
		coordinator_alerted_on: DF.Datetime | None
		language: DF.Link | None
		pairing: DF.Link
		period: DF.Date
		score: DF.Float
		side: DF.Literal["Tutor", "Beneficiary"]
		submitted_on: DF.Datetime | None
		times_submitted: DF.Int
	# end: auto-generated types

	pass
