"""Training: the sessions a tutor can register for, their record, registering and unregistering.
The rules (open, full, already registered) are the Training Session's own (`register`)."""

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from ciac_tutoring.activation.doctype.training_session.training_session import (
	PLANNED,
	free_places,
	seats_taken,
	training_record,
)
from ciac_tutoring.permissions import is_visible_training_session
from ciac_tutoring.portal.guard import current_tutor, own_tutor_names, tutor_only
from ciac_tutoring.portal.http import refuse_if_over_page_limit
from ciac_tutoring.portal.pages import all_or_nothing
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

UPCOMING_LIMIT = 50


@frappe.whitelist()
@tutor_only
def get_training() -> dict:
	"""Upcoming sessions with free places, and the tutor's own training record."""
	tutor = current_tutor()
	tutors = own_tutor_names()
	return {
		"tutor": tutor,
		"upcoming": get_upcoming_sessions(tutors),
		"record": training_record(tutors),
		"hours": flt(tutor.training_hours),
		"minimum_hours": get_settings().minimum_training_hours,
	}


def get_upcoming_sessions(tutors: list[str]) -> list[dict]:
	Session = frappe.qb.DocType("Training Session")
	Attendance = frappe.qb.DocType("Training Attendance")
	sessions = (
		frappe.qb.from_(Session)
		.select(
			Session.name,
			Session.title,
			Session.topic,
			Session.starts_on,
			Session.ends_on,
			Session.location,
			Session.online_link,
			Session.capacity,
			Session.description,
		)
		.where(Session.status == PLANNED)
		.where(Session.starts_on >= now_datetime())
		.orderby(Session.starts_on)
		.limit(UPCOMING_LIMIT)
		.run(as_dict=True)
	)
	if not sessions:
		return []
	names = [session.name for session in sessions]
	taken = seats_taken(names)
	mine = set()
	if tutors:
		mine = {
			row[0]
			for row in frappe.qb.from_(Attendance)
			.select(Attendance.parent)
			.where(Attendance.parenttype == "Training Session")
			.where(Attendance.parentfield == "attendees")
			.where(Attendance.parent.isin(names))
			.where(Attendance.tutor.isin(tutors))
			.run()
		}
	for session in sessions:
		session.registered = session.name in mine
		session.free_places = free_places(session.capacity, taken.get(session.name, 0))
		session.can_register = not session.registered and session.free_places != 0
	return sessions


@frappe.whitelist(methods=["POST"])
@tutor_only
def register_for_training(session: str) -> None:
	"""Register the logged-in tutor for a planned, future session with a free place."""
	change_registration(session, register=True)


@frappe.whitelist(methods=["POST"])
@tutor_only
def unregister_from_training(session: str) -> None:
	"""Remove the logged-in tutor's own registration from a session that has not happened yet."""
	change_registration(session, register=False)


@tutor_only
def change_registration(session: str, register: bool) -> None:
	"""The one write path of the training page's buttons and the API methods."""
	tutor = current_tutor()
	refuse_if_over_page_limit("training")
	with all_or_nothing("ciac_training_registration"):
		doc = get_session_for_update(session)
		if register:
			doc.register(tutor.name)
		else:
			doc.unregister(tutor.name)
		# A tutor has no DocPerm on sessions: the session is one they may see, the row their own.
		doc.flags.ignore_permissions = True
		doc.save()


def get_session_for_update(session: str):
	if not session or not isinstance(session, str) or not is_visible_training_session(session):
		frappe.throw(_("This training session does not exist."), frappe.DoesNotExistError)
	# Lock the row: two tutors taking the last place must not both get it.
	frappe.db.get_value("Training Session", session, "name", for_update=True)
	return frappe.get_doc("Training Session", session)
