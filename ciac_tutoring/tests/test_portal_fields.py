"""An admin's own field, added and removed in Customize Form, on the public availability form over HTTP."""

import re

import frappe
import pytest
import requests
from frappe.utils import nowdate

from ciac_tutoring import portal_fields
from ciac_tutoring.portal.http import rate_limit_key
from ciac_tutoring.privacy.test_privacy_http import reset_form as reset_availability_form
from ciac_tutoring.tests.browser.browser import delete_user
from ciac_tutoring.tests.portal_data import PortalWorld
from ciac_tutoring.tests.test_portal_pages import availability as availability_form

pytestmark = pytest.mark.http

FORM_EMAIL = "custom-field@portal-fields-test.example"
SIZE_LABEL, SIZE_LABEL_IT = "T-shirt size for events", "Taglia della maglietta per gli eventi"
YEARS_LABEL = "Years of volunteering"


def customize_tutor(add: list[dict] | None = None, remove: list[str] | None = None, doctype="Tutor") -> None:
	"""What an admin does in Customize Form on Tutor (or `doctype`)."""
	form = frappe.get_doc("Customize Form")
	form.doc_type = doctype
	form.fetch_to_customize()
	for field in add or []:
		form.append("fields", {**field, "is_custom_field": 1})  # as the desk marks a row it adds
	if remove:
		form.fields = [row for row in form.fields if row.fieldname not in remove]
	form.save_customization()


def fieldname_of(label: str, doctype: str = "Tutor") -> str | None:
	return next((df.fieldname for df in frappe.get_meta(doctype).fields if df.label == label), None)


def reset_form():
	reset_availability_form(FORM_EMAIL)


@pytest.fixture()
def admin_fields(site_server):
	reset_form()
	remove_admin_fields()
	customize_tutor(
		add=[
			{
				"label": SIZE_LABEL,
				"fieldtype": "Select",
				"options": "S\nM\nL",
				"reqd": 1,
				"insert_after": "heard_about",
			},
			{"label": YEARS_LABEL, "fieldtype": "Int", "insert_after": "heard_about"},
		]
	)
	size, years = fieldname_of(SIZE_LABEL), fieldname_of(YEARS_LABEL)
	settings = frappe.get_single("Tutoring Settings")
	for fieldname in (size, years):
		settings.append("portal_fields", {"form": "Become a tutor", "fieldname": fieldname})
	settings.save()
	# A staff-only field listed anyway (the settings refuse it now; a row written past them, say by a
	# patch or a restored backup) still stays off the form.
	frappe.get_doc(
		{
			"doctype": "Portal Field",
			"parent": "Tutoring Settings",
			"parenttype": "Tutoring Settings",
			"parentfield": "portal_fields",
			"idx": 3,
			"form": "Become a tutor",
			"fieldname": "interview_notes",
		}
	).db_insert()
	frappe.get_doc(
		{
			"doctype": "Translation",
			"language": "it",
			"source_text": SIZE_LABEL,
			"translated_text": SIZE_LABEL_IT,
		}
	).insert()
	frappe.db.commit()  # nosemgrep: the server reads the customisation
	yield frappe._dict(size=size, years=years)
	frappe.set_user("Administrator")
	reset_form()
	remove_admin_fields()


def remove_admin_fields():
	"""Undo the customisation (also what an interrupted run left)."""
	leftovers = [name for name in (fieldname_of(SIZE_LABEL), fieldname_of(YEARS_LABEL)) if name]
	if leftovers:
		customize_tutor(remove=leftovers)
	settings = frappe.get_single("Tutoring Settings")
	settings.portal_fields = []
	settings.save()
	frappe.db.delete("Translation", {"source_text": SIZE_LABEL})
	frappe.db.commit()  # nosemgrep: undo what this test committed


def availability(**overrides) -> dict:
	return availability_form(tutor_name="Custom Field Visitor", email=FORM_EMAIL, **overrides)


def post(site_server, form: dict) -> requests.Response:
	frappe.cache.delete_value(rate_limit_key("become-a-tutor", "127.0.0.1"))
	return requests.post(
		f"{site_server.url}/become-a-tutor?_lang=en",
		data=form,
		headers={"Origin": site_server.url},  # a browser posting from the form's own page
		allow_redirects=False,
		timeout=30,
	)


