# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SpokenLanguage(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		language: DF.Link
		level: DF.Literal["Basic", "Intermediate", "Fluent", "Native"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass


def on_doctype_update():
	# Tutors' and beneficiaries' languages share the table: the matching assistant and the portal
	# read one parent type's rows.
	frappe.db.add_index("Spoken Language", ["parenttype", "parentfield", "parent"])
