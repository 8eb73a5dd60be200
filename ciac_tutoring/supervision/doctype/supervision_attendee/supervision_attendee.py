# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupervisionAttendee(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		invited_on: DF.Datetime | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		present: DF.Check
		registered: DF.Check
		registered_on: DF.Datetime | None
		tutor: DF.Link
		tutor_name: DF.Data | None
	# end: auto-generated types

	pass