def test_an_admins_field_appears_validates_saves_and_disappears(site_server, admin_fields):
	size, years = admin_fields.size, admin_fields.years
	english = requests.get(f"{site_server.url}/become-a-tutor?_lang=en", timeout=30).text
	assert SIZE_LABEL in english and f'name="{size}"' in english and f'name="{years}"' in english
	assert 'name="interview_notes"' not in english
	italian = requests.get(f"{site_server.url}/become-a-tutor?_lang=it", timeout=30).text
	assert SIZE_LABEL_IT in italian

	missing = post(site_server, availability())
	assert missing.status_code == 200 and f'id="error-{size}"' in missing.text
	wrong = post(site_server, availability(**{size: "XXL", years: "many"}))
	assert f'id="error-{size}"' in wrong.text and f'id="error-{years}"' in wrong.text
	assert 'value="many"' in wrong.text  # what was typed is kept
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})

	saved = post(site_server, availability(**{size: "M", years: "3", "interview_notes": "forged"}))
	assert saved.status_code in (301, 302), saved.text[:300]
	frappe.db.rollback()
	tutor = frappe.db.get_value(
		"Tutor", {"email": FORM_EMAIL}, [size, years, "interview_notes"], as_dict=True
	)
	assert (tutor[size], tutor[years], tutor.interview_notes) == ("M", 3, None)

	customize_tutor(remove=[size])
	frappe.db.commit()  # nosemgrep: the server reads the customisation
	after = requests.get(f"{site_server.url}/become-a-tutor?_lang=en", timeout=30).text
	assert SIZE_LABEL not in after and f'name="{size}"' not in after
	assert f'name="{years}"' in after


def test_only_custom_fields_at_level_zero_qualify(admin_fields):
	fields = [df.fieldname for df in portal_fields.get_fields("Become a tutor")]
	assert fields == [admin_fields.size, admin_fields.years]
	assert portal_fields.validate("Become a tutor", {admin_fields.size: "S", admin_fields.years: "-2"}) == {}


PLACE_LABEL = "Where did you meet"


@pytest.fixture()
def contact_field(site_server):
	world = PortalWorld.create(prefix="pfield")
	customize_tutor(add=[{"label": PLACE_LABEL, "fieldtype": "Data", "reqd": 1}], doctype="Contact Log")
	place = fieldname_of(PLACE_LABEL, "Contact Log")
	settings = frappe.get_single("Tutoring Settings")
	settings.append("portal_fields", {"form": "Log a contact", "fieldname": place})
	settings.save()
	frappe.db.commit()  # nosemgrep: the server reads the customisation
	yield frappe._dict(world=world, place=place)
	frappe.set_user("Administrator")
	world.delete()
	customize_tutor(remove=[place], doctype="Contact Log")
	settings = frappe.get_single("Tutoring Settings")
	settings.portal_fields = []
	settings.save()
	frappe.db.commit()  # nosemgrep: undo what this test committed


def test_an_admins_contact_log_field_on_the_tutors_contact_form(site_server, contact_field):
	world, place = contact_field.world, contact_field.place
	session = site_server.session(world.a.user, world.password)
	page = session.get(f"{site_server.url}/log-contact?_lang=en", timeout=30)
	assert PLACE_LABEL in page.text and f'name="{place}"' in page.text
	csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)
	contact = {
		"csrf_token": csrf,
		"pairing": world.a.pairing,
		"contact_date": nowdate(),
		"kind": "In-person meeting",
		"wellbeing": "Fine",
		"notes": "custom field contact",
	}
	refused = session.post(f"{site_server.url}/log-contact", data=contact, allow_redirects=False, timeout=30)
	assert refused.status_code == 200 and f'id="error-{place}"' in refused.text
	saved = session.post(
		f"{site_server.url}/log-contact", data={**contact, place: "Borgo"}, allow_redirects=False, timeout=30
	)
	assert saved.status_code in (301, 302), saved.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Contact Log", {"notes": "custom field contact"}, place) == "Borgo"


