"""Privacy over HTTP: the public form records the notice version shown; tutors download their own data."""

import frappe
import pytest
import requests
from frappe.utils import today

from ciac_tutoring.portal.http import rate_limit_key
from ciac_tutoring.tests.portal_data import PortalWorld, delete_rows
from ciac_tutoring.tests.test_portal_pages import availability

pytestmark = pytest.mark.http

FORM_EMAIL = "consent@privacy-form-test.example"


@pytest.fixture()
def published_notice(site_server):
	"""A new version of the tutors' notice, in effect today, with a text of its own."""
	reset_form()
	marker = frappe.generate_hash(length=8)
	notice = frappe.get_doc(
		{
			"doctype": "Privacy Notice",
			"purpose": "Tutor availability",
			"effective_from": today(),
			"text_it": f"<p>Informativa {marker}</p>",
			"text_en": f"<p>Notice {marker}</p>",
		}
	).insert()
	frappe.db.commit()  # nosemgrep: the server reads it
	yield notice
	reset_form()
	frappe.db.delete("Consent Record", {"privacy_notice": notice.name})
	frappe.db.delete("Privacy Notice", notice.name)
	frappe.db.commit()  # nosemgrep: undo what this test committed


def reset_form(email: str = FORM_EMAIL):
	"""No rate-limit count, no tutor (nor their consents) left from an earlier post of `email`."""
	frappe.db.rollback()
	frappe.cache.delete_value(rate_limit_key("become-a-tutor", "127.0.0.1"))
	tutors = frappe.get_all("Tutor", filters={"email": email}, pluck="name")
	frappe.db.delete("Consent Record", {"party": ("in", tutors or [""])})
	delete_rows("Tutor", tutors)
	frappe.db.commit()  # nosemgrep: the server created these rows


def visitor_form(privacy_notice: str) -> dict:
	return availability(tutor_name="Consenting Visitor", email=FORM_EMAIL, privacy_notice=privacy_notice)


def test_the_form_shows_the_current_notice_and_records_the_version_shown(site_server, published_notice):
	page = requests.get(f"{site_server.url}/become-a-tutor?_lang=en", timeout=30).text
	assert published_notice.text_en in page
	assert f'name="privacy_notice" value="{published_notice.name}"' in page
	italian = requests.get(f"{site_server.url}/become-a-tutor?_lang=it", timeout=30).text
	assert published_notice.text_it in italian

	form = visitor_form(published_notice.name)
	response = requests.post(
		f"{site_server.url}/become-a-tutor?_lang=en",
		data=form,
		headers={"Origin": site_server.url},  # a browser posting from the form's own page
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302), response.text[:300]
	frappe.db.rollback()
	tutor = frappe.db.get_value("Tutor", {"email": FORM_EMAIL})
	consent = frappe.get_doc("Consent Record", {"party_type": "Tutor", "party": tutor})
	assert (consent.privacy_notice, consent.notice_version, consent.method, consent.language) == (
		published_notice.name,
		published_notice.version,
		"Web form",
		"en",
	)


def test_a_forged_notice_is_replaced_by_the_current_one(site_server, published_notice):
	intake = frappe.get_all("Privacy Notice", filters={"purpose": "Beneficiary intake"}, pluck="name")[0]
	form = visitor_form(intake)
	requests.post(
		f"{site_server.url}/become-a-tutor",
		data=form,
		headers={"Origin": site_server.url},
		allow_redirects=False,
		timeout=30,
	)
	frappe.db.rollback()
	tutor = frappe.db.get_value("Tutor", {"email": FORM_EMAIL})
	assert frappe.db.get_value("Consent Record", {"party": tutor}, "privacy_notice") == published_notice.name


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="privdl")
	yield world
	world.delete()


def test_a_tutor_downloads_their_own_data_and_nobody_elses(site_server, world):
	session = site_server.session(world.a.user, world.password)
	url = f"{site_server.url}/api/method/ciac_tutoring.portal.personal_data.download_my_data"
	response = session.get(url, params={"export_format": "json"}, timeout=30)
	assert response.status_code == 200, response.text[:300]
	data = response.json()
	assert data["record"]["name"] == world.a.tutor
	assert "contact notes a" in response.text
	assert world.a.beneficiary_last_name not in response.text
	assert world.b.tutor not in response.text
	html = session.get(url, params={"export_format": "html"}, timeout=30)
	assert html.status_code == 200 and "Tutor privdl-a" in html.text
	assert session.get(url, params={"tutor": world.b.tutor}, timeout=30).status_code == 403
	staff_only = f"{site_server.url}/api/method/ciac_tutoring.privacy.export.download_personal_data"
	assert (
		session.get(staff_only, params={"doctype": "Tutor", "name": world.a.tutor}, timeout=30).status_code
		== 403
	)
	assert requests.get(url, timeout=30).status_code == 403


def test_staff_download_a_beneficiarys_data_from_the_desk(site_server, world):
	staff = site_server.session("Administrator")
	url = f"{site_server.url}/api/method/ciac_tutoring.privacy.export.download_personal_data"
	params = {"doctype": "Beneficiary", "name": world.a.beneficiary, "export_format": "html"}
	response = staff.get(url, params=params, timeout=30)
	assert response.status_code == 200, response.text[:300]
	assert world.a.beneficiary_last_name in response.text
	assert "Tutor privdl-a" not in response.text
	frappe.db.rollback()
	assert frappe.db.exists("Access Log", {"reference_document": world.a.beneficiary, "file_type": "html"})
