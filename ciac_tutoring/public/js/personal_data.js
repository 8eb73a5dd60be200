// A person's data (Tutor, Beneficiary): download it (subject access) or erase it (on request).
// The server decides who may: staff for the download, the delete right for the erasure.
["Tutor", "Beneficiary"].forEach((doctype) => {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (frm.is_new()) return;
			const url = (format) =>
				"/api/method/ciac_tutoring.privacy.export.download_personal_data?" +
				new URLSearchParams({ doctype: frm.doctype, name: frm.doc.name, export_format: format });
			frm.add_custom_button(__("Personal Data (JSON)"), () => window.open(url("json")), __("Privacy"));
			frm.add_custom_button(__("Personal Data (HTML)"), () => window.open(url("html")), __("Privacy"));
			if (frm.perm[0] && frm.perm[0].delete && !frm.doc.anonymised_on) {
				frm.add_custom_button(
					__("Erase Personal Data"),
					() =>
						frappe.confirm(
							__("Erase this person's names, contacts and notes everywhere? This cannot be undone."),
							() =>
								frappe
									.call("ciac_tutoring.privacy.retention.erase_personal_data", {
										doctype: frm.doctype,
										name: frm.doc.name,
									})
									.then(() => frm.reload_doc())
						),
					__("Privacy")
				);
			}
		},
	});
});
