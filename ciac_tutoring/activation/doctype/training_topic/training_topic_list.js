// The list shows each training topic in the user's language: its name is the English value the
// app seeds and translates (translations/it.csv), which Frappe's list prints as stored.
frappe.listview_settings["Training Topic"] = {
	formatters: {
		topic_name: (value) => __(value || ""),
		// the ID column: the same value, the record being named after it
		name: (value) => frappe.utils.escape_html(__(value || "")),
	},
};
