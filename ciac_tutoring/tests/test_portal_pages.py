"""The tutors' portal pages over HTTP: the availability form, logging a contact, training, language."""

import re

import frappe
import pytest
import requests
from frappe.utils import add_days, nowdate

from ciac_tutoring.portal.availability import AVAILABILITY_LIMIT, email_known_message
from ciac_tutoring.portal.http import PAGE_ACTION_LIMIT, rate_limit_key
from ciac_tutoring.tests.portal_data import PortalWorld, delete_rows, make_training_session

pytestmark = pytest.mark.http

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')
FORM_EMAIL = "new-tutor@portal-form-test.example"


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="ppage")
	yield world
	world.delete()


@pytest.fixture()
def tutor_a(site_server, world):
	session = site_server.session(world.a.user, world.password)
	session.base = site_server.url
	page = session.get(f"{site_server.url}/my-tutoring?_lang=en", timeout=30)
	session.csrf = CSRF_PATTERN.search(page.text).group(1)
	return session


@pytest.fixture()
def clean_form(site_server):
	"""No rate-limit count and no tutor left from a previous attempt."""

	def reset():
		frappe.db.rollback()
		frappe.cache.delete_value(rate_limit_key("become-a-tutor", "127.0.0.1"))
		tutors = frappe.get_all(
			"Tutor", filters={"email": ("like", "%@portal-form-test.example")}, pluck="name"
		)
		delete_rows("Tutor", tutors)
		frappe.db.commit()  # nosemgrep: the server created these rows

	reset()
	yield
	reset()


def availability(**overrides) -> dict:
	form = {
		"tutor_type": "Individual",
		"tutor_name": "Giulia Verdi",
		"email": FORM_EMAIL,
		"mobile": "+39 333 7654321",
		"municipality": "Parma",
		"language_0": "it",
		"level_0": "Native",
		"support_areas": frappe.get_all("Support Area", pluck="name", limit=2),
		"motivation": "I would like to help.",
		"heard_about": "Word of mouth",
		"privacy_consent": "1",
	}
	form.update(overrides)
	return form


def post_form(site_server, form: dict, lang: str = "en", **headers) -> requests.Response:
	"""A guest's POST from the form's own page (a browser sends its Origin)."""
	return requests.post(
		f"{site_server.url}/become-a-tutor?_lang={lang}",
		data=form,
		headers={"Origin": site_server.url, **headers},
		allow_redirects=False,
		timeout=30,
	)


# --- become a tutor -----------------------------------------------------------------------------


def test_availability_creates_tutor_in_phase_one(site_server, clean_form):
	response = post_form(site_server, availability())
	assert response.status_code in (301, 302), response.text[:500]
	assert response.headers["Location"].endswith("/become-a-tutor?sent=1")
	frappe.db.rollback()
	tutor = frappe.get_doc("Tutor", {"email": FORM_EMAIL})
	assert tutor.workflow_state == "Availability Notified"
	assert tutor.privacy_consent == 1 and str(tutor.privacy_consent_date) == nowdate()
	assert [row.language for row in tutor.languages] == ["it"]
	assert len(tutor.support_areas) == 2
	assert not tutor.user  # a portal login comes later, with phase 3
	confirmation = requests.get(f"{site_server.url}/become-a-tutor?sent=1", timeout=30)
	assert 'id="availability-sent"' in confirmation.text


def test_availability_errors_are_shown_next_to_fields_and_typed_values_kept(site_server, clean_form):
	form = availability(email="not-an-email", mobile="", privacy_consent="", support_areas=[])
	response = post_form(site_server, form)
	assert response.status_code == 200
	page = response.text
	for field in ("email", "mobile", "privacy_consent", "support_areas"):
		assert f'id="error-{field}"' in page, field
	assert 'value="Giulia Verdi"' in page
	assert 'value="not-an-email"' in page
	assert "I would like to help." in page
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"tutor_name": "Giulia Verdi"})


