"""Tutor reminders named the beneficiary by full name until tutors were given the first name only:
the notices the portal still shows (the log's `message`) lose the surname. What was emailed stays
on record as sent (subject, email_html: staff only)."""

import frappe


def execute():
	frappe.db.sql(
		"""
		UPDATE `tabTutoring Reminder Log` log
		JOIN `tabPairing` pairing ON pairing.name = log.pairing
		JOIN `tabBeneficiary` beneficiary ON beneficiary.name = pairing.beneficiary
		SET log.message = REPLACE(log.message, pairing.beneficiary_name, beneficiary.first_name)
		WHERE log.rule = 'Tutor reminder'
			AND IFNULL(pairing.beneficiary_name, '') != ''
			AND IFNULL(beneficiary.first_name, '') != ''
			AND pairing.beneficiary_name != beneficiary.first_name
		"""
	)
