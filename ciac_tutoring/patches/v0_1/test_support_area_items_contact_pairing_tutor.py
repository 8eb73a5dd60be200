import frappe

from ciac_tutoring.patches.v0_1 import support_area_items_contact_pairing_tutor
from ciac_tutoring.tutoring.doctype.contact_log.test_contact_log import make_contact_log


def test_support_area_rows_written_before_get_their_contacts_pairing_and_tutor():
	area = frappe.get_all("Support Area", pluck="name", limit=1)[0]
	log = make_contact_log(support_areas=[{"support_area": area}])
	row = {"parenttype": "Contact Log", "parent": str(log.name)}
	frappe.db.set_value("Support Area Item", row, {"pairing": None, "tutor": None})

	support_area_items_contact_pairing_tutor.execute()

	assert frappe.db.get_value("Support Area Item", row, ["pairing", "tutor"]) == (
		log.pairing,
		log.tutor,
	)
