# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TutorPhaseHistory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		changed_by: DF.Link | None
		changed_on: DF.Datetime | None
		days_in_previous_phase: DF.Int
		from_phase: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		to_phase: DF.Data | None
	# end: auto-generated types
	pass
