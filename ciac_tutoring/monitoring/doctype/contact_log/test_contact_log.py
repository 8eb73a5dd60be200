# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, getdate, today

from ciac_tutoring.monitoring.doctype.contact_log.contact_log import PairingNotOpenError


def make_contact_log(**kwargs):
	"""A Contact Log on a new Active pairing unless given; any field can be overridden."""
	from ciac_tutoring.tests.factory import make_pairing

	values = {"doctype": "Contact Log", "kind": "Phone or video call", "contact_date": today()}
	values.update(kwargs)
	values.setdefault("pairing", make_pairing(status="Active", start_date=add_days(today(), -60)).name)
	return frappe.get_doc(values).insert()


def last_contacts(pairing):
	return frappe.db.get_value("Pairing", pairing, ["last_phone_contact", "last_meeting", "last_monitoring"])


def test_tutor_beneficiary_and_logged_by_follow_the_pairing():
	log = make_contact_log()
	pairing = frappe.get_doc("Pairing", log.pairing)
	assert (log.tutor, log.beneficiary, log.logged_by) == (
		pairing.tutor,
		pairing.beneficiary,
		"Administrator",
	)


def test_only_on_an_active_or_suspended_pairing():
	from ciac_tutoring.pairing.doctype.pairing.test_pairing import close
	from ciac_tutoring.tests.factory import make_pairing

	with pytest.raises(PairingNotOpenError):
		make_contact_log(pairing=make_pairing(status="Proposed").name)
	suspended = make_pairing(status="Suspended", start_date=add_days(today(), -30))
	assert make_contact_log(pairing=suspended.name)
	closed = close(make_pairing(status="Active", start_date=add_days(today(), -30)))
	with pytest.raises(PairingNotOpenError):
		make_contact_log(pairing=closed.name)


def test_no_contact_in_the_future():
	with pytest.raises(frappe.ValidationError, match="future"):
		make_contact_log(contact_date=add_days(today(), 1))


def test_last_contact_fields_follow_insert_edit_and_delete():
	first = make_contact_log(kind="Phone or video call", contact_date=add_days(today(), -9))
	pairing = first.pairing
	make_contact_log(pairing=pairing, kind="Phone or video call", contact_date=add_days(today(), -2))
	make_contact_log(pairing=pairing, kind="Activity or event together", contact_date=add_days(today(), -5))
	meeting = make_contact_log(pairing=pairing, kind="In-person meeting", contact_date=add_days(today(), -3))
	make_contact_log(pairing=pairing, kind="Message", contact_date=today())
	assert last_contacts(pairing) == (getdate(add_days(today(), -2)), getdate(add_days(today(), -3)), None)

	# editing: the meeting turns out to have been a CIAC monitoring meeting
	meeting.kind = "CIAC monitoring meeting"
	meeting.save()
	assert last_contacts(pairing) == (
		getdate(add_days(today(), -2)),
		getdate(add_days(today(), -5)),
		getdate(add_days(today(), -3)),
	)

	# deleting takes the date back to the previous log
	frappe.delete_doc("Contact Log", meeting.name)
	assert last_contacts(pairing)[2] is None


def test_moving_a_log_to_another_pairing_refreshes_both():
	log = make_contact_log(contact_date=add_days(today(), -1))
	old_pairing = log.pairing
	other = make_contact_log(contact_date=add_days(today(), -4)).pairing
	log.pairing = other
	log.save()
	assert last_contacts(old_pairing)[0] is None
	assert last_contacts(other)[0] == getdate(add_days(today(), -1))
	assert log.tutor == frappe.db.get_value("Pairing", other, "tutor")


def test_composite_index_exists():
	indexes = frappe.db.sql("SHOW INDEX FROM `tabContact Log`", as_dict=True)
	columns = [row.Column_name for row in indexes if row.Key_name == "pairing_kind_contact_date_index"]
	assert columns == ["pairing", "kind", "contact_date"]


# --- the rules on a contact's values hold for every writer (desk, portal, REST, import) ----------


def tutor_of(pairing: str) -> str:
	from ciac_tutoring.tests.portal_data import make_portal_user

	user = make_portal_user(f"log-rules-{frappe.generate_hash(length=6)}@portal-test.example", "Rules")
	frappe.db.set_value("Tutor", frappe.db.get_value("Pairing", pairing, "tutor"), "user", user)
	return user


def log_as(user: str, **values):
	frappe.set_user(user)
	try:
		doc = frappe.get_doc({"doctype": "Contact Log", "contact_date": today(), "kind": "Message", **values})
		doc.flags.ignore_permissions = True  # as the portal does, after its ownership check
		return doc.insert()
	finally:
		frappe.set_user("Administrator")


@pytest.mark.parametrize(
	"field,value",
	[
		("kind", "CIAC monitoring meeting"),
		("initiated_by", "CIAC"),
		("duration_minutes", 1_000_000_000),
		("duration_minutes", -5),
		("duration_minutes", "abc"),
		("contact_date", "10/01/2026"),
		("contact_date", "2026-02-30"),
		("notes", "x" * 5001),
		("wellbeing", "Great"),
		("notes", ["a", "list"]),
	],
)
def test_a_tutor_cannot_log_what_the_rules_forbid(field, value):
	from ciac_tutoring.tests.factory import make_pairing
	from ciac_tutoring.validation import InvalidFieldsError

	pairing = make_pairing(status="Active", start_date=add_days(today(), -60)).name
	user = tutor_of(pairing)
	with pytest.raises(InvalidFieldsError) as refusal:
		log_as(user, pairing=pairing, **{field: value})
	assert field in refusal.value.errors


def test_a_tutor_logs_on_own_pairing_only_and_as_themselves():
	from ciac_tutoring.tests.factory import make_pairing
	from ciac_tutoring.validation import InvalidFieldsError

	own = make_pairing(status="Active", start_date=add_days(today(), -60)).name
	other = make_pairing(status="Active", start_date=add_days(today(), -60)).name
	user = tutor_of(own)
	log = log_as(user, pairing=own, logged_by="Administrator", duration_minutes=30)
	assert log.logged_by == user  # a forged logged_by is replaced
	with pytest.raises(InvalidFieldsError) as refusal:
		log_as(user, pairing=other)
	assert "pairing" in refusal.value.errors


def test_staff_log_monitoring_meetings_and_long_notes_are_refused_not_truncated():
	from ciac_tutoring.validation import InvalidFieldsError

	log = make_contact_log(kind="CIAC monitoring meeting", initiated_by="CIAC", duration_minutes=90)
	assert log.kind == "CIAC monitoring meeting"
	with pytest.raises(InvalidFieldsError) as refusal:
		make_contact_log(notes="n" * 70_000)
	assert "notes" in refusal.value.errors
