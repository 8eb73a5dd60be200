// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Training Attendance"] = {
	filters: [
		{
			fieldname: "view",
			label: __("View"),
			fieldtype: "Select",
			options: [
				{ value: "Sessions", label: __("Sessions") },
				{ value: "Tutors", label: __("Tutors") },
			],
			default: "Sessions",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "topic",
			label: __("Topic"),
			fieldtype: "Link",
			options: "Training Topic",
		},
		{
			fieldname: "status",
			label: __("Session Status"),
			fieldtype: "Select",
			options: ["", "Planned", "Held", "Cancelled"],
			depends_on: "eval:doc.view == 'Sessions'",
		},
		{
			fieldname: "municipality",
			label: __("Municipality"),
			fieldtype: "Data",
			depends_on: "eval:doc.view == 'Tutors'",
		},
		{
			fieldname: "phase",
			label: __("Phase"),
			fieldtype: "Link",
			options: "Workflow State",
			depends_on: "eval:doc.view == 'Tutors'",
		},
		{
			fieldname: "below_minimum",
			label: __("Only Below the Minimum Hours"),
			fieldtype: "Check",
			depends_on: "eval:doc.view == 'Tutors'",
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
		if (column.fieldname === "status") {
			const colour = { Planned: "blue", Held: "green", Cancelled: "gray" }[data.status];
			if (colour) return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		if (column.fieldname === "minimum_reached") {
			return `<span class="indicator-pill ${data.reached ? "green" : "red"}">${value}</span>`;
		}
		if (column.fieldname === "absent" && data.absent > 0) {
			return `<span style="color: var(--red-600)">${value}</span>`;
		}
		return value;
	},
};
