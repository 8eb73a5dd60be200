"""Indexes the Tutoring reports need at programme scale (see docs/benchmarks.md).

Run on install and after every migrate (install.py); `add_index` skips an index that exists.
"""

import frappe

REPORT_INDEXES: dict[str, list[list[str]]] = {
	# Contact Activity counts contacts per month over a date range without reading the table.
	"Contact Log": [["contact_date", "kind", "initiated_by", "pairing", "tutor"]],
	# Contact Activity by support area: unfiltered, counts the areas per day from the rows' own
	# copy of the contact date; filtered on pairings, reads each contact's areas from the first.
	"Support Area Item": [
		["parent", "parenttype", "support_area"],
		["parenttype", "contact_date", "support_area"],
	],
}


def add_report_indexes() -> None:
	for doctype, indexes in REPORT_INDEXES.items():
		if not frappe.db.table_exists(doctype):
			continue
		for fields in indexes:
			frappe.db.add_index(doctype, fields)
