// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Volunteer Register Extract", {
	refresh(frm) {
		if (!frm.is_new()) frm.disable_save();
	},
});
