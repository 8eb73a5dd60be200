// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Privacy Notice", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("New Version"), () => {
				frappe.new_doc("Privacy Notice", {
					purpose: frm.doc.purpose,
					text_it: frm.doc.text_it,
					text_en: frm.doc.text_en,
				});
			});
		}
	},
});
