"""What a tutor needs beside logging contacts, over HTTP: their CIAC contact's name on the pairing
card, an acknowledgement after asking for CIAC's attention, their contact history page by page,
a link to download their own data, and the commitments said as people say them."""

import re

import frappe
import pytest
from frappe.utils import add_days, nowdate

from ciac_tutoring.portal.my_tutoring import CONTACT_HISTORY_LIMIT
from ciac_tutoring.tests.portal_data import PortalWorld, make_contact_log

pytestmark = pytest.mark.http

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')
COORDINATOR = "aids.coordinator@ciac-test.example"


@pytest.fixture(scope="module")
def world(site_server):
	"""Tutor A's pairing followed by a coordinator, as CIAC fills them."""
	world = PortalWorld.create(prefix="paids")
	if not frappe.db.exists("User", COORDINATOR):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": COORDINATOR,
				"first_name": "Chiara",
				"last_name": "Aiuti",
				"send_welcome_email": 0,
				"roles": [{"role": "CIAC Coordinator"}],
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Pairing", world.a.pairing, "coordinator", COORDINATOR)
	frappe.db.commit()  # nosemgrep: the test server reads committed data only
	yield world
	world.delete()
	frappe.db.delete("Has Role", {"parent": COORDINATOR})
	frappe.db.delete("User", {"name": COORDINATOR})
	frappe.db.commit()  # nosemgrep: removes what the fixture committed


@pytest.fixture()
def tutor_a(site_server, world):
	session = site_server.session(world.a.user, world.password)
	session.base = site_server.url
	page = session.get(f"{site_server.url}/my-tutoring?_lang=en", timeout=30)
	session.csrf = CSRF_PATTERN.search(page.text).group(1)
	return session


def test_the_pairing_card_names_the_ciac_contact(tutor_a, world):
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=it", timeout=30).text
	assert "Il tuo referente CIAC: Chiara Aiuti" in home
	assert COORDINATOR not in home  # a name to ask for, not the staff account


def test_asking_for_ciacs_attention_is_acknowledged(tutor_a, world):
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact?_lang=en",
		data={
			"csrf_token": tutor_a.csrf,
			"pairing": world.a.pairing,
			"contact_date": nowdate(),
			"kind": "Phone or video call",
			"wellbeing": "Needs CIAC attention",
			"notes": "aids: lost the job",
		},
		timeout=30,
	)
	assert response.status_code == 200 and response.url.endswith("/my-tutoring?logged=1&attention=1")
	assert "your CIAC contact will get in touch with you soon" in response.text
	# a plain contact gets the thanks alone
	plain = tutor_a.get(f"{tutor_a.base}/my-tutoring?logged=1", timeout=30).text
	assert 'id="contact-logged"' in plain and "get in touch with you soon" not in plain


def test_the_commitments_say_today_and_agree_in_italian(tutor_a, world):
	make_contact_log(world.a.pairing, contact_date=nowdate(), kind="Phone or video call")
	make_contact_log(world.a.pairing, contact_date=add_days(nowdate(), -1), kind="In-person meeting")
	frappe.db.commit()  # nosemgrep: the test server reads committed data only
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=it", timeout=30).text
	assert "ultima telefonata oggi" in home
	assert "ultimo incontro ieri" in home
	assert "0 giorni fa" not in home


def test_the_contact_history_is_paged(tutor_a, world):
	for days_ago in range(CONTACT_HISTORY_LIMIT + 5):
		make_contact_log(
			world.a.pairing, contact_date=add_days(nowdate(), -10 - days_ago), notes=f"aids-{days_ago}"
		)
	frappe.db.commit()  # nosemgrep: the test server reads committed data only
	first = tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=en", timeout=30).text
	history = first[first.index('id="contact-history"') :]
	assert history.count("<li>") == CONTACT_HISTORY_LIMIT
	assert 'id="older-contacts" href="?page=2' in first and 'id="newer-contacts"' not in first
	second = tutor_a.get(f"{tutor_a.base}/my-tutoring?page=2", timeout=30).text
	assert 'id="newer-contacts" href="?page=1' in second
	assert "aids-34" in second and "aids-34" not in first
	assert "contact notes b" not in second  # only their own


def test_the_tutor_downloads_their_own_data(tutor_a, world):
	home = tutor_a.get(f"{tutor_a.base}/my-tutoring?_lang=en", timeout=30).text
	links = re.findall(
		r'href="(/api/method/ciac_tutoring\.portal\.personal_data\.download_my_data[^"]*)"', home
	)
	assert len(links) == 2
	for link in links:
		response = tutor_a.get(tutor_a.base + link.replace("&amp;", "&"), timeout=30)
		assert response.status_code == 200
		assert world.a.tutor in response.text
		assert world.b.tutor not in response.text
