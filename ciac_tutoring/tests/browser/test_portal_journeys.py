"""The tutors' three portal journeys in headless Chromium, on a phone (360 px) and a desktop (1280 px).

Screenshots of each step go to test-artifacts/portal-<journey>-<width>-<step>.png.
"""

import re

import frappe
import pytest

from ciac_tutoring.tests.browser.browser import ConsoleWatch, assert_fits_the_screen, screenshot
from ciac_tutoring.tests.portal_data import PortalWorld, delete_rows

pytestmark = pytest.mark.browser

WIDTHS = [360, 1280]
FORM_DOMAIN = "portal-browser-test.example"


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="pbrw")
	yield world
	world.delete()


@pytest.fixture
def portal_page(request, chromium):
	"""A page of the given width with its own cookies; severe console errors fail the test."""
	width = request.param
	context = chromium.new_context(
		viewport={"width": width, "height": 800 if width < 600 else 900},
		locale="it-IT" if width < 600 else "en-US",
		is_mobile=width < 600,
		has_touch=width < 600,
	)
	context.set_default_timeout(30_000)
	page = context.new_page()
	page.console = ConsoleWatch()
	page.console.attach(page)
	page.width = width
	yield page
	errors = page.console.take()
	context.close()
	if errors:
		pytest.fail("severe errors in the browser:\n  " + "\n  ".join(errors), pytrace=False)


@pytest.fixture
def clean_form_tutors():
	def reset():
		frappe.db.rollback()
		from ciac_tutoring.portal.http import rate_limit_key

		frappe.cache.delete_value(rate_limit_key("become-a-tutor", "127.0.0.1"))
		tutors = frappe.get_all("Tutor", filters={"email": ("like", f"%@{FORM_DOMAIN}")}, pluck="name")
		delete_rows("Tutor", tutors)
		frappe.db.commit()  # nosemgrep: the server created these rows

	reset()
	yield
	reset()


def portal_login(page, base_url: str, user: str, password: str) -> None:
	"""Log in through the real /login page: a tutor lands on the portal's home, never the desk."""
	page.goto(f"{base_url}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password)
	page.click(".form-login .btn-login")
	page.wait_for_url(re.compile(r"/my-tutoring"), timeout=30_000)


def shot(page, journey: str, step: str) -> None:
	screenshot(page, f"portal-{journey}-{page.width}-{step}")


@pytest.mark.parametrize("portal_page", WIDTHS, indirect=True)
def test_offer_availability(site_server, portal_page, clean_form_tutors):
	page = portal_page
	email = f"browser-{page.width}@{FORM_DOMAIN}"
	page.goto(f"{site_server.url}/become-a-tutor?_lang=en")
	if page.width < 600:
		page.click(".ciac-lang a[data-lang=it]")
		page.wait_for_selector("text=Diventa tutor")
	assert_fits_the_screen(page)
	shot(page, "availability", "1-form")

	# A first try without consent: the error shows next to the field and nothing typed is lost.
	page.check("input[name=tutor_type][value=Individual]")
	page.fill("#tutor_name", "Giulia Browser")
	page.fill("#email", email)
	page.fill("#mobile", "+39 333 1112223")
	page.fill("#municipality", "Parma")
	page.select_option("#language_0", "it")
	page.select_option("#level_0", "Native")
	page.locator("input[name=support_areas]").first.check()
	page.fill("#motivation", "Vorrei aiutare.")
	page.click("#submit-availability")
	page.wait_for_selector("#error-privacy_consent")
	assert page.input_value("#tutor_name") == "Giulia Browser"
	assert page.input_value("#motivation") == "Vorrei aiutare."
	shot(page, "availability", "2-error")

	page.check("#privacy_consent")
	page.click("#submit-availability")
	page.wait_for_selector("#availability-sent")
	shot(page, "availability", "3-sent")
	frappe.db.rollback()
	assert frappe.db.get_value("Tutor", {"email": email}, "workflow_state") == "Availability Notified"


@pytest.mark.parametrize("portal_page", WIDTHS, indirect=True)
def test_log_a_contact(site_server, portal_page, world):
	page = portal_page
	portal_login(page, site_server.url, world.a.user, world.password)
	assert_fits_the_screen(page)
	shot(page, "contact", "1-home")
	notes = f"Browser call at {page.width}px"

	page.click(f".ciac-pairing[data-pairing='{world.a.pairing}'] .ciac-log-link")  # tap 1
	page.wait_for_selector("#submit-contact")
	assert_fits_the_screen(page)
	page.click("details summary")
	page.fill("#notes", notes)
	shot(page, "contact", "2-form")
	page.click("#submit-contact")  # tap 2
	page.wait_for_selector("#contact-logged")
	assert page.locator("#contact-history", has_text=notes).count() == 1
	shot(page, "contact", "3-logged")
	frappe.db.rollback()
	assert frappe.db.exists(
		"Contact Log", {"pairing": world.a.pairing, "notes": notes, "logged_by": world.a.user}
	)


@pytest.mark.parametrize("portal_page", WIDTHS, indirect=True)
def test_register_for_training(site_server, portal_page, world):
	page = portal_page
	portal_login(page, site_server.url, world.a.user, world.password)
	page.click(".ciac-nav a[href='/training']")
	# Measured only once /training is the page: the click's navigation may still be under way.
	page.wait_for_url(re.compile(r"/training"))
	card = page.locator(f".ciac-session[data-session='{world.session}']")
	card.wait_for()
	assert_fits_the_screen(page)
	shot(page, "training", "1-sessions")

	card.locator("button[value=register]").click()
	page.wait_for_selector("#training-done")
	card = page.locator(f".ciac-session[data-session='{world.session}']")
	assert card.locator("button[value=unregister]").count() == 1
	shot(page, "training", "2-registered")
	frappe.db.rollback()
	assert frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})

	card.locator("button[value=unregister]").click()
	# The registered page shows #training-done too: wait for the answer that offers "register" again.
	card.locator("button[value=register]").wait_for()
	page.wait_for_selector("#training-done")
	shot(page, "training", "3-unregistered")
	frappe.db.rollback()
	assert not frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})


@pytest.mark.parametrize("portal_page", WIDTHS, indirect=True)
def test_expenses_and_hours_fit_a_phone(site_server, portal_page, world):
	"""The claim form's receipt field stayed 343 px wide in a 304 px column (a UX walk found it)."""
	page = portal_page
	portal_login(page, site_server.url, world.a.user, world.password)
	page.click(".ciac-nav a[href='/my-volunteering']")
	page.wait_for_selector("#my-volunteering")
	assert page.locator("input[type=file]").count() >= 1
	assert_fits_the_screen(page)
	shot(page, "volunteering", "1-hours-and-claims")
	# An amount typed with the Italian comma reaches the server as typed (a number field made it 840).
	page.locator("#amount").press_sequentially("8,40")
	assert page.input_value("#amount") == "8,40"
