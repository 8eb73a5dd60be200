// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Beneficiary", {
	setup(frm) {
		frm.set_query("reception_project", () => ({ filters: { enabled: 1 } }));
		// A Table MultiSelect has no grid: its query is set on the field itself.
		frm.set_query("needs", () => ({ filters: { enabled: 1 } }));
		frm.set_query("referring_operator", () => ({ query: "frappe.core.doctype.user.user.user_query" }));
	},

	refresh(frm) {
		if (!frm.is_new() && frm.doc.status === "Waiting" && frappe.model.can_create("Pairing")) {
			frm.add_custom_button(__("Propose Pairing"), () =>
				frappe.new_doc("Pairing", { beneficiary: frm.doc.name })
			);
			frm.add_custom_button(__("Find a Tutor"), () =>
				frappe.set_route("query-report", "Matching Candidates", { beneficiary: frm.doc.name })
			);
		}
	},
});
