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

// The phase history's phases are stored as the workflow's state names (English): shown translated.
frappe.ui.form.on("Tutor", {
	setup() {
		for (const fieldname of ["from_phase", "to_phase"]) {
			const df = frappe.meta.docfield_map["Tutor Phase History"]?.[fieldname];
			if (df) df.formatter = (value) => __(value || "");
		}
	},
});

// The tutor's phase (a Link to Workflow State) reads as stored for staff who may not open Workflow
// State, the coordinators: Frappe translates the link only for those who may. Translated for all.
frappe.form.link_formatters["Workflow State"] = (value) => (value ? __(value) : value);
