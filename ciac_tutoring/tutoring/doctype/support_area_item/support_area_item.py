# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SupportAreaItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		support_area: DF.Link
	# end: auto-generated types
	pass


def on_doctype_update():
	# The table holds tutors' areas, beneficiaries' needs and every contact's areas (most of its
	# rows): the matching assistant reads one parent type's rows without walking the others.
	# With the area itself, Contact Activity's support-area view reads a contact's areas from
	# the index alone.
	frappe.db.add_index("Support Area Item", ["parenttype", "parentfield", "parent", "support_area"])
