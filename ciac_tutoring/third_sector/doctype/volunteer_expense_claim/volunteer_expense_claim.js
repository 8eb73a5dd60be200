// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Volunteer Expense Claim", {
	tutor(frm) {
		frm.set_value("pairing", null);
	},
	setup(frm) {
		frm.set_query("pairing", () => ({ filters: { tutor: frm.doc.tutor || "" } }));
	},
});
