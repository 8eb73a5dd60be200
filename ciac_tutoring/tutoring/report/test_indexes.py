import frappe

from ciac_tutoring.tutoring.report.indexes import SUPERSEDED_INDEXES, add_report_indexes


def test_superseded_report_indexes_are_dropped():
	# A prefix of a covering index that MariaDB would still pick, then reading the table's rows.
	add_report_indexes()
	for doctype, index_names in SUPERSEDED_INDEXES.items():
		for index_name in index_names:
			assert not frappe.db.has_index(f"tab{doctype}", index_name), index_name
