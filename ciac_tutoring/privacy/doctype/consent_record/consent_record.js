// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consent Record", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.withdrawn_on || !frm.perm[0].write) return;
		frm.add_custom_button(__("Withdraw Consent"), () => {
			frappe.prompt(
				{ fieldname: "note", fieldtype: "Small Text", label: __("Withdrawal Note") },
				({ note }) => frm.call("withdraw", { note }).then(() => frm.reload_doc()),
				__("Withdraw Consent"),
				__("Withdraw")
			);
		});
	},
});

// The purpose is copied from the privacy notice as its stored (English) option: shown translated.
frappe.ui.form.on("Consent Record", {
	setup() {
		const df = frappe.meta.docfield_map["Consent Record"]?.purpose;
		if (df) df.formatter = (value) => __(value || "");
	},
});
