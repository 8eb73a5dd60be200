// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

// Written by the monitoring job only: nothing to edit in the form. Its Reference Type names a
// DocType ("Training Session"): show it in the user's language, as the desk names DocTypes.
frappe.form.link_formatters["DocType"] = (value) => (value ? __(value) : value);

frappe.ui.form.on("Tutoring Reminder Log", {});
