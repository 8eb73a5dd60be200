import frappe

from ciac_tutoring.patches.v0_2 import free_text_as_plain_text
from ciac_tutoring.tests import portal_data

LINK = '<a href="https://evil.example/x">Click</a><img src="https://evil.example/p.png">'


def test_markup_stored_before_is_stripped_with_the_pairings_copy_of_the_name():
	tutor = portal_data.make_tutor("plain-text-patch")
	pairing = portal_data.make_active_pairing(tutor, portal_data.make_beneficiary("plainpatch"))
	log = portal_data.make_contact_log(pairing)
	# as Frappe's sanitiser left them before names and notes were stored as plain text
	frappe.db.set_value("Tutor", tutor, {"tutor_name": f"Rossi {LINK}", "motivation": f"Help {LINK}"})
	frappe.db.set_value("Pairing", pairing, "tutor_name", f"Rossi {LINK}")
	frappe.db.set_value("Contact Log", log, "notes", f"Coffee {LINK} & cake")

	free_text_as_plain_text.execute()

	assert frappe.db.get_value("Tutor", tutor, ["tutor_name", "motivation"]) == ("Rossi Click", "Help Click")
	assert frappe.db.get_value("Pairing", pairing, "tutor_name") == "Rossi Click"
	assert frappe.db.get_value("Contact Log", log, "notes") == "Coffee Click & cake"
