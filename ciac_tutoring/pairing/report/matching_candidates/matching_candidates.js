// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Matching Candidates"] = {
	filters: [
		{
			fieldname: "beneficiary",
			label: __("Beneficiary"),
			fieldtype: "Link",
			options: "Beneficiary",
			// Required: the report waits for it instead of running empty first, which could
			// answer after "Find a Tutor" had filled it in and leave "Choose a waiting beneficiary".
			reqd: 1,
			get_query: () => ({ filters: { status: "Waiting" } }),
		},
	],

	get_datatable_options(options) {
		return Object.assign(options, { checkboxColumn: true });
	},

	onload(report) {
		report.page.add_inner_button(__("Propose"), () => {
			const checked = report.datatable.rowmanager.getCheckedRows();
			if (checked.length !== 1) {
				frappe.msgprint(__("Tick one tutor to propose."));
				return;
			}
			const row = report.data[checked[0]];
			frappe
				.call({
					method: "ciac_tutoring.pairing.matching.propose",
					args: { beneficiary: report.get_filter_value("beneficiary"), tutor: row.tutor },
					freeze: true,
				})
				.then((r) => frappe.set_route("Form", "Pairing", r.message));
		});
	},
};
