"""Contact Log support-area rows carry their contact's date (Support Area Item.contact_date, kept
by the Contact Log controller) so Contact Activity counts areas per month without joining every
contact to its rows: fill it in on the rows written before."""

import frappe


def execute():
	copy_contact_dates()


def copy_contact_dates() -> None:
	"""Set every Contact Log support-area row's date from its contact, in one UPDATE (also used
	by the reports benchmark after its bulk insert)."""
	frappe.db.sql(
		"""
		UPDATE `tabSupport Area Item` area
		JOIN `tabContact Log` contact ON contact.name = CAST(area.parent AS UNSIGNED)
		SET area.contact_date = contact.contact_date
		WHERE area.parenttype = 'Contact Log'
			AND NOT (area.contact_date <=> contact.contact_date)
		"""
	)