def test_the_form_refuses_a_mobile_number_as_the_desk_does(site_server, clean_form):
	"""The Tutor controller owns the rule: the form shows its message next to the field."""
	refused = post_form(site_server, availability(mobile="12345"))
	assert 'id="error-mobile"' in refused.text
	assert "6 to 15 digits" in refused.text
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})
	# Written as people write it, with brackets and dashes: accepted, as in the desk.
	accepted = post_form(site_server, availability(mobile="(0521) 123-456"))
	assert accepted.status_code in (301, 302), accepted.text[:500]
	frappe.db.rollback()
	assert frappe.db.get_value("Tutor", {"email": FORM_EMAIL}, "mobile") == "(0521) 123-456"


def test_collective_needs_a_contact_person(site_server, clean_form):
	response = post_form(site_server, availability(tutor_type="Family", tutor_name="Famiglia Verdi"))
	assert 'id="error-contact_person"' in response.text
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_known_email_gets_a_clear_answer_that_reveals_nothing(site_server, clean_form):
	assert post_form(site_server, availability()).status_code in (301, 302)
	again = post_form(site_server, availability(tutor_name="Someone Else", email=FORM_EMAIL.upper()))
	assert again.status_code == 200
	assert email_known_message() in again.text.replace("&#39;", "'")
	assert "Giulia Verdi" not in again.text
	assert "Availability Notified" not in again.text
	frappe.db.rollback()
	assert frappe.db.count("Tutor", {"email": FORM_EMAIL}) == 1


def test_honeypot_creates_nothing_but_answers_as_usual(site_server, clean_form):
	response = post_form(site_server, availability(website="http://spam.example"))
	assert response.status_code in (301, 302)
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_rate_limit_per_ip(site_server, clean_form):
	invalid = availability(privacy_consent="")
	for _attempt in range(AVAILABILITY_LIMIT):
		assert 'id="error-privacy_consent"' in post_form(site_server, invalid).text
	refused = post_form(site_server, availability())
	assert refused.status_code == 200
	assert "Too many requests" in refused.text
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_a_forged_forwarded_for_header_does_not_escape_the_rate_limit(site_server, clean_form):
	invalid = availability(privacy_consent="")
	for attempt in range(AVAILABILITY_LIMIT):
		response = post_form(site_server, invalid, **{"X-Forwarded-For": f"203.0.113.{attempt}"})
		assert 'id="error-privacy_consent"' in response.text
	refused = post_form(site_server, availability(), **{"X-Forwarded-For": "198.51.100.7"})
	assert "Too many requests" in refused.text
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_a_post_from_another_site_is_refused(site_server, clean_form):
	for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/form"}, {}):
		response = requests.post(
			f"{site_server.url}/become-a-tutor",
			data=availability(),
			headers=headers,
			allow_redirects=False,
			timeout=30,
		)
		assert response.status_code == 403, headers
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_typed_values_come_back_escaped(site_server, clean_form):
	script = '"><script>alert(1)</script>'
	form = availability(
		tutor_name=script, availability_notes="</textarea><script>alert(2)</script>", privacy_consent=""
	)
	page = post_form(site_server, form).text
	assert "<script>alert(" not in page
	assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
	assert "&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_too_long_or_malformed_input_is_refused_next_to_the_field(site_server, clean_form):
	for field, value in (
		("address", "Via Roma " * 12_000),
		("availability_notes", "sempre " * 15_000),
		("motivation", "x" * 5001),
		("tutor_name", "N" * 141),
	):
		response = post_form(site_server, availability(**{field: value}))
		assert response.status_code == 200, (field, response.status_code)
		assert f'id="error-{field}"' in response.text, field
	frappe.db.rollback()
	assert not frappe.db.exists("Tutor", {"email": FORM_EMAIL})


def test_form_speaks_italian_on_request(site_server):
	page = requests.get(f"{site_server.url}/become-a-tutor?_lang=it", timeout=30)
	assert "Diventa tutor" in page.text
	assert "Invia la mia disponibilità" in page.text
	assert page.cookies.get("preferred_language") == "it"
	english = requests.get(f"{site_server.url}/become-a-tutor?_lang=en", timeout=30)
	assert "Send my availability" in english.text


