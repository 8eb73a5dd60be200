# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.activation.doctype.tutor.tutor import DuplicateTutorError, is_valid_mobile
from ciac_tutoring.tests.factory import make_tutor
from ciac_tutoring.validation import InvalidFieldsError


def test_email_is_normalised_and_consent_date_defaults_to_today():
	tutor = make_tutor(email="  Anna.Rossi@Example.COM ")
	assert tutor.email == "anna.rossi@example.com"
	assert str(tutor.privacy_consent_date) == today()
	assert tutor.name.startswith("TUT-")


def test_duplicate_email_is_refused_naming_the_existing_tutor():
	first = make_tutor(email="dup@example.com")
	with pytest.raises(DuplicateTutorError, match=first.name):
		make_tutor(email="DUP@example.com")


def test_invalid_email_and_mobile_are_refused_by_field():
	with pytest.raises(InvalidFieldsError) as refusal:
		make_tutor(email="not-an-email", mobile="call me maybe")
	assert set(refusal.value.errors) == {"email", "mobile"}
	assert "6 to 15 digits" in refusal.value.errors["mobile"]


@pytest.mark.parametrize(
	"mobile, valid",
	[
		("+39 333 1234567", True),
		("333-123.4567", True),
		("(0521) 123456", True),
		("123456", True),
		("+123456789012345", True),
		("12345", False),  # too short to call
		("+1234567890123456", False),  # longer than any number (E.164: 15 digits)
		("++39 333 1234567", False),
		("333 1234567 int. 4", False),
		("３３３１２３４５６７", False),  # full-width digits: not what the phone dials
	],
)
def test_the_mobile_rule(mobile, valid):
	assert is_valid_mobile(mobile) is valid


def test_a_mobile_stored_before_the_rule_keeps_saving_until_changed():
	tutor = make_tutor()
	tutor.db_set("mobile", "0521")  # accepted by the earlier rule
	tutor.reload()
	tutor.motivation = "Still here"
	tutor.save()
	tutor.mobile = "0522"
	with pytest.raises(InvalidFieldsError, match="6 to 15 digits"):
		tutor.save()


def test_collectives_need_a_contact_person():
	with pytest.raises(frappe.ValidationError, match="contact person"):
		make_tutor(tutor_type="Family", tutor_name="Famiglia Bianchi")
	assert make_tutor(tutor_type="Family", tutor_name="Famiglia Bianchi", contact_person="Lucia Bianchi")
	assert make_tutor(tutor_type="Individual", contact_person="")


def test_privacy_consent_is_required():
	with pytest.raises(frappe.ValidationError, match="privacy consent is required"):
		make_tutor(privacy_consent=0)
	with pytest.raises(frappe.ValidationError, match="future"):
		make_tutor(privacy_consent_date=add_days(today(), 1))


def test_capacity_at_least_one_and_not_below_active_pairings():
	from ciac_tutoring.tests.factory import make_pairing

	with pytest.raises(frappe.ValidationError, match="at least 1"):
		make_tutor(capacity=0)
	tutor = make_tutor(capacity=2)
	make_pairing(tutor=tutor.name, status="Active")
	make_pairing(tutor=tutor.name, status="Active")
	tutor.reload()
	tutor.capacity = 1
	with pytest.raises(frappe.ValidationError, match="capacity cannot be lower"):
		tutor.save()


def test_interview_date_cannot_be_in_the_future():
	with pytest.raises(frappe.ValidationError, match="interview date"):
		make_tutor(interview_date=add_days(today(), 3))


def test_activate_portal_user_creates_a_website_user_with_role_tutor_once():
	tutor = make_tutor(tutor_name="Giulia Verdi")
	user = tutor.activate_portal_user(send_welcome_email=False)
	assert user == tutor.email
	assert frappe.db.get_value("Tutor", tutor.name, "user") == user
	assert frappe.db.get_value("User", user, "user_type") == "Website User"
	assert "Tutor" in frappe.get_roles(user)
	# idempotent: a second activation links the same user and adds nothing
	tutor.reload()
	assert tutor.activate_portal_user(send_welcome_email=False) == user
	assert frappe.db.count("Has Role", {"parent": user, "role": "Tutor"}) == 1


def test_activate_portal_user_links_an_existing_user_and_adds_the_role():
	email = f"existing-{frappe.generate_hash(length=8)}@example.com"
	frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "Existing", "send_welcome_email": 0}
	).insert()
	tutor = make_tutor(email=email)
	assert tutor.activate_portal_user(send_welcome_email=False) == email
	assert "Tutor" in frappe.get_roles(email)


def test_activate_portal_user_works_without_an_outgoing_email_account():
	# the welcome mail is skipped rather than failing the activation on a site without email
	tutor = make_tutor()
	assert tutor.activate_portal_user() == tutor.email


def test_activate_portal_user_refuses_a_user_linked_to_another_tutor():
	first = make_tutor()
	user = first.activate_portal_user(send_welcome_email=False)
	# the first tutor's email changed since; its portal user stays linked
	frappe.db.set_value("Tutor", first.name, "email", f"new-{user}")
	second = make_tutor(email=user)
	with pytest.raises(frappe.ValidationError, match=first.name):
		second.activate_portal_user(send_welcome_email=False)


def test_activate_portal_user_needs_write_permission_on_the_tutor():
	tutor = make_tutor()
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		tutor.activate_portal_user(send_welcome_email=False)


def test_dashboard_counts_pairings_contacts_and_trainings():
	from frappe.desk.notifications import get_open_count

	from ciac_tutoring.activation.doctype.training_session.test_training_session import make_training_session
	from ciac_tutoring.monitoring.doctype.contact_log.test_contact_log import make_contact_log
	from ciac_tutoring.tests.factory import make_pairing

	tutor = make_tutor()
	pairing = make_pairing(tutor=tutor.name, status="Active", start_date="2026-01-05")
	make_contact_log(pairing=pairing.name)
	make_training_session(attendees=[{"tutor": tutor.name}])
	found = get_open_count("Tutor", tutor.name)["count"]
	counts = {
		row["doctype"]: row["count"]
		for row in [*found["external_links_found"], *found["internal_links_found"]]
	}
	assert counts == {"Pairing": 1, "Contact Log": 1, "Training Session": 1}


def test_a_form_opened_before_a_session_was_held_does_not_save_stale_hours():
	from ciac_tutoring.activation.doctype.training_session.test_training_session import make_training_session

	tutor = make_tutor()
	stale = frappe.get_doc("Tutor", tutor.name)
	make_training_session(
		status="Held", attendees=[{"tutor": tutor.name, "attendance": "Attended", "hours": 4}]
	)
	stale.availability_notes = "edited meanwhile"
	stale.save()
	assert frappe.db.get_value("Tutor", tutor.name, "training_hours") == 4


def test_each_section_of_the_tutor_form_has_its_own_label_in_both_languages():
	sections = [
		df.label for df in frappe.get_meta("Tutor").fields if df.fieldtype == "Section Break" and df.label
	]
	assert len(sections) == len(set(sections)), sections
	frappe.local.lang = "it"
	assert len({frappe._(label) for label in sections}) == len(sections)
	assert {frappe._("Consent"), frappe._("Anonymisation")} == {"Consenso", "Anonimizzazione"}
