// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Tutor", {
	setup(frm) {
		// A Table MultiSelect has no grid: its query is set on the field itself.
		frm.set_query("support_areas", () => ({ filters: { enabled: 1 } }));
	},

	refresh(frm) {
		if (!frm.is_new() && !frm.doc.user && frm.has_perm("write")) {
			frm.add_custom_button(__("Activate Portal Access"), () =>
				frm.call("activate_portal_user").then(() => frm.reload_doc())
			);
		}
	},
});
