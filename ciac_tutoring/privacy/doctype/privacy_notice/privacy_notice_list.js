// The list's title is the notice's purpose, a Select value Frappe's list prints as stored:
// shown in the user's language.
frappe.listview_settings["Privacy Notice"] = {
	formatters: {
		purpose: (value) => __(value || ""),
	},
};
