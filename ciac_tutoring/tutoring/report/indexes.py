"""Indexes the Tutoring reports need at programme scale (see docs/benchmarks.md).

Run on install and after every migrate (install.py); `add_index` skips an index that exists.
"""

import frappe

REPORT_INDEXES: dict[str, list[list[str]]] = {
	# Contact Activity counts contacts per month over a date range without reading the table.
	"Contact Log": [["contact_date", "kind", "initiated_by", "pairing", "tutor"]],
}


def add_report_indexes() -> None:
	for doctype, indexes in REPORT_INDEXES.items():
		if not frappe.db.table_exists(doctype):
			continue
		for fields in indexes:
			frappe.db.add_index(doctype, fields)
