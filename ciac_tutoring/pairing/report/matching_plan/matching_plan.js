// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.query_reports["Matching Plan"] = {
	filters: [],

	onload(report) {
		report.page.add_inner_button(__("Propose These Pairings"), () => {
			const pairs = (report.data || [])
				.filter((row) => row.beneficiary && row.tutor)
				.map((row) => ({ beneficiary: row.beneficiary, tutor: row.tutor }));
			if (!pairs.length) {
				frappe.msgprint(__("There is nothing to propose."));
				return;
			}
			frappe.confirm(__("Create {0} Proposed pairings?", [pairs.length]), () =>
				frappe
					.call({
						method: "ciac_tutoring.pairing.matching.propose_plan",
						args: { pairs },
						freeze: true,
					})
					.then((r) => {
						frappe.show_alert({
							message: __("{0} Proposed pairings created", [r.message.length]),
							indicator: "green",
						});
						report.refresh();
					})
			);
		});
	},
};
