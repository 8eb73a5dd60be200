"""Rules that had a copy in the desk and another in the portal, matching or the jobs, and the copies
disagreed (issue 24): each now has one owner, and the places that used the copies give one answer.

- a training session's seats (`TrainingSession.register`, `validate_capacity`): an Excused tutor
  does not take a seat, on the portal's page and in the desk;
- a tutor's capacity (`vocabulary.places_taken` and `tutor_capacity`): every open pairing
  (Proposed, Active, Suspended) takes a place, for matching and the Pairing and Tutor controllers;
- "permit expiring" (`beneficiary.expiring_permit`): the weekly digest and the Permit Expiry report
  watch the same permits.
"""

import re

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate, today

from ciac_tutoring.tests.portal_data import CSRF_PATTERN, PortalWorld, delete_rows, make_training_session

# --- training seats: the portal and the desk -----------------------------------------------------


@pytest.fixture(scope="module")
def agreeing_world(site_server):
	agreeing_world = PortalWorld.create(prefix="agree")
	yield agreeing_world
	agreeing_world.delete()


def portal_session(site_server, world, side: str):
	"""A tutor's browser session with its CSRF token, as the training page's form sends it."""
	session = site_server.session(world[side].user, world.password)
	page = session.get(f"{site_server.url}/training?_lang=en", timeout=30)
	session.csrf = CSRF_PATTERN.search(page.text).group(1)
	return session


def session_card(page: str, session: str) -> str:
	return page.split(f'data-session="{session}"')[1].split("ciac-card")[0]


@pytest.mark.http
def test_an_excused_tutor_leaves_a_seat_the_portal_offers_and_the_desk_keeps(site_server, agreeing_world):
	world = agreeing_world
	from ciac_tutoring.activation.doctype.training_session.training_session import TrainingCapacityError
	from ciac_tutoring.tests.factory import make_tutor

	others = [make_tutor().name for _index in range(11)]
	session = make_training_session(f"{world.prefix} capacity ten", capacity=10)
	try:
		# As CIAC fills it in the desk: ten registered, then one of them excuses themselves.
		desk = frappe.get_doc("Training Session", session)
		for tutor in others[:10]:
			desk.append("attendees", {"tutor": tutor, "registered_on": nowdate(), "attendance": "Registered"})
		desk.save()
		desk.attendees[0].attendance = "Excused"
		desk.save()
		frappe.db.commit()  # nosemgrep: the test server reads it

		tutor_a = portal_session(site_server, world, "a")
		page = tutor_a.get(f"{site_server.url}/training?_lang=en", timeout=30)
		card = session_card(page.text, session)
		assert "1 free places" in card and 'value="register"' in card
		response = tutor_a.post(
			f"{site_server.url}/training?_lang=en",
			data={"csrf_token": tutor_a.csrf, "action": "register", "session": session},
			allow_redirects=False,
			timeout=30,
		)
		# The place the page offered is the place the save keeps.
		assert response.status_code in (301, 302), re.findall(r"form-error[^>]*>([^<]*)", response.text)
		frappe.db.rollback()
		desk = frappe.get_doc("Training Session", session)
		assert len(desk.attendees) == 11 and world.a.tutor in {row.tutor for row in desk.attendees}

		# Now full, for both: the page offers no place, the desk takes no further registration.
		page = portal_session(site_server, world, "b").get(f"{site_server.url}/training?_lang=en", timeout=30)
		card = session_card(page.text, session)
		assert "Full" in card and 'value="register"' not in card
		desk.append(
			"attendees", {"tutor": others[10], "registered_on": nowdate(), "attendance": "Registered"}
		)
		with pytest.raises(TrainingCapacityError):
			desk.save()
		frappe.db.rollback()
		# An excused tutor's row keeps its history, and a seat is theirs again only if one is free.
		desk = frappe.get_doc("Training Session", session)
		desk.attendees[0].attendance = "Registered"
		with pytest.raises(TrainingCapacityError):
			desk.save()
	finally:
		frappe.db.rollback()
		delete_rows("Training Session", [session])
		delete_rows("Tutor", others)
		frappe.db.commit()  # nosemgrep: the data was committed for the server


# --- a tutor's capacity: matching and the controllers --------------------------------------------


def open_pairings_for(capacity: int) -> tuple:
	"""A tutor of `capacity` with an Active pairing that CIAC then suspended."""
	from ciac_tutoring.tests.factory import make_pairing, make_tutor

	tutor = make_tutor(phase="Tutoring Started", capacity=capacity)
	pairing = make_pairing(tutor=tutor.name, status="Active", start_date=add_days(today(), -30))
	pairing.status = "Suspended"
	pairing.save()
	return tutor, pairing


def test_matching_and_the_pairing_agree_on_a_tutors_capacity():
	from ciac_tutoring.pairing import matching
	from ciac_tutoring.pairing.doctype.pairing.pairing import TutorCapacityError
	from ciac_tutoring.tests.factory import make_pairing

	tutor, _suspended = open_pairings_for(capacity=1)
	# Matching offers no place: the suspended pairing holds the tutor's only one...
	assert tutor.name not in {row.name for row in matching.candidate_tutors()}
	# ...and the desk does not give it away either, Proposed or Active.
	for status in ("Proposed", "Active"):
		with pytest.raises(TutorCapacityError):
			make_pairing(tutor=tutor.name, status=status, start_date=today())


def test_a_tutors_capacity_cannot_drop_below_their_open_pairings():
	tutor, _suspended = open_pairings_for(capacity=2)
	from ciac_tutoring.tests.factory import make_pairing

	make_pairing(tutor=tutor.name, status="Active", start_date=today())
	tutor.reload()
	tutor.capacity = 1
	with pytest.raises(frappe.ValidationError, match="capacity cannot be lower"):
		tutor.save()


# --- "permit expiring": the digest and the report ------------------------------------------------


def test_the_digest_and_the_permit_expiry_report_watch_the_same_permits():
	from ciac_tutoring.monitoring import digest
	from ciac_tutoring.pairing.report.permit_expiry import permit_expiry
	from ciac_tutoring.tests.factory import make_beneficiary
	from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

	expiry = add_days(today(), 20)
	waiting = make_beneficiary(residence_permit_expiry=expiry).name
	closed = make_beneficiary(residence_permit_expiry=expiry).name
	frappe.db.set_value("Beneficiary", closed, "status", "Closed")
	# A record whose status was never derived (written by an import before its pairings).
	underived = make_beneficiary(residence_permit_expiry=expiry).name
	frappe.db.set_value("Beneficiary", underived, "status", "")
	ours = {waiting, closed, underived}

	settings = get_settings()
	digest = digest.get_digest_context(getdate(today()), settings)["expiring_permits"]
	window = {"from_date": today(), "to_date": add_days(today(), settings.permit_expiry_window_days)}
	report = permit_expiry.execute(window)[1]
	assert {row.name for row in digest} & ours == {waiting, underived}
	assert {row.beneficiary for row in report} & ours == {waiting, underived}
