# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportAreaItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_date: DF.Date | None
		pairing: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		support_area: DF.Link
		tutor: DF.Data | None
	# end: auto-generated types
	pass
