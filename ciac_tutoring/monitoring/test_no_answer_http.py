"""A tutor logs "tried, no answer" on the portal's log-contact page, over HTTP on a real server."""

import re

import frappe
import pytest
from frappe.utils import nowdate

from ciac_tutoring.tests.portal_data import PortalWorld

pytestmark = pytest.mark.http

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="pnoans")
	yield world
	world.delete()


@pytest.fixture()
def tutor(site_server, world):
	session = site_server.session(world.a.user, world.password)
	page = session.get(f"{site_server.url}/log-contact?_lang=en", timeout=30)
	assert 'name="outcome" value="Tried, no answer"' in page.text
	session.csrf = CSRF_PATTERN.search(page.text).group(1)
	session.base = site_server.url
	return session


def post(tutor, world, **values):
	form = {
		"csrf_token": tutor.csrf,
		"pairing": world.a.pairing,
		"contact_date": nowdate(),
		"kind": "Phone or video call",
		"wellbeing": "Fine",
		**values,
	}
	return tutor.post(f"{tutor.base}/log-contact", data=form, allow_redirects=False, timeout=30)


def test_a_try_without_answer_is_logged_and_is_not_the_weekly_call(tutor, world):
	frappe.db.rollback()
	last_call = frappe.db.get_value("Pairing", world.a.pairing, "last_phone_contact")
	response = post(tutor, world, outcome="Tried, no answer", notes="Rang twice")
	assert response.status_code in (301, 302), response.text[:500]
	frappe.db.rollback()
	log = frappe.get_last_doc("Contact Log", filters={"pairing": world.a.pairing, "notes": "Rang twice"})
	assert log.outcome == "Tried, no answer" and log.logged_by == world.a.user
	assert frappe.db.get_value("Pairing", world.a.pairing, "last_phone_contact") == last_call


def test_a_meeting_without_answer_is_refused_next_to_the_outcome(tutor, world):
	frappe.db.rollback()
	before = frappe.db.count("Contact Log", {"pairing": world.a.pairing})
	response = post(tutor, world, kind="In-person meeting", outcome="Tried, no answer")
	assert response.status_code == 200, response.text[:300]
	assert 'id="error-outcome"' in response.text
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.a.pairing}) == before
