frappe.provide("frappe.dashboards.chart_sources");

// The workspace's donut of pairings by status, its legend in the user's language.
frappe.dashboards.chart_sources["Pairings by Status"] = {
	method: "ciac_tutoring.tutoring.dashboard_chart_source.pairings_by_status.pairings_by_status.get",
	filters: [],
};
