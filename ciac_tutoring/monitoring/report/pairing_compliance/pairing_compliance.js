// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

const COMPLIANCE_COLOURS = { "On track": "green", "Due soon": "orange", Overdue: "red" };

frappe.query_reports["Pairing Compliance"] = {
	filters: [
		{
			fieldname: "status",
			label: __("Pairing Status"),
			fieldtype: "Select",
			options: ["Active", "Suspended", "Proposed", "Closed"],
			default: "Active",
			reqd: 1,
		},
		{
			fieldname: "compliance",
			label: __("Compliance"),
			fieldtype: "Select",
			options: ["", "On track", "Due soon", "Overdue"],
		},
		{
			// the coordinator's worklist of the beneficiaries' check-ins (module Beneficiary Voice)
			fieldname: "beneficiary_disagrees",
			label: __("Only Where the Beneficiary Disagrees"),
			fieldtype: "Check",
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
		{
			fieldname: "tutor",
			label: __("Tutor"),
			fieldtype: "Link",
			options: "Tutor",
		},
		{
			fieldname: "as_of_date",
			label: __("As Of Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
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
		if (column.fieldname === "compliance" && COMPLIANCE_COLOURS[data.compliance]) {
			return `<span class="indicator-pill ${COMPLIANCE_COLOURS[data.compliance]}">${__(data.compliance)}</span>`;
		}
		const cadence_of = {
			phone_since: "phone_interval",
			meeting_since: "meeting_interval",
			monitoring_since: "monitoring_interval",
		};
		const cadence = cadence_of[column.fieldname];
		if (cadence && data[column.fieldname] > data[cadence]) {
			return `<span style="color: var(--red-600); font-weight: bold">${value}</span>`;
		}
		return value;
	},
};
