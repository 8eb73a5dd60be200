"""The calendar feeds over HTTP from a real server, read back by a real iCalendar parser."""

from datetime import date, datetime
from urllib.parse import urlsplit

import frappe
import pytest
import requests
from frappe.utils import add_to_date, get_datetime, now_datetime
from icalendar import Calendar

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.supervision.doctype.calendar_feed.calendar_feed import get_or_create_feed
from ciac_tutoring.tests.portal_data import PortalWorld, delete_rows, logged_in

pytestmark = pytest.mark.http

PREFIX = "pcal"
STAFF = "staff.calendar@ciac.example"


def make_meeting(topic: str, days_ahead: int, tutors: list[str], status: str = "Planned") -> str:
	starts_on = add_to_date(now_datetime(), days=days_ahead).replace(
		hour=18, minute=30, second=0, microsecond=0
	)
	doc = frappe.get_doc(
		{
			"doctype": "Supervision Meeting",
			"topic": topic,
			"starts_on": starts_on,
			"ends_on": add_to_date(starts_on, hours=2),
			"location": "CIAC, Parma",
			"status": status,
			"attendees": [{"tutor": tutor, "invited_on": now_datetime()} for tutor in tutors],
		}
	)
	doc.flags.ignore_validate = True
	doc.insert(ignore_permissions=True)
	return doc.name


@pytest.fixture(scope="module")
def world(site_server):
	frappe.set_user("Administrator")
	world = PortalWorld.create(prefix=PREFIX)
	session = frappe.get_doc("Training Session", world.session)
	session.append("attendees", {"tutor": world.a.tutor, "attendance": "Registered"})
	session.save(ignore_permissions=True)
	world.mine = make_meeting(f"{PREFIX} gruppo A", 5, [world.a.tutor])
	world.theirs = make_meeting(f"{PREFIX} gruppo B", 6, [world.b.tutor])
	frappe.db.delete("Has Role", {"parent": STAFF})
	frappe.db.delete("User", {"name": STAFF})
	frappe.db.delete("Calendar Feed", {"user": STAFF})
	frappe.get_doc(
		{
			"doctype": "User",
			"email": STAFF,
			"first_name": "Staff",
			"send_welcome_email": 0,
			"roles": [{"role": "CIAC Coordinator"}],
		}
	).insert(ignore_permissions=True)
	world.tutor_feed = on_server(site_server, get_or_create_feed(tutor=world.a.tutor).url())
	world.staff_feed = on_server(site_server, get_or_create_feed(user=STAFF).url())
	frappe.db.commit()  # nosemgrep: the server reads these rows
	yield world
	world.delete()  # (rolls back first)
	meetings = frappe.get_all("Supervision Meeting", filters={"topic": ("like", f"{PREFIX}%")}, pluck="name")
	delete_rows("Supervision Meeting", meetings)
	frappe.db.delete("Calendar Feed", {"tutor": ("in", [world.a.tutor, world.b.tutor])})
	frappe.db.delete("Calendar Feed", {"user": STAFF})
	frappe.db.delete("Has Role", {"parent": STAFF})
	frappe.db.delete("User", {"name": STAFF})
	frappe.db.commit()  # nosemgrep: the rows were committed for the server


def on_server(site_server, url: str) -> str:
	"""The address the site gives (its host name) on the test server."""
	parts = urlsplit(url)
	return f"{site_server.url}{parts.path}?{parts.query}"


def events_of(response) -> dict[str, object]:
	assert response.status_code == 200, response.text[:300]
	assert response.headers["Content-Type"].startswith("text/calendar")
	calendar = Calendar.from_ical(response.content)
	return {str(event.get("summary")): event for event in calendar.walk("VEVENT")}, calendar


def local(value) -> datetime:
	return get_datetime(value).replace(microsecond=0)


