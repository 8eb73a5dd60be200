"""Free text typed before it was stored as plain text (validation.strip_markup): the tags Frappe's
sanitiser kept in tutors' and contacts' text fields (links, remote images) are removed, so an old
contact note or a name typed on the public form renders as text in print views, PDFs and emails."""

import frappe

from ciac_tutoring.validation import PLAIN_TEXT_FIELDTYPES, plain_text

DOCTYPES = ("Tutor", "Contact Log")


def execute():
	for doctype in DOCTYPES:
		fields = [
			df.fieldname for df in frappe.get_meta(doctype).fields if df.fieldtype in PLAIN_TEXT_FIELDTYPES
		]
		or_filters = [[field, "like", "%<%"] for field in fields] + [
			[field, "like", "%&%"] for field in fields
		]
		for row in frappe.get_all(doctype, or_filters=or_filters, fields=["name", *fields]):
			changed = {
				field: plain_text(row[field])
				for field in fields
				if isinstance(row[field], str) and plain_text(row[field]) != row[field]
			}
			if changed:
				frappe.db.set_value(doctype, row.name, changed, update_modified=False)
			if doctype == "Tutor" and "tutor_name" in changed:
				# the pairings' copy of the name (fetched from the Tutor when saved)
				frappe.db.set_value(
					"Pairing", {"tutor": row.name}, "tutor_name", changed["tutor_name"], update_modified=False
				)
