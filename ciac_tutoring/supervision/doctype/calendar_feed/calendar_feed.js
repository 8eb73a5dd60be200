// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Calendar Feed", {
	refresh(frm) {
		if (frm.is_new() || !frm.has_perm("write")) return;
		frm.add_custom_button(__("Revoke (New Secret)"), () =>
			frappe.confirm(__("The old address of this calendar will stop working. Continue?"), () =>
				frm.call("revoke").then(() => frm.reload_doc())
			)
		);
	},
});
