"""Issue 23 over HTTP on a real server: the print route, stored markup, strict numbers, the export.

Two tutors (A and B) and a coordinator (named on A's pairing, as the demo fills pairings) log in.
- Every print format and Jinja method the app ships renders only for a record of its own doctype
  that the caller may read and print: a tutor naming a Language called like a Beneficiary or a
  Pairing, or the other tutor's records, gets a refusal with nothing rendered.
- Markup a tutor or a guest types (names, notes, answers) is stored as plain text, and the app's
  templates escape what they print: no link and no remote image in the print view, the agreement
  PDF or the portal.
- Durations are whole numbers in ASCII digits: "²", "٣", "1e3", "0x10" and "１０" are refused next
  to the field, nothing saved.
- A tutor's own data download names no staff user, and leaves out the staff's monitoring notes.
"""

import io
import json
import re
import shutil

import frappe
import pytest
import requests
from frappe.utils import nowdate

from ciac_tutoring.tests.portal_data import PortalWorld, make_contact_log
from ciac_tutoring.validation import PLAIN_TEXT_FIELDTYPES, parse_whole_number, plain_text, strip_markup

pytestmark = pytest.mark.http

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')
PREFIX = "prsec"
COORDINATOR = f"{PREFIX}-coordinator@ciac-test.example"
COORDINATOR_PASSWORD = "Coordinator-Test-9431!"
EVIL = "evil.example"
LINK = f'<a href="https://{EVIL}/phish">Click</a>'
IMAGE = f'<img src="https://{EVIL}/pixel.png">'
MONITORING_NOTES = "staff-only remark on the monitoring meeting"
SHIPPED_FORMATS = {"Beneficiary Summary": "Beneficiary", "Tutoring Agreement": "Pairing"}
JINJA_METHODS = (
	"ciac_beneficiary_summary",
	"ciac_agreement",
	"ciac_coordinator_emails",
	"ciac_presentation_date",
	"ciac_upcoming_trainings",
)
STRANGE_NUMBERS = ("²", "٣", "1e3", "0x10", "１０")
DURATION_MESSAGE = "Enter the duration in minutes as a whole number up to 1440."


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix=PREFIX)
	make_coordinator()
	a = world.a
	# The coordinator is named on A's pairing, as the demo and CIAC fill pairings.
	frappe.db.set_value("Pairing", a.pairing, "coordinator", COORDINATOR)
	tutor = frappe.get_doc("Tutor", a.tutor)
	tutor.tutor_name = f"Tutor {LINK}{IMAGE} Rossi"
	tutor.availability_notes = f"Evenings {LINK}"
	tutor.motivation = f"&lt;img src=https://{EVIL}/x.png&gt; I want to help"
	tutor.append(
		"phase_history",
		{
			"from_phase": "Interview",
			"to_phase": "Training",
			"changed_by": COORDINATOR,
			"changed_on": frappe.utils.now(),
		},
	)
	tutor.flags.ignore_permissions = True
	tutor.save()
	frappe.db.set_value("Pairing", a.pairing, "tutor_name", tutor.tutor_name)
	a.monitoring_log = make_contact_log(
		a.pairing, kind="CIAC monitoring meeting", initiated_by="CIAC", notes=MONITORING_NOTES
	)
	frappe.db.commit()  # nosemgrep: the test server reads this data from its own connection
	yield world
	for name in frappe.get_all("Print Format", filters={"name": ("like", f"{PREFIX} %")}, pluck="name"):
		frappe.delete_doc("Print Format", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: world.delete() starts with a rollback
	world.delete()
	frappe.db.delete("Has Role", {"parent": COORDINATOR})
	frappe.db.delete("User", {"name": COORDINATOR})
	frappe.db.commit()  # nosemgrep


def make_coordinator() -> None:
	if not frappe.db.exists("User", COORDINATOR):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": COORDINATOR,
				"first_name": "Chiara",
				"last_name": "Greco",
				"send_welcome_email": 0,
				"roles": [{"role": "CIAC Coordinator"}],
			}
		).insert(ignore_permissions=True)
	frappe.utils.password.update_password(COORDINATOR, COORDINATOR_PASSWORD)


def logged_in(site_server, user: str, password: str, page: str = "/my-tutoring"):
	session = site_server.session(user, password)
	session.base = site_server.url
	response = session.get(f"{site_server.url}{page}", timeout=30)
	assert response.status_code == 200, response.text[:500]
	token = CSRF_PATTERN.search(response.text)
	session.csrf = token.group(1) if token else ""
	session.headers["X-Frappe-CSRF-Token"] = session.csrf
	return session


