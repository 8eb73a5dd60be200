// Days the tutor has spent in the current phase of the "Tutor Activation" workflow.
frappe.ui.form.on("Tutor", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.workflow_state) return;
		const since = frm.doc.phase_changed_on || frm.doc.creation;
		const days = Math.max(frappe.datetime.get_day_diff(frappe.datetime.now_date(), since), 0);
		frm.dashboard.add_indicator(
			__("{0}: {1} days in this phase", [__(frm.doc.workflow_state), days]),
			days > 30 ? "orange" : "blue"
		);
	},
});
