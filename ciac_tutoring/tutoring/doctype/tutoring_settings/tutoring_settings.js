// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Tutoring Settings", {
	setup(frm) {
		// Portal Fields: offer the fields the row's form can show (ciac_tutoring/portal_fields.py).
		frm.set_query("fieldname", "portal_fields", (doc, cdt, cdn) => ({
			query: "ciac_tutoring.portal_fields.field_choices",
			params: { form: locals[cdt][cdn].form },
		}));
	},
});
