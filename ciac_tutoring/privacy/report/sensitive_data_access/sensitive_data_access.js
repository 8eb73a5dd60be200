// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Sensitive Data Access"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "user", label: __("User"), fieldtype: "Link", options: "User" },
		{ fieldname: "beneficiary", label: __("Beneficiary"), fieldtype: "Link", options: "Beneficiary" },
	],

	onload(report) {
		// Frappe sets a Date filter's default through its datepicker, whose change event runs the
		// report a second time as it opens; the filters as they open are no change.
		report.previous_filters = report.get_filter_values();
	},
};