@pytest.fixture(scope="module")
def tutor_a(site_server, world):
	return logged_in(site_server, world.a.user, world.password)


@pytest.fixture(scope="module")
def coordinator(site_server, world):
	return logged_in(site_server, COORDINATOR, COORDINATOR_PASSWORD, page="/app")


def names_of(world) -> list[str]:
	"""What a leak would show: both beneficiaries' names, both tutors', the coordinator's."""
	return [
		world.b.beneficiary_first_name,
		world.b.beneficiary_last_name,
		world.a.beneficiary_last_name,
		"Tutor prsec-b",
		"Greco",
		"Il tuo percorso",
		"Your path",
		"Patto di tutoraggio",
		"Tutoring Agreement</h2>",
	]


def assert_refused(response, world) -> None:
	assert response.status_code in (403, 404, 417), (response.status_code, response.text[:300])
	for text in names_of(world):
		assert text not in response.text, text


# --- the print route ----------------------------------------------------------------------------


def foreign_targets(world) -> list[tuple[str, str, str]]:
	"""(doctype, name, print format): documents of other doctypes named like the tutors' records,
	and the other tutor's (and the tutor's own) records, which a tutor may not print."""
	targets = []
	for print_format in SHIPPED_FORMATS:
		for name in (world.b.beneficiary, world.b.pairing, world.a.beneficiary, world.a.pairing):
			targets.append(("Language", name, print_format))
			targets.append(("Role", name, print_format))
		targets += [
			("Beneficiary", world.b.beneficiary, print_format),
			("Pairing", world.b.pairing, print_format),
			("Pairing", world.a.pairing, print_format),  # the tutor's copy is the portal's download
			("Tutor", world.b.tutor, print_format),
		]
	return targets


def test_every_shipped_format_is_refused_to_a_tutor_on_foreign_and_others_records(tutor_a, world):
	for doctype, name, print_format in foreign_targets(world):
		doc = json.dumps({"doctype": doctype, "name": name})
		response = tutor_a.get(
			f"{tutor_a.base}/api/method/frappe.www.printview.get_html_and_style",
			params={"doc": doc, "print_format": print_format},
			timeout=30,
		)
		assert_refused(response, world)
		page = tutor_a.get(
			f"{tutor_a.base}/printview",
			params={"doctype": doctype, "name": name, "format": print_format},
			timeout=30,
		)
		for text in names_of(world):
			assert text not in page.text, (doctype, name, print_format, text)


@pytest.fixture(scope="module")
def probe_formats(world):
	"""One print format per Jinja method, as an admin could make for any doctype: the method is
	handed the printed document, whatever it is."""
	formats = {}
	for method in JINJA_METHODS:
		name = f"{PREFIX} {method}"
		if not frappe.db.exists("Print Format", name):
			frappe.get_doc(
				{
					"doctype": "Print Format",
					"name": name,
					"doc_type": "Language",
					"module": "Tutoring",
					"standard": "No",
					"custom_format": 1,
					"print_format_type": "Jinja",
					"html": f"<div>{{{{ {method}(doc) }}}}</div>",
				}
			).insert(ignore_permissions=True)
		formats[method] = name
	frappe.db.commit()  # nosemgrep
	return formats


def test_every_jinja_method_refuses_a_foreign_document(tutor_a, coordinator, world, probe_formats):
	for client in (tutor_a, coordinator):
		for print_format in probe_formats.values():
			for name in (world.b.beneficiary, world.b.pairing, world.b.tutor):
				response = client.get(
					f"{client.base}/api/method/frappe.www.printview.get_html_and_style",
					params={
						"doc": json.dumps({"doctype": "Language", "name": name}),
						"print_format": print_format,
					},
					timeout=30,
				)
				assert_refused(response, world)
				assert COORDINATOR not in response.text and f"{PREFIX} training" not in response.text
			# /printview loads a saved record: an existing Language
			page = client.get(
				f"{client.base}/printview",
				params={"doctype": "Language", "name": "en", "format": print_format},
				timeout=30,
			)
			for text in (*names_of(world), COORDINATOR, f"{PREFIX} training", "{'coordinator'"):
				assert text not in page.text, (print_format, text)


