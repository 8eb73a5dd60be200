# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Max
from frappe.utils import getdate, today

TEXT_FIELDS = ("text_it", "text_en")


class NoticeInUseError(frappe.ValidationError):
	pass


class PrivacyNotice(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		effective_from: DF.Date
		purpose: DF.Literal["Tutor availability", "Beneficiary intake"]
		text_en: DF.TextEditor | None
		text_it: DF.TextEditor
		version: DF.Int

	# end: auto-generated types
	def autoname(self):
		self.version = next_version(self.purpose)
		self.name = f"{self.purpose} v{self.version}"

	def validate(self):
		self.validate_text_unchanged_once_consented()

	def validate_text_unchanged_once_consented(self):
		"""A consent proves what the person read: the text they consented to never changes."""
		if self.is_new() or not any(self.has_value_changed(field) for field in TEXT_FIELDS):
			return
		if frappe.db.exists("Consent Record", {"privacy_notice": self.name}):
			frappe.throw(
				_("People have already consented to this text: publish a new version instead."),
				exc=NoticeInUseError,
			)

	def text_for(self, lang: str | None) -> str:
		return (self.text_en if lang == "en" and self.text_en else self.text_it) or ""


def next_version(purpose: str) -> int:
	notice = frappe.qb.DocType("Privacy Notice")
	latest = frappe.qb.from_(notice).select(Max(notice.version)).where(notice.purpose == purpose).run()[0][0]
	return (latest or 0) + 1


def get_current_notice(purpose: str) -> Document | None:
	"""The latest version of `purpose` already in effect today, or None."""
	name = frappe.db.get_value(
		"Privacy Notice",
		{"purpose": purpose, "effective_from": ("<=", getdate(today()))},
		"name",
		order_by="version desc",
	)
	return frappe.get_cached_doc("Privacy Notice", name) if name else None