def test_the_log_contact_method_takes_the_admins_field_as_the_page_does(site_server, contact_field):
	world, place = contact_field.world, contact_field.place
	session = site_server.session(world.a.user, world.password)
	page = session.get(f"{site_server.url}/my-tutoring", timeout=30)
	csrf = re.search(r'frappe.csrf_token = "([0-9a-f]+)"', page.text).group(1)
	session.headers["X-Frappe-CSRF-Token"] = csrf
	contact = {
		"pairing": world.a.pairing,
		"contact_date": nowdate(),
		"kind": "In-person meeting",
		"wellbeing": "Fine",
		"notes": "custom field contact by API",
	}
	url = f"{site_server.url}/api/method/ciac_tutoring.portal.contacts.log_contact"
	refused = session.post(url, data=contact, timeout=30)
	assert refused.status_code == 417 and PLACE_LABEL in refused.text
	saved = session.post(url, data={**contact, place: "Borgo", "interview_notes": "ignored"}, timeout=30)
	assert saved.status_code == 200, saved.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Contact Log", saved.json()["message"], place) == "Borgo"


# --- the settings offer the real fields and refuse the others ------------------------------------


def settings_with(form: str, fieldname: str):
	settings = frappe.get_single("Tutoring Settings")
	settings.append("portal_fields", {"form": form, "fieldname": fieldname})
	return settings


@pytest.mark.parametrize(
	"form, fieldname",
	[
		("Become a tutor", "custom_does_not_exist"),
		("Become a tutor", "interview_notes"),  # staff-only
		("Become a tutor", "email"),  # standard: the form asks for it already
	],
)
def test_the_settings_refuse_a_field_the_form_cannot_show(form, fieldname):
	frappe.local.lang = "it"
	with pytest.raises(frappe.ValidationError, match="Portal Fields|Campi del portale") as refused:
		settings_with(form, fieldname).save()
	assert fieldname in str(refused.value)
	assert "non è un campo che il modulo" in str(refused.value)


def test_the_desk_offers_the_fields_each_form_can_show(admin_fields):
	become_a_tutor = portal_fields.field_choices("Become a tutor")
	offered = {choice["value"] for choice in become_a_tutor}
	assert offered >= {admin_fields.size, admin_fields.years}
	assert not offered & {"interview_notes", "email", "tutor_name"}
	assert {"value": admin_fields.years, "label": f"{YEARS_LABEL} ({admin_fields.years})"} in become_a_tutor
	assert admin_fields.size not in {
		choice["value"] for choice in portal_fields.field_choices("Log a contact")
	}
	assert [choice["value"] for choice in portal_fields.field_choices("Become a tutor", txt="years")] == [
		admin_fields.years
	]
	# The offered field saves; a field the settings listed before it was removed does not block a save.
	settings = settings_with("Become a tutor", admin_fields.years)
	settings.save()
	settings.grace_days = 4
	settings.save()


def test_only_who_edits_the_settings_lists_the_fields():
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		portal_fields.field_choices("Become a tutor")


@pytest.fixture()
def manager_session(site_server):
	email, password = "portal-fields.manager@ciac-test.example", "P0rtal-Fields-Pass!"
	delete_user(email)
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Manager",
			"send_welcome_email": 0,
			"new_password": password,
			"roles": [{"role": "CIAC Manager"}],
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the server reads the user
	yield site_server.session(email, password)
	frappe.db.rollback()
	delete_user(email)
	frappe.db.commit()  # nosemgrep: undo what this test committed


def test_a_manager_saving_a_missing_field_over_rest_is_told_why(site_server, admin_fields, manager_session):
	session = manager_session
	rows = [{"form": "Become a tutor", "fieldname": admin_fields.size}]
	response = session.put(
		f"{site_server.url}/api/resource/Tutoring Settings/Tutoring Settings",
		json={"portal_fields": [*rows, {"form": "Become a tutor", "fieldname": "custom_does_not_exist"}]},
		timeout=30,
	)
	assert response.status_code == 417, response.text
	assert "custom_does_not_exist" in response.text and "Customize Form" in response.text
	frappe.db.rollback()
	saved = frappe.get_all("Portal Field", {"parent": "Tutoring Settings"}, pluck="fieldname")
	assert "custom_does_not_exist" not in saved
