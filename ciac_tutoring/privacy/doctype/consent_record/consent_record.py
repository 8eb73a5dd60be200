# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

# Which notice a person of each type consents to.
PURPOSE_OF = {"Tutor": "Tutor availability", "Beneficiary": "Beneficiary intake"}
TITLE_FIELD_OF = {"Tutor": "tutor_name", "Beneficiary": "full_name"}


class ConsentRecord(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		given_on: DF.Datetime
		language: DF.Link | None
		method: DF.Literal["Web form", "Paper", "Interview"]
		notice_version: DF.Int
		party: DF.DynamicLink
		party_name: DF.Data | None
		party_type: DF.Literal["Tutor", "Beneficiary"]
		privacy_notice: DF.Link
		purpose: DF.Data | None
		withdrawal_note: DF.SmallText | None
		withdrawn_on: DF.Datetime | None

	# end: auto-generated types
	def before_validate(self):
		self.party_name = frappe.db.get_value(
			self.party_type, self.party, TITLE_FIELD_OF.get(self.party_type)
		)

	def validate(self):
		self.validate_notice_purpose()
		self.validate_given_on()

	def validate_notice_purpose(self):
		purpose = frappe.db.get_value("Privacy Notice", self.privacy_notice, "purpose")
		if purpose != PURPOSE_OF.get(self.party_type):
			frappe.throw(
				_("A {0} consents to a privacy notice for {1}.").format(
					_(self.party_type), _(PURPOSE_OF.get(self.party_type, ""))
				)
			)

	def validate_given_on(self):
		if self.given_on and frappe.utils.get_datetime(self.given_on) > now_datetime():
			frappe.throw(_("Consent cannot be given in the future."))

	@frappe.whitelist()
	def withdraw(self, note: str | None = None) -> None:
		"""Record the withdrawal; the consent stays as proof of what was agreed until then."""
		self.check_permission("write")
		if self.withdrawn_on:
			frappe.throw(_("This consent was already withdrawn."))
		self.withdrawn_on = now_datetime()
		self.withdrawal_note = (note or "").strip() or None
		self.save()


def record_consent(
	party_type: str, party: str, privacy_notice: str, method: str, language: str | None = None
) -> str:
	"""Insert a consent (the public form calls it for guests, whose checks are the permission)."""
	doc = frappe.get_doc(
		{
			"doctype": "Consent Record",
			"party_type": party_type,
			"party": party,
			"privacy_notice": privacy_notice,
			"method": method,
			"language": language if language and frappe.db.exists("Language", language) else None,
			"given_on": now_datetime(),
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def delete_consents(party, method: str | None = None) -> None:
	"""A person's consents go with their record (deleting it is a manager's decision): on_trash of
	Tutor and Beneficiary, through hooks.py `doc_events` (their controllers import no privacy code)."""
	frappe.db.delete("Consent Record", {"party_type": party.doctype, "party": party.name})
