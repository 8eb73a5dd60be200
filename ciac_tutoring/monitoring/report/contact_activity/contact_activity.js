// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Contact Activity"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(frappe.datetime.add_months(frappe.datetime.get_today(), -5)),
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
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Kind", label: __("Kind") },
				{ value: "Initiated By", label: __("Initiated By") },
				{ value: "Support Area", label: __("Support Area") },
			],
			default: "Kind",
			reqd: 1,
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
		if (!data || !["weekly_share", "monthly_share"].includes(column.fieldname)) return value;
		const share = data[column.fieldname];
		if (share === null || share === undefined) return value;
		const colour = share >= 80 ? "green" : share >= 50 ? "orange" : "red";
		return `<span class="indicator-pill ${colour}">${value}</span>`;
	},
};
