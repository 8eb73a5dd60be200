"""Contact Log support-area rows carry their contact's pairing and tutor (Support Area Item
.pairing / .tutor, kept by the Contact Log controller) so Contact Activity
filtered on a coordinator or a municipality counts areas without joining every contact to its
rows: fill them in on the rows written before."""

import frappe


def execute():
	copy_contact_parties()


def copy_contact_parties() -> None:
	"""Set every Contact Log support-area row's pairing and tutor from its contact, in one UPDATE
	(also used by the reports benchmark after its bulk insert)."""
	frappe.db.sql(
		"""
		UPDATE `tabSupport Area Item` area
		JOIN `tabContact Log` contact ON contact.name = CAST(area.parent AS UNSIGNED)
		SET area.pairing = contact.pairing, area.tutor = contact.tutor
		WHERE area.parenttype = 'Contact Log'
			AND NOT (area.pairing <=> contact.pairing AND area.tutor <=> contact.tutor)
		"""
	)