def test_the_languages_offered_are_languages_people_speak(site_server):
	page = requests.get(f"{site_server.url}/become-a-tutor?_lang=it", timeout=30)
	assert '<option value="ar" ' in page.text and '<option value="fr" ' in page.text
	assert '<option value="eo" ' not in page.text  # Frappe's "In-Context Translation"


# --- log a contact ------------------------------------------------------------------------------


def test_home_reaches_the_contact_form_in_one_tap(tutor_a, world):
	home = tutor_a.get(f"{tutor_a.base}/", timeout=30)
	assert 'id="my-tutoring"' in home.text  # role home page
	link = f"/log-contact?pairing={world.a.pairing}"
	assert link in home.text
	form = tutor_a.get(f"{tutor_a.base}{link}", timeout=30)
	assert f'<option value="{world.a.pairing}" selected' in form.text
	assert 'value="Phone or video call" checked' in form.text
	assert 'value="Fine" checked' in form.text


def test_logging_a_contact_saves_it_and_updates_the_commitments(tutor_a, world):
	today = nowdate()
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={
			"csrf_token": tutor_a.csrf,
			"pairing": world.a.pairing,
			"contact_date": today,
			"kind": "In-person meeting",
			"duration_minutes": "45",
			"wellbeing": "Some concern",
			"support_areas": frappe.get_all("Support Area", pluck="name", limit=1),
			"notes": "Coffee in town",
		},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302), response.text[:500]
	frappe.db.rollback()
	log = frappe.get_last_doc("Contact Log", filters={"pairing": world.a.pairing, "notes": "Coffee in town"})
	assert log.logged_by == world.a.user
	assert log.duration_minutes == 45 and log.wellbeing == "Some concern"
	assert len(log.support_areas) == 1
	assert str(frappe.db.get_value("Pairing", world.a.pairing, "last_meeting")) == today
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring?logged=1", timeout=30)
	assert 'id="contact-logged"' in home.text
	assert "Coffee in town" in home.text


def test_contact_in_the_future_is_refused_next_to_the_date(tutor_a, world):
	before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={
			"csrf_token": tutor_a.csrf,
			"pairing": world.a.pairing,
			"contact_date": add_days(nowdate(), 2),
			"kind": "Phone or video call",
			"wellbeing": "Fine",
			"notes": "typed before the error",
		},
		timeout=30,
	)
	assert 'id="error-contact_date"' in response.text
	assert "typed before the error" in response.text
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before


@pytest.mark.parametrize(
	"field,value",
	[
		("contact_date", "10/01/2026"),
		("contact_date", "2026-02-30"),
		("duration_minutes", "1000000000"),
		("duration_minutes", "abc"),
		("notes", "x" * 100_000),
		("kind", "CIAC monitoring meeting"),
		("initiated_by", "CIAC"),
	],
)
def test_bad_contact_input_is_refused_next_to_the_field(tutor_a, world, field, value):
	before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
	form = {
		"csrf_token": tutor_a.csrf,
		"pairing": world.a.pairing,
		"contact_date": nowdate(),
		"kind": "Phone or video call",
		"wellbeing": "Fine",
		"notes": "</textarea><script>alert(3)</script>",
		field: value,
	}
	response = tutor_a.post(f"{tutor_a.base}/log-contact", data=form, allow_redirects=False, timeout=30)
	assert response.status_code == 200, response.text[:300]
	assert f'id="error-{field}"' in response.text
	assert "<script>alert(3)" not in response.text
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before


def test_post_without_csrf_token_is_refused(tutor_a, world):
	before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={"pairing": world.a.pairing, "contact_date": nowdate(), "kind": "Message", "wellbeing": "Fine"},
		allow_redirects=False,
		timeout=30,
	)
	# Frappe answers a page POST without the token with its error page (status 200 in this build)
	assert response.status_code not in (301, 302)
	assert 'id="log-contact"' not in response.text
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before


# --- training -----------------------------------------------------------------------------------


