"""Helpers shared by the Tutoring reports: the activation phases in report order and the MariaDB
functions pypika has no class for. (Select options: ciac_tutoring.validation.select_options.)"""

from frappe.query_builder import CustomFunction

from ciac_tutoring.tutoring.vocabulary import NOT_SUITABLE, PHASES, SIDE_STATES, WITHDRAWN

# The six numbered phases, then the side states.
ALL_PHASES = (*PHASES, *SIDE_STATES)
DROP_OUT_PHASES = (WITHDRAWN, NOT_SUITABLE)

DateDiff = CustomFunction("DATEDIFF", ["end", "start"])
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])
