"""Contact Activity's coordinator and municipality filters read the rollup alone (issue 25):
Contact Month now holds its pairing's coordinator and its tutor's municipality, which the rows
written before lack. Filled in here, in one statement; the indexes led by them come with the
DocType's sync (`on_doctype_update`), added again in case the sync ran before this version."""

import frappe

from ciac_tutoring.monitoring.doctype.contact_month import contact_month


def execute():
	frappe.db.sql(
		"""
		UPDATE `tabContact Month` m
		LEFT JOIN `tabPairing` p ON p.name = m.pairing
		LEFT JOIN `tabTutor` t ON t.name = m.tutor
		SET m.coordinator = p.coordinator, m.municipality = t.municipality
		"""
	)
	contact_month.on_doctype_update()
