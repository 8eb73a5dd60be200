// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Training Session", {
	starts_on(frm) {
		// sessions usually last two hours: suggest an end the coordinator can change
		if (frm.doc.starts_on && !frm.doc.ends_on) {
			frm.set_value("ends_on", frappe.datetime.add_to_date(frm.doc.starts_on, { hours: 2 }));
		}
	},
});
