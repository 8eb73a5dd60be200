"""A group supervision meeting's whole life: invitation by email and on the portal, a tutor's
registration, staff ticking who came, and that presence counting as the CIAC monitoring of every
pairing of the tutors present, and of no other."""

from datetime import timedelta

import frappe
import pytest
from frappe.utils import add_to_date, get_datetime, getdate, now_datetime
from freezegun import freeze_time

from ciac_tutoring.monitoring import mailer
from ciac_tutoring.portal import supervision as supervision_portal
from ciac_tutoring.supervision import invitations
from ciac_tutoring.supervision.report.tutors_without_supervision import tutors_without_supervision
from ciac_tutoring.tests.portal_data import (
	make_active_pairing,
	make_beneficiary,
	make_portal_user,
	make_tutor,
)


def make_meeting(days_ahead: float = 3, **values):
	starts_on = add_to_date(now_datetime(), days=days_ahead).replace(minute=0, second=0, microsecond=0)
	doc = frappe.get_doc(
		{
			"doctype": "Supervision Meeting",
			"topic": "Come va la relazione",
			"starts_on": starts_on,
			"ends_on": add_to_date(starts_on, hours=2),
			"location": "CIAC, via Cavestro 14, Parma",
			"facilitator": "Administrator",
			**values,
		}
	).insert()
	return doc


@pytest.fixture()
def tutors():
	"""a: Tutoring Started, two pairings, a portal user speaking Italian; b: Monitoring, one pairing;
	d: Tutoring Started, one pairing (invited, absent); c: in Training (not invited), one pairing."""
	world = frappe._dict()
	for tag, phase, pairings in (
		("sv-a", "Tutoring Started", 2),
		("sv-b", "Monitoring", 1),
		("sv-c", "Training", 1),
		("sv-d", "Tutoring Started", 1),
	):
		user = make_portal_user(f"{tag}-user@supervision-test.example", tag)
		frappe.db.set_value("User", user, "language", "it")
		tutor = make_tutor(tag, user=user, phase=phase)
		frappe.db.set_value("Tutor", tutor, "capacity", pairings)
		world[tag[-1]] = frappe._dict(
			user=user,
			tutor=tutor,
			pairings=[
				make_active_pairing(tutor, make_beneficiary(f"{tag}{n}".replace("-", "")))
				for n in range(pairings)
			],
		)
	return world


def attendee(meeting, tutor: str):
	return next((row for row in meeting.attendees if row.tutor == tutor), None)


def last_monitoring(pairings: list[str]) -> dict:
	return dict(
		frappe.get_all(
			"Pairing", filters={"name": ["in", pairings]}, fields=["name", "last_monitoring"], as_list=True
		)
	)


