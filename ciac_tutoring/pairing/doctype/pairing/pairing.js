// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Pairing", {
	setup(frm) {
		frm.set_query("closure_reason", () => ({ filters: { enabled: 1 } }));
		frm.set_query("goal", "goals", () => ({ filters: { enabled: 1 } }));
		frm.set_query("beneficiary", () => ({ filters: { status: ["!=", "Paired"] } }));
		frm.set_query("coordinator", () => ({ query: "frappe.core.doctype.user.user.user_query" }));
	},

	refresh(frm) {
		if (!frm.is_new() && ["Active", "Suspended"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Log Contact"), () =>
				frappe.new_doc("Contact Log", { pairing: frm.doc.name })
			);
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("Agreement (PDF)"), () => {
				const args = new URLSearchParams({
					doctype: "Pairing",
					name: frm.doc.name,
					format: "Tutoring Agreement",
					no_letterhead: 1,
					language: frappe.boot.lang || "it",
				});
				window.open(`/api/method/frappe.utils.print_format.download_pdf?${args}`);
			});
		}
		if (!frm.is_new() && frm.doc.status !== "Closed" && frm.perm[1] && frm.perm[1].write) {
			// The closure outcome fields become mandatory; the controller checks them on save.
			frm.add_custom_button(__("Close Pairing"), () => {
				frm.set_value("status", "Closed");
				frm.scroll_to_field("closure_initiated_by");
			});
		}
	},

	status(frm) {
		if (frm.doc.status === "Closed" && !frm.doc.closure_date) {
			frm.set_value("closure_date", frappe.datetime.get_today());
		}
	},
});

// The late commitments are stored one per line by their English names (compliance.py): shown
// translated, as the Pairing Compliance report does. The field is read-only: only its display
// changes.
frappe.ui.form.on("Pairing", {
	refresh(frm) {
		const field = frm.get_field("late_commitments");
		if (!field?.disp_area || !frm.doc.late_commitments) return;
		field.disp_area.textContent = frm.doc.late_commitments
			.split("\n")
			.filter(Boolean)
			.map((line) => __(line))
			.join(", ");
	},
});
