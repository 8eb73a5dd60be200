// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Tutor Pipeline"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Phase Changes From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Phase Changes To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "municipality",
			label: __("Municipality"),
			fieldtype: "Data",
		},
		{
			fieldname: "tutor_type",
			label: __("Tutor Type"),
			fieldtype: "Select",
			options: ["", "Individual", "Family", "Group", "Association"],
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
		if (column.fieldname === "phase") {
			const colour = ["Withdrawn", "Not Suitable"].includes(data.phase_name)
				? "red"
				: data.phase_name === "Concluded"
				? "gray"
				: ["Tutoring Started", "Monitoring"].includes(data.phase_name)
				? "green"
				: "blue";
			return `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		if (column.fieldname === "drop_out_rate" && data.drop_out_rate >= 25) {
			return `<span style="color: var(--red-600); font-weight: bold">${value}</span>`;
		}
		return value;
	},
};