def test_staff_still_print_both_formats_with_the_coordinator_named(coordinator, world):
	summary = coordinator.get(
		f"{coordinator.base}/api/method/frappe.www.printview.get_html_and_style",
		params={"doc": "Beneficiary", "name": world.a.beneficiary, "print_format": "Beneficiary Summary"},
		timeout=30,
	)
	assert summary.status_code == 200, summary.text[:500]
	assert world.a.beneficiary_first_name in summary.json()["message"]["html"]
	page = coordinator.get(
		f"{coordinator.base}/printview",
		params={"doctype": "Pairing", "name": world.a.pairing, "format": "Tutoring Agreement", "_lang": "it"},
		timeout=30,
	)
	assert page.status_code == 200
	assert "Chiara Greco" in page.text
	assert_inert(page.text)


# --- markup rendered inert ----------------------------------------------------------------------


def assert_inert(html: str) -> None:
	assert EVIL not in html or not re.search(rf"<(a|img)\b[^>]*{re.escape(EVIL)}", html), html[:2000]


def test_markup_is_stored_as_plain_text():
	assert plain_text(f"Tutor {LINK}{IMAGE} Rossi") == "Tutor Click Rossi"
	assert plain_text(f"&lt;img src=https://{EVIL}/x.png&gt; hi") == " hi"
	assert plain_text("a < b & c") == "a < b & c"


@pytest.mark.parametrize("doctype", ["Tutor", "Contact Log"])
def test_every_text_field_loses_its_markup_before_validation(doctype):
	doc = frappe.new_doc(doctype)
	fields = [df.fieldname for df in doc.meta.fields if df.fieldtype in PLAIN_TEXT_FIELDTYPES]
	assert fields
	for field in fields:
		doc.set(field, f"x {LINK}{IMAGE}")
	strip_markup(doc)
	for field in fields:
		assert doc.get(field) == "x Click", field


def test_free_text_is_stored_without_markup(world):
	frappe.db.rollback()
	tutor = frappe.db.get_value(
		"Tutor", world.a.tutor, ["tutor_name", "availability_notes", "motivation"], as_dict=True
	)
	assert tutor.tutor_name == "Tutor Click Rossi"
	assert tutor.availability_notes == "Evenings Click"
	assert tutor.motivation.strip() == "I want to help"


def test_markup_in_contact_notes_is_inert_in_the_portal_and_the_print_view(tutor_a, coordinator, world):
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={
			"csrf_token": tutor_a.csrf,
			"pairing": world.a.pairing,
			"contact_date": nowdate(),
			"kind": "Phone or video call",
			"wellbeing": "Fine",
			"notes": f"We talked {LINK} {IMAGE} done",
		},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302), response.text[:500]
	frappe.db.rollback()
	log = frappe.get_last_doc(
		"Contact Log", filters={"pairing": world.a.pairing, "kind": "Phone or video call"}
	)
	assert EVIL not in log.notes and "We talked Click" in log.notes
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring", timeout=30)
	assert "We talked Click" in home.text
	assert_inert(home.text)
	for format_name in ("Standard",):
		page = coordinator.get(
			f"{coordinator.base}/printview",
			params={"doctype": "Contact Log", "name": log.name, "format": format_name},
			timeout=30,
		)
		assert page.status_code == 200
		assert "We talked Click" in page.text
		assert EVIL not in page.text
	tutor_page = coordinator.get(
		f"{coordinator.base}/printview", params={"doctype": "Tutor", "name": world.a.tutor}, timeout=30
	)
	assert "Tutor Click Rossi" in tutor_page.text and EVIL not in tutor_page.text


GUEST_EMAIL = f"{PREFIX}-guest@portal-form-test.example"


@pytest.fixture()
def guest_tutor(site_server):
	"""The Tutor a guest's public form creates, removed afterwards."""
	from ciac_tutoring.portal.http import rate_limit_key
	from ciac_tutoring.tests.portal_data import delete_rows

	def reset():
		frappe.db.rollback()
		frappe.cache.delete_value(rate_limit_key("become-a-tutor", "127.0.0.1"))
		tutors = frappe.get_all("Tutor", filters={"email": GUEST_EMAIL}, pluck="name")
		frappe.db.delete("Consent Record", {"party_type": "Tutor", "party": ("in", tutors or [""])})
		delete_rows("Tutor", tutors)
		frappe.db.commit()  # nosemgrep: the server created these rows

	reset()
	yield
	reset()


