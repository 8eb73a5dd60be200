# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class DataErasureLog(Document):
	"""Written only by ciac_tutoring.privacy.retention (in bulk): no rules of its own."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		erased_on: DF.Datetime | None
		performed_by: DF.Link | None
		reason: DF.Literal["Retention period", "Erasure request"]
		records_changed: DF.Int
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
	# end: auto-generated types
	pass