def test_register_and_unregister_for_training(tutor_a, world):
	page = tutor_a.get(f"{tutor_a.base}/training", timeout=30)
	assert f'data-session="{world.session}"' in page.text
	register = tutor_a.post(
		f"{tutor_a.base}/training",
		data={"csrf_token": tutor_a.csrf, "action": "register", "session": world.session},
		allow_redirects=False,
		timeout=30,
	)
	assert register.status_code in (301, 302), re.findall(r"form-error[^>]*>([^<]*)", register.text)
	frappe.db.rollback()
	assert frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})
	again = tutor_a.get(f"{tutor_a.base}/training?done=register", timeout=30)
	assert "You are registered" in again.text
	unregister = tutor_a.post(
		f"{tutor_a.base}/training",
		data={"csrf_token": tutor_a.csrf, "action": "unregister", "session": world.session},
		allow_redirects=False,
		timeout=30,
	)
	assert unregister.status_code in (301, 302)
	frappe.db.rollback()
	assert not frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})


def test_full_session_refuses_registration(tutor_a, world):
	full = make_training_session(f"{world.prefix} full session", capacity=1)
	session = frappe.get_doc("Training Session", full)
	session.append(
		"attendees", {"tutor": world.b.tutor, "registered_on": nowdate(), "attendance": "Registered"}
	)
	session.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the server reads it; world.delete() removes sessions by prefix
	page = tutor_a.get(f"{tutor_a.base}/training", timeout=30)
	card = page.text.split(f'data-session="{full}"')[1].split("ciac-card")[0]
	assert "Full" in card and 'value="register"' not in card
	response = tutor_a.post(
		f"{tutor_a.base}/training",
		data={"csrf_token": tutor_a.csrf, "action": "register", "session": full},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code == 200
	assert 'id="form-error"' in response.text
	frappe.db.rollback()
	assert not frappe.db.exists("Training Attendance", {"parent": full, "tutor": world.a.tutor})


# --- language -----------------------------------------------------------------------------------


def test_tutor_switches_the_portal_to_italian(tutor_a, world):
	try:
		italian = tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=it", timeout=30)
		assert "Il mio tutoraggio" in italian.text
		# the portal's menu is a named landmark beside Frappe's navbar (axe: landmark-unique)
		assert 'nav class="ciac-nav" aria-label="Portale dei tutor"' in italian.text
		# the choice sticks to the tutor's account
		again = tutor_a.get(f"{tutor_a.base}/training", timeout=30)
		assert "Le tue ore di formazione" in again.text
	finally:
		tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=en", timeout=30)


def test_page_actions_are_rate_limited_per_user(tutor_a, world):
	key = frappe.cache.make_key(rate_limit_key("log-contact", world.a.user))
	frappe.cache.set(key, PAGE_ACTION_LIMIT)
	try:
		before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
		response = tutor_a.post(
			f"{tutor_a.base}/log-contact",
			data={
				"csrf_token": tutor_a.csrf,
				"pairing": world.a.pairing,
				"contact_date": nowdate(),
				"kind": "Message",
				"wellbeing": "Fine",
			},
			allow_redirects=False,
			timeout=30,
		)
		assert response.status_code == 200
		assert "Too many requests" in response.text
		frappe.db.rollback()
		assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before
	finally:
		frappe.cache.delete_value(rate_limit_key("log-contact", world.a.user))


def test_home_shows_own_notices_only(tutor_a, world):
	def notice(tutor: str, rule: str, message: str) -> None:
		frappe.get_doc(
			{
				"doctype": "Tutoring Reminder Log",
				"key": f"{world.prefix}-{message}",
				"rule": rule,
				"period": nowdate(),
				"sent_on": frappe.utils.now_datetime(),
				"tutor": tutor,
				"recipient": "someone@portal-test.example",
				"subject": message,
				"message": message,
			}
		).insert(ignore_permissions=True)

	notice(world.a.tutor, "Tutor reminder", "notice-for-a")
	notice(world.b.tutor, "Tutor reminder", "notice-for-b")
	notice(world.a.tutor, "Pairing overdue", "coordinator-alert-about-a")
	frappe.db.commit()  # nosemgrep: the server reads them; world.delete() removes the tutors' logs
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring", timeout=30).text
	assert "notice-for-a" in home
	assert "notice-for-b" not in home
	assert "coordinator-alert-about-a" not in home
