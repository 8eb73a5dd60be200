"""Volunteer hours (contacts and attended training), the certificate in Italian and English, as
staff print it and as the tutor downloads it from the portal; the register's PDF extract."""

import hashlib
import io
import shutil

import frappe
import pytest
from frappe.utils import formatdate
from pypdf import PdfReader

from ciac_tutoring.tests import portal_data
from ciac_tutoring.third_sector import hours, register, register_extract
from ciac_tutoring.third_sector.tests.third_sector_data import attended_session, tutor_with_pairing

needs_pdf = pytest.mark.skipif(not shutil.which("wkhtmltopdf"), reason="wkhtmltopdf is not installed")


def pdf_text(pdf: bytes) -> str:
	"""The words of the PDF, one space apart (wkhtmltopdf's text comes with tabs and ligatures)."""
	text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
	return " ".join(text.replace("\ufb01", "fi").replace("\ufb02", "fl").split())


@pytest.fixture
def volunteer():
	tag = f"hours-{frappe.generate_hash(length=5)}"
	user = portal_data.make_portal_user(f"{tag}@portal-test.example", "Hours")
	data = tutor_with_pairing(tag, user=user)
	for minutes in (20, 40, 90):
		portal_data.make_contact_log(data.pairing, duration_minutes=minutes)
	attended_session(data.tutor, 3)
	attended_session(data.tutor, 2.5)
	attended_session(data.tutor, 4, attendance="Registered")  # not attended: no hours
	frappe.db.set_value("Tutor", data.tutor, "tutor_name", "Giulia Ferrari")
	register.enrol(frappe.get_doc("Tutor", data.tutor), start_date="2026-03-01")
	return data


def test_hours_are_the_sum_of_contacts_and_attended_training(volunteer):
	result = hours.volunteer_hours(volunteer.tutor)
	assert result.contacts == 3 and result.contact_hours == 2.5  # 150 minutes
	assert result.training_hours == 5.5 and len(result.sessions) == 2
	assert result.total_hours == 8.0


@pytest.mark.parametrize(
	"lang, expected",
	[
		(
			"it",
			(
				"Attestato di volontariato",
				"Giulia Ferrari",
				"dal {since}",
				"Ore con il beneficiario (3 contatti)",
				"Totale ore di volontariato",
			),
		),
		(
			"en",
			(
				"Certificate of Volunteering",
				"Giulia Ferrari",
				"since {since}",
				"Hours with the beneficiary (3 contacts)",
				"Total volunteer hours",
			),
		),
	],
)
def test_the_certificate_states_hours_and_training_in_each_language(volunteer, lang, expected):
	html = hours.render_certificate(volunteer.tutor, lang=lang)
	for text in expected:
		text = text.format(since=formatdate("2026-03-01"))
		assert text in html, text
	assert "8.0" in html.split("total-hours")[1][:40] or "8,0" in html.split("total-hours")[1][:40]
	# the name in bold, not its tags printed as text (a UX walk read "&lt;b class=...")
	assert '<b class="tutor-name">Giulia Ferrari</b>' in html and "&lt;b" not in html


def test_a_tutor_may_not_read_another_tutors_certificate(volunteer):
	other = tutor_with_pairing(f"hours-other-{frappe.generate_hash(length=5)}")
	frappe.set_user(volunteer.user)
	try:
		with pytest.raises(frappe.PermissionError):
			hours.ciac_volunteer_certificate(other.tutor)
		assert hours.ciac_volunteer_certificate(volunteer.tutor)["total_hours"] == 8.0
	finally:
		frappe.set_user("Administrator")
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			hours.download_my_certificate()
	finally:
		frappe.set_user("Administrator")


@pytest.fixture
def reachable_site(site_server, monkeypatch):
	"""wkhtmltopdf fetches the print styles from the site's URL (see tutoring/test_agreement.py)."""
	monkeypatch.setitem(frappe.local.conf, "host_name", site_server.url)


