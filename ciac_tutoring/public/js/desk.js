// The programme's modules lead to the Tutoring workspace in the breadcrumbs (ciac_tutoring/boot.py).
if (frappe.breadcrumbs && frappe.boot && frappe.boot.ciac_breadcrumb_modules) {
	Object.assign(frappe.breadcrumbs.module_map, frappe.boot.ciac_breadcrumb_modules);
}
