// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Coordinator Worklist"] = {
	filters: [
		{
			fieldname: "coordinator",
			label: __("Coordinator"),
			fieldtype: "Link",
			options: "User",
			description: __("Empty: every pairing"),
		},
	],
};
