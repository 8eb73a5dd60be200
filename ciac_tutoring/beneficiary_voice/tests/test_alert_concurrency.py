"""The coordinator's alert ("I want to talk to CIAC", or a sad face twice in a row) goes out
exactly once, even when two submissions of the same link arrive at the same moment: two
threads post to a threaded server (each request its own database connection), released together
by a barrier, a few rounds over fresh periods. Exactly one email (Email Queue) and one desk
notification (Notification Log) per period, and one check-in amended twice."""

import threading

import frappe
import pytest
import requests
from frappe.utils import add_days

from ciac_tutoring.beneficiary_voice import answers
from ciac_tutoring.beneficiary_voice.links import link_for
from ciac_tutoring.beneficiary_voice.tests.voice_data import (
	CHECK_IN,
	COORDINATOR,
	PERIOD_DAYS,
	current_period,
	world_fixtures,
)
from ciac_tutoring.tests.server import FrappeServer

pytestmark = pytest.mark.http
ROUNDS = 3


@pytest.fixture(scope="module")
def threaded_server():
	with FrappeServer(threaded=True) as server:
		yield server


world, fresh = world_fixtures("voicealert", server="threaded_server")


def post_together(server, token: str, **form) -> list[int]:
	start = threading.Barrier(2)
	statuses = [None, None]

	def post(index):
		start.wait(timeout=30)
		response = requests.post(
			f"{server.url}/check-in",
			data={"t": token, **form},
			headers={"Origin": server.url},
			allow_redirects=False,
			timeout=60,
		)
		statuses[index] = response.status_code

	threads = [threading.Thread(target=post, args=(index,)) for index in range(2)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=90)
	return statuses


def alerts_for(check_in: str) -> tuple[int, int]:
	frappe.db.rollback()
	emails = frappe.db.count("Email Queue", {"reference_doctype": CHECK_IN, "reference_name": check_in})
	notices = frappe.db.count(
		"Notification Log", {"document_type": CHECK_IN, "document_name": check_in, "for_user": COORDINATOR}
	)
	return emails, notices


def test_i_want_to_talk_to_ciac_alerts_the_coordinator_exactly_once(threaded_server, fresh):
	period = current_period(fresh.a.pairing)
	for round_ in range(ROUNDS):
		start = add_days(period, -PERIOD_DAYS * round_)
		# earlier periods' links have expired: their rounds run with links valid till tomorrow
		link = link_for(fresh.a.beneficiary, fresh.a.pairing, start, PERIOD_DAYS * (round_ + 1), "SMS")
		statuses = post_together(threaded_server, link.token(), talk="1", message_to_ciac=f"round {round_}")
		assert all(status in (301, 302, 303) for status in statuses), statuses
		name = answers.check_in_name(fresh.a.pairing, start)
		frappe.db.rollback()  # see what the server committed
		check_in = frappe.get_doc(CHECK_IN, name)
		assert check_in.times_submitted == 2 and check_in.alert_reason == answers.WANTS_TO_TALK
		assert alerts_for(name) == (1, 1), f"round {round_}"
	# asking again later in the same period alerts no one again
	requests.post(
		f"{threaded_server.url}/check-in",
		data={"t": link.token(), "talk": "1"},
		headers={"Origin": threaded_server.url},
		timeout=60,
	)
	assert alerts_for(name) == (1, 1)


def test_a_sad_face_twice_in_a_row_alerts_once_and_a_single_one_does_not(threaded_server, fresh):
	period = current_period(fresh.b.pairing)
	earlier = link_for(
		fresh.b.beneficiary, fresh.b.pairing, add_days(period, -PERIOD_DAYS), PERIOD_DAYS * 2, "SMS"
	)
	current = link_for(fresh.b.beneficiary, fresh.b.pairing, period, PERIOD_DAYS, "SMS")
	post_together(threaded_server, earlier.token(), mood="Sad")
	assert alerts_for(answers.check_in_name(fresh.b.pairing, earlier.period)) == (0, 0)
	statuses = post_together(threaded_server, current.token(), mood="Sad")
	assert all(status in (301, 302, 303) for status in statuses), statuses
	name = answers.check_in_name(fresh.b.pairing, period)
	assert alerts_for(name) == (1, 1)
	assert frappe.db.get_value(CHECK_IN, name, "alert_reason") == answers.SAD_TWICE
	post_together(threaded_server, current.token(), mood="Sad")
	assert alerts_for(name) == (1, 1)
