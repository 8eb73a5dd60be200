# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ReceptionProject(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		enabled: DF.Check
		municipality: DF.Data | None
		project_name: DF.Data
	# end: auto-generated types
	pass