def test_invitation_registration_and_presence_count_as_monitoring_of_the_present_tutors_pairings(tutors):
	meeting = make_meeting()
	sent = invitations.invite_tutors(meeting.name)
	meeting.reload()

	# phase 5 and 6 tutors are listed and invited, the tutor in training is not
	for side in "abd":
		assert attendee(meeting, tutors[side].tutor).invited_on
	assert not attendee(meeting, tutors.c.tutor)
	logs = frappe.get_all(
		"Tutoring Reminder Log",
		filters={"rule": invitations.SUPERVISION_INVITATION, "reference_name": meeting.name},
		fields=["tutor", "recipient", "key"],
	)
	mine = {log.tutor: log for log in logs if log.tutor in {tutors[s].tutor for s in "abcd"}}
	assert set(mine) == {tutors.a.tutor, tutors.b.tutor, tutors.d.tutor}
	assert sent == len(logs)
	# inviting again (new tutors would be added) sends nobody a second email and lists nobody twice
	assert invitations.invite_tutors(meeting.name) == 0
	meeting.reload()
	assert len({row.tutor for row in meeting.attendees}) == len(meeting.attendees)

	# the email goes out in the tutor's language, from the Email Template
	mailer.send_pending_emails(commit=False)
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Tutoring Reminder Log"},
		fields=["name", "message"],
		order_by="creation desc",
		limit=200,
	)
	email_a = frappe.db.get_value("Tutoring Reminder Log", {"key": mine[tutors.a.tutor].key}, "email_queue")
	message = next(q.message for q in queued if q.name == email_a)
	assert "supervisione di gruppo" in message and "Come va la relazione" in message
	# its date in the site's format (yyyy-mm-dd on the test site), not one of its own
	starts = get_datetime(meeting.starts_on)
	assert f"{frappe.utils.formatdate(starts)} {starts:%H:%M}" in message

	# the tutor registers on the portal; a tutor who is not invited cannot
	frappe.set_user(tutors.a.user)
	try:
		assert [m.name for m in supervision_portal.get_supervision()["supervision_meetings"]] == [
			meeting.name
		]
		supervision_portal.register_for_supervision(meeting.name)
	finally:
		frappe.set_user("Administrator")
	frappe.set_user(tutors.c.user)
	try:
		with pytest.raises(frappe.DoesNotExistError):
			supervision_portal.register_for_supervision(meeting.name)
	finally:
		frappe.set_user("Administrator")
	meeting.reload()
	assert attendee(meeting, tutors.a.tutor).registered
	assert not attendee(meeting, tutors.b.tutor).registered

	# ticking Present before the meeting is refused
	attendee(meeting, tutors.a.tutor).present = 1
	with pytest.raises(frappe.ValidationError):
		meeting.save()
	meeting.reload()

	# after the meeting, staff tick who came: a and b; d stayed home
	everyone = [p for side in "abcd" for p in tutors[side].pairings]
	assert set(last_monitoring(everyone).values()) == {None}
	with freeze_time(get_datetime(meeting.starts_on) + timedelta(hours=3)):
		attendee(meeting, tutors.a.tutor).present = 1
		attendee(meeting, tutors.b.tutor).present = 1
		meeting.save()
	assert meeting.status == "Held"
	day = getdate(meeting.starts_on)
	present = [*tutors.a.pairings, *tutors.b.pairings]
	assert last_monitoring(everyone) == {p: (day if p in present else None) for p in everyone}

	# b was ticked by mistake: unticked, b's pairing has no monitoring again
	meeting.reload()
	attendee(meeting, tutors.b.tutor).present = 0
	with freeze_time(get_datetime(meeting.starts_on) + timedelta(hours=4)):
		meeting.save()
	assert last_monitoring(tutors.b.pairings) == {tutors.b.pairings[0]: None}
	assert last_monitoring(tutors.a.pairings) == dict.fromkeys(tutors.a.pairings, day)

	# the report: a attended, b and d did not (c is not in phase 5 or 6)
	listed = {row.tutor for row in tutors_without_supervision.rows(months=4, on=day)}
	assert tutors.a.tutor not in listed
	assert {tutors.b.tutor, tutors.d.tutor} <= listed
	assert tutors.c.tutor not in listed


def test_a_meeting_needs_a_place_or_a_link_and_an_end_after_its_start():
	with pytest.raises(frappe.ValidationError):
		make_meeting(location=None)
	meeting = make_meeting(location=None, online_link="https://meet.example/ciac")
	meeting.ends_on = meeting.starts_on
	with pytest.raises(frappe.ValidationError):
		meeting.save()


def test_the_portal_refuses_a_guest_and_staff_only_invite(tutors):
	meeting = make_meeting()
	frappe.set_user("Guest")
	try:
		with pytest.raises(frappe.PermissionError):
			supervision_portal.register_for_supervision(meeting.name)
	finally:
		frappe.set_user("Administrator")
	frappe.set_user(tutors.a.user)
	try:
		with pytest.raises(frappe.PermissionError):
			invitations.invite_tutors(meeting.name)
	finally:
		frappe.set_user("Administrator")
