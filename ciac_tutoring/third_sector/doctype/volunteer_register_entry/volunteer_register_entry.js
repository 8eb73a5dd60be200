// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

// Saved entries are never edited: a mistake is put right by a Correction entry.
frappe.ui.form.on("Volunteer Register Entry", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.disable_save();
		frm.add_custom_button(__("Correct this entry"), () => {
			frappe.new_doc("Volunteer Register Entry", {
				entry_type: "Correction",
				tutor: frm.doc.tutor,
				corrects_entry: frm.doc.name,
				full_name: frm.doc.full_name,
				tax_code: frm.doc.tax_code,
				date_of_birth: frm.doc.date_of_birth,
				address: frm.doc.address,
				start_date: frm.doc.start_date,
				end_date: frm.doc.end_date,
			});
		});
	},
});
