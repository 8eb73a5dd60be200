// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Permit Expiry"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Expiring From"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("Expiring To"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), 60),
			reqd: 1,
		},
		{
			fieldname: "status",
			label: __("Beneficiary Status"),
			fieldtype: "Select",
			options: ["", "Waiting", "Paired", "Closed"],
			description: __("Empty: Waiting and Paired"),
		},
		{
			fieldname: "municipality",
			label: __("Municipality"),
			fieldtype: "Data",
		},
		{
			fieldname: "reception_project",
			label: __("Reception Project"),
			fieldtype: "Link",
			options: "Reception Project",
		},
		{
			fieldname: "coordinator",
			label: __("Coordinator"),
			fieldtype: "Link",
			options: "User",
		},
	],

	onload(report) {
		// Frappe sets a Date filter's default through its datepicker, whose change event runs the
		// report a second time as it opens; the filters as they open are no change.
		report.previous_filters = report.get_filter_values();
	},

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data || !["days_left", "residence_permit_expiry"].includes(column.fieldname)) return value;
		const colour = data.days_left < 0 ? "red" : data.days_left <= 30 ? "orange" : "yellow";
		return `<span class="indicator-pill ${colour}">${value}</span>`;
	},
};
