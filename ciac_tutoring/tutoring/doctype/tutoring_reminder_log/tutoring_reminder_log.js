// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

// Written by the monitoring job only: nothing to do in the form.
frappe.ui.form.on("Tutoring Reminder Log", {});
