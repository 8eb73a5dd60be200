"""The workspace's pairings by status. A source of its own rather than Frappe's Group By chart,
whose legend shows the stored English statuses ("Active", "Closed") to Italian staff."""

import frappe
from frappe import _


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
) -> dict:
	"""Frappe calls a chart source with these arguments; the chart takes none of them."""
	frappe.has_permission("Pairing", "read", throw=True)
	# get_list: the user's own permissions apply, as on the Pairing list
	rows = frappe.get_list(
		"Pairing",
		fields=["status", "count(name) as count"],
		group_by="status",
		order_by="count desc",
	)
	return {
		"labels": [_(row.status) for row in rows],
		"datasets": [{"name": _("Pairings"), "values": [row.count for row in rows]}],
	}
