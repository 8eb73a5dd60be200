"""Indexes the Tutoring reports need at programme scale (see docs/benchmarks.md).

Run on install and after every migrate (install.py); `add_index` skips an index that exists.
"""

import frappe

REPORT_INDEXES: dict[str, list[list[str]]] = {
	# Contact Activity counts contacts per month over a date range without reading the table.
	"Contact Log": [["contact_date", "kind", "initiated_by", "pairing", "tutor"]],
	# Contact Activity by support area counts the areas per day from the rows' own copy of the
	# contact's date, pairing and tutor (the filters test the last two).
	"Support Area Item": [
		["parent", "parenttype", "support_area"],
		["parenttype", "contact_date", "support_area", "pairing", "tutor"],
	],
}

# Indexes the ones above replace: MariaDB would keep choosing them and read the table's rows.
SUPERSEDED_INDEXES: dict[str, list[str]] = {
	"Support Area Item": ["parenttype_contact_date_support_area_index"],
}


def add_report_indexes() -> None:
	for doctype, indexes in REPORT_INDEXES.items():
		if not frappe.db.table_exists(doctype):
			continue
		for fields in indexes:
			frappe.db.add_index(doctype, fields)
		for index_name in SUPERSEDED_INDEXES.get(doctype, []):
			if frappe.db.has_index(f"tab{doctype}", index_name):
				frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{index_name}`")
