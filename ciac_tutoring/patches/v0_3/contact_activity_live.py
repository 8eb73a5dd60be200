"""Contact Activity answers live from its rollup (Contact Month) and stops being a Prepared
Report. Frappe keeps a site's own `prepared_report` value when it syncs a standard report, so
existing sites are switched here, and the rollup is counted once from the contacts they hold."""

import frappe

from ciac_tutoring.monitoring.doctype.contact_month.contact_month import rebuild


def execute():
	frappe.db.set_value("Report", "Contact Activity", "prepared_report", 0, update_modified=False)
	rebuild()
