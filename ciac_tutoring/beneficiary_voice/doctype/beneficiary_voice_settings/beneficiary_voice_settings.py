# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.validation import throw_field_errors

HEALTH_FIELDS = ("health_every_months", "health_drop_points", "health_divergence_points")


class BeneficiaryVoiceSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.beneficiary_voice.doctype.relationship_health_question.relationship_health_question import (
			RelationshipHealthQuestion,
		)

		check_in_every_days: DF.Int
		ciac_email: DF.Data | None
		ciac_phone: DF.Data | None
		enabled: DF.Check
		health_divergence_points: DF.Int
		health_drop_points: DF.Int
		health_every_months: DF.Int
		health_questions: DF.Table[RelationshipHealthQuestion]
		no_contact_check_ins: DF.Int
	# end: auto-generated types

	def validate(self):
		errors = {}
		if self.check_in_every_days < 7:
			errors["check_in_every_days"] = _("A check-in period lasts at least 7 days.")
		if self.no_contact_check_ins < 1:
			errors["no_contact_check_ins"] = _("At least one check-in.")
		# Fields added after a site stored its settings read 0 until saved: their defaults, then.
		for field in HEALTH_FIELDS:
			if not self.get(field):
				self.set(field, frappe.utils.cint(self.meta.get_field(field).default))
		for field in ("health_drop_points", "health_divergence_points"):
			if not 1 <= self.get(field) <= 100:
				errors[field] = _("Between 1 and 100 points.")
		asked = {row.side for row in self.health_questions if (row.question or "").strip()}
		if self.health_questions and asked != {"Tutor", "Beneficiary"}:
			errors["health_questions"] = _("Ask at least one question to each side.")
		throw_field_errors(errors, title=_("Check the settings"))


def get_voice_settings() -> frappe._dict:
	"""The settings typed by their fields, an unset value replaced by the field's default."""
	return get_settings("Beneficiary Voice Settings")
