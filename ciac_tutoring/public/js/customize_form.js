// Frappe's Customize Form asks for the table's row size on every refresh, and answers only those who
// may read DocTypes: a CIAC Manager customising would get "Not permitted" each time. The row-size
// warning (past half of MariaDB's row limit) stays a System Manager's (docs/permissions.md).
if (!frappe.user.has_role("System Manager")) {
	cur_frm.cscript.show_db_utilization = () => {};
}
