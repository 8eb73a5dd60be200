"""Helpers shared by the Tutoring reports: the contract's names, settings with their defaults, and
the MariaDB functions pypika has no class for."""

import frappe
from frappe.query_builder import CustomFunction
from frappe.utils import flt

# Contact Log owns its kinds and which of them count for which commitment.
from ciac_tutoring.tutoring.doctype.contact_log.contact_log import (  # noqa: F401 (re-exported)
	CONTACT_KINDS,
	MEETING_KINDS,
	MONITORING_KINDS,
	PHONE_KINDS,
)

INITIATORS = ("Tutor", "Beneficiary", "CIAC")

PHASES = (
	"Availability Notified",
	"Interview",
	"Training",
	"Presentation",
	"Tutoring Started",
	"Monitoring",
	"Withdrawn",
	"Not Suitable",
	"Concluded",
)
DROP_OUT_PHASES = ("Withdrawn", "Not Suitable")

SETTINGS_DEFAULTS = {
	"phone_contact_cadence_days": 7,
	"meeting_cadence_days": 30,
	"grace_days": 2,
	"monitoring_cadence_days": 90,
	"minimum_training_hours": 8.0,
	"permit_expiry_window_days": 60,
}

DateDiff = CustomFunction("DATEDIFF", ["end", "start"])
Greatest = CustomFunction("GREATEST", ["a", "b"])
Weekday = CustomFunction("WEEKDAY", ["date"])
SubDays = CustomFunction("SUBDATE", ["date", "days"])
DateFormat = CustomFunction("DATE_FORMAT", ["date", "format"])
LastDay = CustomFunction("LAST_DAY", ["date"])


def get_settings() -> frappe._dict:
	"""Tutoring Settings, falling back to the contract's defaults for unset values."""
	values = {}
	if frappe.db.exists("DocType", "Tutoring Settings"):
		values = frappe.db.get_singles_dict("Tutoring Settings")
	return frappe._dict(
		{
			key: default if values.get(key) in (None, "") else type(default)(flt(values[key]))
			for key, default in SETTINGS_DEFAULTS.items()
		}
	)