def test_a_tutors_feed_holds_their_sessions_meetings_and_due_dates_in_rome_time(site_server, world):
	events, calendar = events_of(requests.get(world.tutor_feed, timeout=30))

	session = frappe.db.get_value("Training Session", world.session, ["title", "starts_on"], as_dict=True)
	meeting = frappe.db.get_value("Supervision Meeting", world.mine, ["topic", "starts_on"], as_dict=True)
	assert f"{PREFIX} gruppo B" not in events  # another tutor's meeting
	for summary, starts_on in ((session.title, session.starts_on), (meeting.topic, meeting.starts_on)):
		start = events[summary].decoded("dtstart")
		assert str(start.tzinfo) == "Europe/Rome"
		assert start.replace(tzinfo=None) == local(starts_on)
		assert events[summary]["dtstart"].params["TZID"] == "Europe/Rome"
	assert [tz.get("tzid") for tz in calendar.walk("VTIMEZONE")] == ["Europe/Rome"]

	due = compliance.get_commitments([world.a.pairing], commitments=(compliance.PHONE, compliance.MEETING))
	due = due[world.a.pairing]
	first_name = world.a.beneficiary_first_name
	all_day = {
		summary: event.decoded("dtstart") for summary, event in events.items() if first_name in summary
	}
	assert sorted(all_day.values()) == sorted([due.phone_due, due.meeting_due])
	assert all(type(day) is date for day in all_day.values())  # all-day due dates


def test_the_staff_feed_holds_every_meeting_and_is_refused_once_the_user_is_not_staff(site_server, world):
	events, _calendar = events_of(requests.get(world.staff_feed, timeout=30))
	assert {f"{PREFIX} gruppo A", f"{PREFIX} gruppo B"} <= set(events)

	frappe.db.delete("Has Role", {"parent": STAFF})
	frappe.db.commit()  # nosemgrep: the server reads the user's roles
	frappe.clear_cache(user=STAFF)
	assert requests.get(world.staff_feed, timeout=30).status_code == 403


def test_a_wrong_or_revoked_secret_finds_nothing(site_server, world):
	base = world.tutor_feed.split("?")[0]
	assert requests.get(f"{base}?token=not-the-secret", timeout=30).status_code == 404
	assert requests.get(base, timeout=30).status_code == 404

	# the tutor makes a new address on the portal: the old one stops working, the new one works
	tutor = logged_in(site_server, world.a.user)
	new = tutor.post(
		f"{site_server.url}/api/method/ciac_tutoring.portal.supervision.new_calendar_link", timeout=30
	)
	assert new.status_code == 200, new.text[:300]
	assert requests.get(world.tutor_feed, timeout=30).status_code == 404
	world.tutor_feed = on_server(site_server, new.json()["message"])
	events_of(requests.get(world.tutor_feed, timeout=30))


def test_a_tutors_feed_stops_when_they_leave_or_their_account_is_disabled(site_server, world):
	feed = on_server(site_server, get_or_create_feed(tutor=world.b.tutor).url())
	frappe.db.commit()  # nosemgrep: the server reads the feed
	assert requests.get(feed, timeout=30).status_code == 200
	phase = frappe.db.get_value("Tutor", world.b.tutor, "workflow_state")
	try:
		frappe.db.set_value("Tutor", world.b.tutor, "workflow_state", "Withdrawn")
		frappe.db.commit()  # nosemgrep
		assert requests.get(feed, timeout=30).status_code == 403
		frappe.db.set_value("Tutor", world.b.tutor, "workflow_state", phase)
		frappe.db.set_value("User", world.b.user, "enabled", 0)
		frappe.db.commit()  # nosemgrep
		assert requests.get(feed, timeout=30).status_code == 403
	finally:
		frappe.db.set_value("Tutor", world.b.tutor, "workflow_state", phase)
		frappe.db.set_value("User", world.b.user, "enabled", 1)
		frappe.db.commit()  # nosemgrep


def test_ics_downloads_for_staff_and_the_tutor_who_may_see_the_event(site_server, world):
	url = f"{site_server.url}/api/method/ciac_tutoring.supervision.calendar.event_ics"
	staff = site_server.session()
	events, _calendar = events_of(
		staff.get(url, params={"doctype": "Supervision Meeting", "name": world.theirs})
	)
	assert list(events) == [f"{PREFIX} gruppo B"]

	tutor = logged_in(site_server, world.a.user)
	events, _calendar = events_of(
		tutor.get(url, params={"doctype": "Supervision Meeting", "name": world.mine})
	)
	assert list(events) == [f"{PREFIX} gruppo A"]
	refused = tutor.get(url, params={"doctype": "Supervision Meeting", "name": world.theirs})
	assert refused.status_code == 403
	assert tutor.get(url, params={"doctype": "Pairing", "name": world.a.pairing}).status_code == 404
	assert requests.get(url, params={"doctype": "Supervision Meeting", "name": world.mine}).status_code == 403
