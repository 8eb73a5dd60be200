"""Helpers shared by the Tutoring reports: the activation phases in report order, Select options as
the DocType (and an admin's Customize Form) has them, and the MariaDB functions pypika has no class
for."""

import frappe
from frappe.query_builder import CustomFunction

from ciac_tutoring.activation.workflow_gates import NOT_SUITABLE, PHASES, SIDE_STATES, WITHDRAWN

# The six numbered phases, then the side states.
ALL_PHASES = (*PHASES, *SIDE_STATES)
DROP_OUT_PHASES = (WITHDRAWN, NOT_SUITABLE)

DateDiff = CustomFunction("DATEDIFF", ["end", "start"])
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])


def select_options(doctype: str, fieldname: str) -> list[str]:
	"""The non-empty options of a Select field, in order."""
	return [
		option for option in (frappe.get_meta(doctype).get_options(fieldname) or "").split("\n") if option
	]
