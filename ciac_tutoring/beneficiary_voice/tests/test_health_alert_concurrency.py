"""The relationship-health alert goes out exactly once even when the two sides answer at the
same moment: the tutor through the portal's API method and the beneficiary through her link, two
threads released together by a barrier against a threaded server (each request its own database
connection), a few rounds. Whichever commits second sees the first (locking reads under the
pairing's lock) and alerts on the divergence: one email and one desk notification per round."""

import threading

import frappe
import pytest
import requests
from frappe.utils import add_days, today

from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.beneficiary_voice.tests.test_relationship_health_http import (
	alerts,
	clear_health,
	her_form,
	records,
	tutor_form,
)
from ciac_tutoring.beneficiary_voice.tests.voice_data import current_link, world_fixtures
from ciac_tutoring.tests.portal_data import logged_in
from ciac_tutoring.tests.server import FrappeServer

pytestmark = pytest.mark.http
ROUNDS = 3
METHOD = "ciac_tutoring.portal.relationship_health.answer_relationship_health"


@pytest.fixture(scope="module")
def threaded_server():
	with FrappeServer(threaded=True) as server:
		yield server


world, voice_fresh = world_fixtures("healthalert", server="threaded_server")


@pytest.fixture
def fresh(voice_fresh):
	frappe.db.set_value("Pairing", voice_fresh.a.pairing, "start_date", add_days(today(), -98))
	frappe.db.commit()  # nosemgrep: the server reads it
	clear_health(voice_fresh)
	yield voice_fresh
	clear_health(voice_fresh)


def answer_together(server, tutor, fresh, tutor_answers: dict, her_answers: dict) -> dict:
	"""The tutor's API call and her link's POST, released together; their HTTP statuses."""
	start = threading.Barrier(2)
	statuses = {}
	token = current_link(fresh.a).token()

	def as_tutor():
		start.wait(timeout=30)
		response = tutor.post(
			f"{server.url}/api/method/{METHOD}",
			data={"pairing": fresh.a.pairing, **tutor_answers},
			timeout=60,
		)
		statuses["tutor"] = response.status_code

	def as_her():
		start.wait(timeout=30)
		response = requests.post(
			f"{server.url}/check-in",
			data={"t": token, "lang": "fr", **her_answers},
			headers={"Origin": server.url},
			allow_redirects=False,
			timeout=60,
		)
		statuses["her"] = response.status_code

	threads = [threading.Thread(target=as_tutor), threading.Thread(target=as_her)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=90)
	return statuses


def test_both_sides_at_once_diverging_alert_exactly_once(threaded_server, fresh):
	tutor = logged_in(threaded_server, fresh.a.user)
	tutor_answers, her_answers = tutor_form(5, 1), her_form(1, 5)  # 100 and 0
	for round_ in range(ROUNDS):
		clear_health(fresh)
		statuses = answer_together(threaded_server, tutor, fresh, tutor_answers, her_answers)
		assert statuses.get("tutor") == 200 and statuses.get("her") in (301, 302, 303), statuses
		rows = records(fresh.a.pairing)
		assert sorted((r.side, r.score) for r in rows) == [("Beneficiary", 0.0), ("Tutor", 100.0)]
		assert [r.alert_reason for r in rows if r.coordinator_alerted_on] == [health.SIDES_DIVERGE]
		assert alerts(fresh.a.pairing) == (1, 1), f"round {round_}"
