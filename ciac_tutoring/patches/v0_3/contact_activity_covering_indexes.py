"""Contact Activity's filtered views read indexes alone (issue 25): Contact Month's (pairing, month)
index becomes a covering one, and Support Area Item's (parenttype, parentfield, parent) index
carries the area. Frappe declares indexes when a DocType is synced (`on_doctype_update`), which
an unchanged DocType is not: the new ones are added here, the ones they replace dropped."""

import frappe

from ciac_tutoring.monitoring.doctype.contact_month import contact_month
from ciac_tutoring.tutoring.doctype.support_area_item import support_area_item

REPLACED = {
	"Contact Month": "pairing_month_index",
	"Support Area Item": "parenttype_parentfield_parent_index",
}


def execute():
	contact_month.on_doctype_update()
	support_area_item.on_doctype_update()
	for doctype, index in REPLACED.items():
		if frappe.db.has_index(f"tab{doctype}", index):
			frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{index}`")
