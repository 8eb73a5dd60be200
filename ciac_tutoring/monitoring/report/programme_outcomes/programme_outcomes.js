// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Programme Outcomes"] = {
	filters: [
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: [
				{ value: "Per Period", label: __("Per Period") },
				{ value: "Closure Reasons", label: __("Closure Reasons") },
				{ value: "Duration", label: __("Duration") },
				{ value: "Goals", label: __("Goals") },
				{ value: "Goals at Closure", label: __("Goals at Closure") },
			],
			default: "Per Period",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "periodicity",
			label: __("Periodicity"),
			fieldtype: "Select",
			options: [
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Quarterly", label: __("Quarterly") },
				{ value: "Yearly", label: __("Yearly") },
			],
			default: "Monthly",
			depends_on: "eval:doc.view == 'Per Period'",
		},
		{
			fieldname: "status",
			label: __("Pairing Status"),
			fieldtype: "Select",
			options: ["", "Active", "Suspended", "Closed"],
			depends_on: "eval:doc.view == 'Goals'",
		},
		{
			fieldname: "coordinator",
			label: __("Coordinator"),
			fieldtype: "Link",
			options: "User",
		},
		{
			fieldname: "municipality",
			label: __("Municipality"),
			fieldtype: "Data",
		},
	],

	onload(report) {
		// Frappe sets a Date filter's default through its datepicker, whose change event runs the
		// report a second time as it opens; the filters as they open are no change.
		report.previous_filters = report.get_filter_values();
	},

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (!data) return value;
		if (column.fieldname === "average_progress" && data.average_progress) {
			const colour = data.average_progress >= 3.5 ? "green" : data.average_progress >= 2.5 ? "orange" : "red";
			return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		if (column.fieldname === "closed" && data.closed > 0) {
			return `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