def test_markup_a_guest_types_on_the_public_form_is_inert_in_the_print_view(
	site_server, coordinator, guest_tutor
):
	form = {
		"tutor_type": "Individual",
		"tutor_name": f"Giulia {LINK}{IMAGE}",
		"email": GUEST_EMAIL,
		"mobile": "+39 333 7654321",
		"address": f"Via Roma 1 {IMAGE}",
		"municipality": f"Parma {LINK}",
		"availability_notes": f"Evenings {LINK}",
		"motivation": f"I would like to help. {IMAGE}",
		"language_0": "it",
		"level_0": "Native",
		"support_areas": frappe.get_all("Support Area", pluck="name", limit=1),
		"heard_about": "Word of mouth",
		"privacy_consent": "1",
	}
	response = requests.post(
		f"{site_server.url}/become-a-tutor",
		data=form,
		headers={"Origin": site_server.url},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302), response.text[:500]
	frappe.db.rollback()
	tutor = frappe.get_doc("Tutor", {"email": GUEST_EMAIL})
	assert tutor.tutor_name == "Giulia Click" and tutor.municipality == "Parma Click"
	for field in ("address", "availability_notes", "motivation"):
		assert EVIL not in tutor.get(field) and "<" not in tutor.get(field), field
	page = coordinator.get(
		f"{coordinator.base}/printview", params={"doctype": "Tutor", "name": tutor.name}, timeout=30
	)
	assert page.status_code == 200 and "Giulia Click" in page.text
	assert EVIL not in page.text


def test_markup_stored_before_the_fix_is_escaped_by_the_agreement(coordinator, world):
	"""A name kept with its tags (saved before names were stored as plain text) prints as text."""
	frappe.db.set_value("Pairing", world.a.pairing, "tutor_name", f"Old {LINK}", update_modified=False)
	frappe.db.commit()  # nosemgrep
	try:
		page = coordinator.get(
			f"{coordinator.base}/printview",
			params={"doctype": "Pairing", "name": world.a.pairing, "format": "Tutoring Agreement"},
			timeout=30,
		)
		assert page.status_code == 200
		assert "&lt;a href=" in page.text
		assert_inert(page.text)
	finally:
		frappe.db.set_value(
			"Pairing", world.a.pairing, "tutor_name", "Tutor Click Rossi", update_modified=False
		)
		frappe.db.commit()  # nosemgrep


# --- the agreement PDF of a pairing with a coordinator (issue 22) -------------------------------


def pdf_text(content: bytes) -> tuple[str, bytes]:
	from pypdf import PdfReader

	assert content.startswith(b"%PDF"), content[:300]
	reader = PdfReader(io.BytesIO(content))
	return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages), content


needs_wkhtmltopdf = pytest.mark.skipif(
	not shutil.which("wkhtmltopdf"), reason="wkhtmltopdf is not installed: no PDF renderer"
)


@pytest.fixture(scope="module")
def pdf_server(world):
	"""A server that serves requests side by side, as a bench does: wkhtmltopdf fetches the print
	styles from the server that is rendering the PDF, which the one-request-at-a-time test server
	would leave waiting for itself."""
	from ciac_tutoring.tests.server import FrappeServer

	with FrappeServer(threaded=True) as server:
		yield server


@needs_wkhtmltopdf
@pytest.mark.parametrize(
	"lang, title, coordinator_label",
	[("it", "Patto di tutoraggio", "Coordinatore CIAC"), ("en", "Tutoring Agreement", "CIAC Coordinator")],
)
def test_the_agreement_pdf_of_a_pairing_with_a_coordinator(world, pdf_server, lang, title, coordinator_label):
	tutor_a = logged_in(pdf_server, world.a.user, world.password)
	coordinator = logged_in(pdf_server, COORDINATOR, COORDINATOR_PASSWORD, page="/app")
	tutor_copy = tutor_a.get(
		f"{tutor_a.base}/api/method/ciac_tutoring.pairing.agreement.download_agreement",
		params={"pairing": world.a.pairing, "lang": lang},
		timeout=60,
	)
	assert tutor_copy.status_code == 200, tutor_copy.text[:500]
	staff_copy = coordinator.get(
		f"{coordinator.base}/api/method/frappe.utils.print_format.download_pdf",
		params={
			"doctype": "Pairing",
			"name": world.a.pairing,
			"format": "Tutoring Agreement",
			"language": lang,
			"no_letterhead": 1,
		},
		timeout=60,
	)
	assert staff_copy.status_code == 200, staff_copy.text[:500]
	for response, beneficiary in (
		(tutor_copy, world.a.beneficiary_first_name),
		(staff_copy, f"{world.a.beneficiary_first_name} {world.a.beneficiary_last_name}"),
	):
		text, raw = pdf_text(response.content)
		assert title in text, text[:500]
		assert f"{coordinator_label} Chiara Greco" in text, text[:800]
		assert "Tutor Click Rossi" in text
		assert beneficiary in text
		assert EVIL.encode() not in raw and EVIL not in text
	assert world.a.beneficiary_last_name not in pdf_text(tutor_copy.content)[0]


