// Copyright (c) 2026, CIAC Onlus and contributors
// For license information, please see license.txt

// Read-only for staff: the answers come from the portal and the check-in page.
frappe.ui.form.on("Relationship Health", {});
