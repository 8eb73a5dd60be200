// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

frappe.ui.form.on("Supervision Meeting", {
	refresh(frm) {
		ciac_tutoring.calendar.add_buttons(frm);
		if (!frm.is_new() && frm.doc.status === "Planned" && frm.has_perm("write")) {
			frm.add_custom_button(__("Invite Tutors"), () =>
				frappe
					.call({
						method: "ciac_tutoring.supervision.invitations.invite_tutors",
						args: { meeting: frm.doc.name },
						freeze: true,
					})
					.then((r) => {
						frappe.show_alert({ message: __("{0} invitations sent", [r.message]), indicator: "green" });
						frm.reload_doc();
					})
			);
		}
	},
	starts_on(frm) {
		// meetings usually last two hours: suggest an end the coordinator can change
		if (frm.doc.starts_on && !frm.doc.ends_on) {
			frm.set_value("ends_on", frappe.datetime.add_to_date(frm.doc.starts_on, { hours: 2 }));
		}
	},
});
