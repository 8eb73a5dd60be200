"""Contact Activity runs as a Prepared Report (too slow to compute on demand at programme scale,
docs/benchmarks.md). Frappe keeps a site's own `prepared_report` value when it syncs a standard
report, so sites installed before the change are switched once, here; an admin may switch it back."""

import frappe


def execute():
	frappe.db.set_value("Report", "Contact Activity", "prepared_report", 1, update_modified=False)
