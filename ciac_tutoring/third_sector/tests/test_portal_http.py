"""/my-volunteering over HTTP on a real server: hours, a claim with its receipt, a refusal next to its
field with nothing saved, the claims closed to Frappe's generic routes."""

import re

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from ciac_tutoring.portal.http import rate_limit_key
from ciac_tutoring.tests import portal_data
from ciac_tutoring.third_sector import expenses
from ciac_tutoring.third_sector.tests.test_hours_and_certificate import cleanup_volunteer
from ciac_tutoring.third_sector.tests.third_sector_data import tutor_with_pairing

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')
RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def volunteer(site_server):
	tag = f"vol-http-{frappe.generate_hash(length=5)}"
	user = portal_data.make_portal_user(f"{tag}@portal-test.example", "Volontaria")
	data = tutor_with_pairing(tag, user=user)
	portal_data.make_contact_log(data.pairing, duration_minutes=45)
	frappe.db.set_single_value("Tutoring Settings", {"expense_daily_limit": 10, "expense_monthly_limit": 150})
	frappe.db.commit()  # nosemgrep: the web server must see them; deleted below
	session = site_server.session(user, portal_data.PASSWORD)
	session.base = site_server.url
	yield frappe._dict(data, session=session)
	frappe.db.rollback()
	claims = frappe.get_all(expenses.CLAIM, {"tutor": data.tutor}, pluck="name")
	if claims:
		files = frappe.get_all(
			"File", {"attached_to_doctype": expenses.CLAIM, "attached_to_name": ("in", claims)}, pluck="name"
		)
		for file in files:
			frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	portal_data.delete_rows(expenses.CLAIM, claims)
	frappe.cache.delete_value(rate_limit_key("my-volunteering", user))
	cleanup_volunteer(data)


def page(volunteer, lang="it"):
	response = volunteer.session.get(f"{volunteer.session.base}/my-volunteering?_lang={lang}", timeout=30)
	assert response.status_code == 200, response.text[:300]
	return response.text


def test_the_page_shows_the_hours_and_the_certificate_links_in_italian(volunteer):
	html = page(volunteer)
	assert "Le tue ore di volontariato" in html and 'id="total-hours">0.75<' in html
	assert "download_my_certificate?lang=it" in html and "Attestato (inglese)" in html
	assert "Ancora nessuna richiesta." in html
	assert '<a href="/my-volunteering" class="active">Spese e ore</a>' in html  # in the portal's menu


def test_the_hours_and_the_claims_read_in_the_sites_number_and_date_formats(volunteer):
	"""CIAC's bench took Italy's formats from the setup wizard: 45 minutes read 0,75, not 0.75."""
	before = frappe.db.get_singles_dict("System Settings")
	italian = {"number_format": "#.###,##", "date_format": "dd/mm/yyyy"}
	claim = frappe.get_doc(
		{
			"doctype": expenses.CLAIM,
			"tutor": volunteer.tutor,
			"pairing": volunteer.pairing,
			"expense_date": add_days(nowdate(), -3),
			"amount": 8.5,
			"purpose": "Abbonamento autobus",
			"documentation": "Self-certification",
			"self_certified": 1,
		}
	)
	try:
		frappe.db.set_single_value("System Settings", italian)
		frappe.db.set_default("number_format", italian["number_format"])
		frappe.db.set_default("date_format", italian["date_format"])
		claim.insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the web server must see them; put back below
		frappe.clear_cache()
		html = page(volunteer)
		assert 'id="total-hours">0,75<' in html and 'id="contact-hours">0,75<' in html
		shown = html.split(f'id="claim-{claim.name}"')[1][:200]
		assert getdate(claim.expense_date).strftime("%d/%m/%Y") in shown and "€ 8,50" in shown
	finally:
		frappe.db.rollback()
		frappe.db.set_single_value("System Settings", {field: before.get(field) for field in italian})
		for field in italian:
			frappe.db.set_default(field, before.get(field))
		frappe.db.commit()  # nosemgrep: the site's own formats back for the tests after this one
		frappe.clear_cache()


def test_a_claim_with_its_receipt_is_saved_pending_approval(volunteer):
	csrf = CSRF_PATTERN.search(page(volunteer)).group(1)
	response = volunteer.session.post(
		f"{volunteer.session.base}/my-volunteering",
		data={
			"csrf_token": csrf,
			"pairing": volunteer.pairing,
			"expense_date": nowdate(),
			"purpose": "Biglietti del treno per Fidenza",
			"amount": "23,40",  # as an Italian types it: the field is text, the server reads the comma
			"documentation": "Receipt",
		},
		files={"receipt": ("biglietti.pdf", RECEIPT, "application/pdf")},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302, 303), response.text[:500]
	frappe.db.rollback()
	[claim] = frappe.get_all(
		expenses.CLAIM, {"tutor": volunteer.tutor}, ["name", "amount", "workflow_state", "receipt", "owner"]
	)
	assert (claim.amount, claim.workflow_state) == (23.4, expenses.PENDING)
	file = frappe.get_doc("File", {"file_url": claim.receipt})
	assert (file.is_private, file.attached_to_name, file.owner) == (1, claim.name, volunteer.user)
	content = file.get_content()
	assert (content.encode() if isinstance(content, str) else content) == RECEIPT
	assert "In attesa di approvazione" in page(volunteer)
	# Frappe's generic routes stay closed to the tutor, for their own claim too
	rest = volunteer.session.get(
		f"{volunteer.session.base}/api/resource/{expenses.CLAIM}/{claim.name}", timeout=30
	)
	assert rest.status_code == 403


def test_a_self_certified_claim_over_the_limit_is_refused_next_to_the_amount(volunteer):
	csrf = CSRF_PATTERN.search(page(volunteer)).group(1)
	response = volunteer.session.post(
		f"{volunteer.session.base}/my-volunteering",
		data={
			"csrf_token": csrf,
			"expense_date": nowdate(),
			"purpose": "Pranzo insieme",
			"amount": "12",
			"documentation": "Self-certification",
			"self_certified": "1",
		},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code == 200
	assert 'id="error-amount"' in response.text and "oltre il limite di" in response.text
	frappe.db.rollback()
	assert frappe.db.count(expenses.CLAIM, {"tutor": volunteer.tutor}) == 0


def test_another_tutors_pairing_is_refused(volunteer):
	other = tutor_with_pairing(f"vol-other-{frappe.generate_hash(length=5)}")
	frappe.db.commit()  # nosemgrep: deleted below
	try:
		csrf = CSRF_PATTERN.search(page(volunteer)).group(1)
		response = volunteer.session.post(
			f"{volunteer.session.base}/my-volunteering",
			data={
				"csrf_token": csrf,
				"pairing": other.pairing,
				"expense_date": nowdate(),
				"purpose": "x",
				"amount": "5",
				"documentation": "Self-certification",
				"self_certified": "1",
			},
			allow_redirects=False,
			timeout=30,
		)
		assert response.status_code not in (301, 302, 303)
		frappe.db.rollback()
		assert frappe.db.count(expenses.CLAIM, {"pairing": other.pairing}) == 0
	finally:
		cleanup_volunteer(other)
