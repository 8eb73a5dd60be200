# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class TrainingAttendance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attendance: DF.Literal["Registered", "Attended", "Absent", "Excused"]
		hours: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		registered_on: DF.Date | None
		tutor: DF.Link
		tutor_name: DF.Data | None
	# end: auto-generated types
	pass