@needs_pdf
def test_staff_print_the_certificate_to_pdf(volunteer, reachable_site):
	text = pdf_text(hours.render_certificate(volunteer.tutor, as_pdf=True, lang="it"))
	for expected in (
		"Attestato di volontariato",
		"Giulia Ferrari",
		"Ore di formazione frequentate",
		"Per il CIAC Onlus",
	):
		assert expected in text, expected
	assert "Formazione " + volunteer.tutor in text
	assert "tutor-name" not in text  # markup printed as text


@needs_pdf
def test_the_tutor_downloads_their_own_certificate(volunteer, reachable_site):
	# In-process as the tutor: over HTTP the single-threaded test server would render a PDF whose
	# styles wkhtmltopdf fetches from that same server (see tutoring/test_agreement.py).
	frappe.set_user(volunteer.user)
	try:
		hours.download_my_certificate(lang="en")
	finally:
		frappe.set_user("Administrator")
	assert frappe.local.response.type == "pdf"
	text = pdf_text(frappe.local.response.filecontent)
	assert "Certificate of Volunteering" in text and "Giulia Ferrari" in text


def delete_tutor(tutor: str) -> None:
	"""A committed test tutor and all its child rows (Table MultiSelect ones included)."""
	for df in frappe.get_meta("Tutor").fields:
		if df.fieldtype in ("Table", "Table MultiSelect"):
			frappe.db.delete(df.options, {"parenttype": "Tutor", "parent": tutor})
	frappe.db.delete("Tutor", {"name": tutor})


def cleanup_volunteer(volunteer) -> None:
	sessions = frappe.get_all("Training Attendance", {"tutor": volunteer.tutor}, pluck="parent")
	beneficiary = frappe.db.get_value("Pairing", volunteer.pairing, "beneficiary")
	entries = frappe.get_all(register.ENTRY, {"tutor": volunteer.tutor}, pluck="name")
	portal_data.delete_rows("Training Session", sessions)
	portal_data.delete_rows(
		"Contact Log", frappe.get_all("Contact Log", {"pairing": volunteer.pairing}, pluck="name")
	)
	portal_data.delete_rows("Pairing", [volunteer.pairing])
	portal_data.delete_rows("Beneficiary", [beneficiary])
	frappe.db.delete(register.ENTRY, {"name": ("in", entries)})  # the register's tail
	delete_tutor(volunteer.tutor)
	frappe.db.delete("User", {"name": volunteer.user})
	frappe.db.commit()  # nosemgrep


@needs_pdf
def test_the_register_extract_is_a_pdf_with_numbered_pages_and_its_hash_recorded(volunteer, reachable_site):
	for n in range(40):  # enough entries for a second page
		tutor = frappe.get_doc(
			"Tutor", portal_data.make_tutor(f"extract-{n}-{frappe.generate_hash(length=4)}")
		)
		register.enrol(tutor)
	name = register_extract.make_extract(None, frappe.utils.today())
	extract = frappe.get_doc(register_extract.EXTRACT, name)
	file = frappe.get_doc("File", {"file_url": extract.pdf_file})
	pdf = file.get_content()
	assert extract.sha256 == hashlib.sha256(pdf).hexdigest()
	assert extract.register_intact and extract.entries_count >= 41
	reader = PdfReader(io.BytesIO(pdf))
	pages = len(reader.pages)
	assert pages >= 2
	text = pdf_text(pdf)
	assert "Registro dei volontari" in text and "Giulia Ferrari" in text and "Iscrizione" in text
	# one printed page per page of entries, each numbered
	assert pages == -(-extract.entries_count // register_extract.ENTRIES_PER_PAGE)
	for number in range(1, pages + 1):
		assert f"Registro dei volontari · {name} · Pagina {number} di {pages}" in text
	assert "Il registro è integro" in text
	with pytest.raises(frappe.ValidationError):
		extract.save()
