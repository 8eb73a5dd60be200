// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Contact Log", {
	setup(frm) {
		frm.set_query("pairing", () => ({ filters: { status: ["in", ["Active", "Suspended"]] } }));
		// A Table MultiSelect has no grid: its query is set on the field itself.
		frm.set_query("support_areas", () => ({ filters: { enabled: 1 } }));
	},
});
