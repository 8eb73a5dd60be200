// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Volunteer Expenses by Month"] = {
	filters: [
		{
			fieldname: "month",
			label: __("Any Day of the Month"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "status",
			label: __("Approval"),
			fieldtype: "Select",
			options: ["Approved", "Pending Approval", "Rejected"],
			default: "Approved",
		},
	],
};
