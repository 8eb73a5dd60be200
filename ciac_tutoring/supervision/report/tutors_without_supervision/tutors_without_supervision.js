// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Tutors Without Supervision"] = {
	filters: [
		{
			fieldname: "months",
			label: __("Not Attended For (Months)"),
			fieldtype: "Int",
			description: __("Empty: the months in Tutoring Settings"),
		},
	],
};