def test_a_tutor_cannot_print_the_agreement_of_another_tutor_through_the_pdf_route(tutor_a, world):
	response = tutor_a.get(
		f"{tutor_a.base}/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Language", "name": world.b.pairing, "format": "Tutoring Agreement"},
		timeout=60,
	)
	assert_refused(response, world)


# --- strict numbers -----------------------------------------------------------------------------


def test_whole_numbers_are_ascii_digits_within_bounds():
	assert parse_whole_number(" 45 ", 0, 1440) == 45 and parse_whole_number(45.0) == 45
	for value in (*STRANGE_NUMBERS, "1.5", "-3", "1441", True, None, [], "9" * 5000, "1_0", ""):
		assert parse_whole_number(value, 0, 1440) is None, value


@pytest.mark.parametrize("value", STRANGE_NUMBERS)
def test_a_strange_duration_is_refused_on_the_page_and_by_the_method(tutor_a, world, value):
	frappe.db.rollback()
	before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
	form = {
		"pairing": world.a.pairing,
		"contact_date": nowdate(),
		"kind": "Phone or video call",
		"wellbeing": "Fine",
		"duration_minutes": value,
		"notes": "strange duration",
	}
	page = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={"csrf_token": tutor_a.csrf, **form},
		allow_redirects=False,
		timeout=30,
	)
	assert page.status_code == 200, page.text[:300]
	assert 'id="error-duration_minutes"' in page.text
	assert DURATION_MESSAGE in page.text
	try:
		italian = tutor_a.post(
			f"{tutor_a.base}/log-contact?_lang=it",
			data={"csrf_token": tutor_a.csrf, **form},
			cookies={"preferred_language": "it"},
			allow_redirects=False,
			timeout=30,
		)
		assert italian.status_code == 200
		assert "Inserisci la durata in minuti, come numero intero fino a 1440." in italian.text
	finally:
		# The switch is the tutor's choice, kept even when the form is refused: switch back.
		tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=en", timeout=30)
	method = tutor_a.post(
		f"{tutor_a.base}/api/method/ciac_tutoring.portal.contacts.log_contact",
		json=form,
		headers={"Accept": "application/json"},
		timeout=30,
	)
	assert method.status_code == 417, method.text[:300]
	assert DURATION_MESSAGE in method.text
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before


# --- the tutor's own data -----------------------------------------------------------------------


def test_monitoring_notes_stay_with_staff_on_the_portal(tutor_a, world):
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring", timeout=30)
	assert home.status_code == 200
	assert "CIAC monitoring meeting" in home.text
	assert MONITORING_NOTES not in home.text


def test_the_tutors_export_names_no_staff_and_leaves_out_monitoring_notes(tutor_a, world):
	response = tutor_a.get(
		f"{tutor_a.base}/api/method/ciac_tutoring.portal.personal_data.download_my_data",
		params={"export_format": "json"},
		timeout=60,
	)
	assert response.status_code == 200, response.text[:500]
	data = json.loads(response.content)
	history = data["record"]["phase_history"]
	assert history and all("changed_by" not in row for row in history)
	assert history[-1]["to_phase"] == "Training"
	for staff in (COORDINATOR, "Administrator", "Chiara", "Greco"):
		assert staff not in response.text, staff
	monitoring = [row for row in data["contacts"] if row["kind"] == "CIAC monitoring meeting"]
	assert monitoring and all(row["notes"] is None for row in monitoring)
	assert MONITORING_NOTES not in response.text
	assert data["record"]["user"] == world.a.user  # their own account stays
	readable = tutor_a.get(
		f"{tutor_a.base}/api/method/ciac_tutoring.portal.personal_data.download_my_data",
		params={"export_format": "html"},
		timeout=60,
	)
	assert COORDINATOR not in readable.text and MONITORING_NOTES not in readable.text


def test_staff_export_keeps_the_monitoring_notes_and_names_no_staff_user(world):
	from ciac_tutoring.privacy.export import collect_personal_data

	data = collect_personal_data("Tutor", world.a.tutor)
	assert MONITORING_NOTES in json.dumps(data)
	assert COORDINATOR not in json.dumps(data)
