"""Support Area Item no longer carries copies of its Contact Log's date, pairing and tutor:
Contact Activity counts support areas by joining them to their contacts (a Prepared Report),
so drop the three columns the patches v0_1 support_area_items_contact_* filled in, and the
report indexes built on them (Frappe's model sync leaves removed columns in place)."""

import frappe

TABLE = "tabSupport Area Item"
COLUMNS = ("contact_date", "pairing", "tutor")
INDEXES = (
	"parent_parenttype_support_area_index",
	"parenttype_contact_date_support_area_index",
	"parenttype_contact_date_support_area_pairing_tutor_index",
)


def execute():
	drops = [f"DROP INDEX IF EXISTS `{index}`" for index in INDEXES]
	drops += [f"DROP COLUMN IF EXISTS `{column}`" for column in COLUMNS]
	frappe.db.sql_ddl(f"ALTER TABLE `{TABLE}` {', '.join(drops)}")
	frappe.cache.hdel("table_columns", TABLE)
