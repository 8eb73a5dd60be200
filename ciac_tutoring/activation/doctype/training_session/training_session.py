# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import cint, flt, get_datetime, now_datetime, time_diff_in_hours, today

from ciac_tutoring.tutoring.vocabulary import ATTENDED, REGISTERED, SEAT_TAKING_ATTENDANCE
from ciac_tutoring.validation import CheckedInput

PLANNED = "Planned"
HELD = "Held"


class TrainingCapacityError(frappe.ValidationError):
	pass


class TrainingSession(CheckedInput, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.activation.doctype.training_attendance.training_attendance import (
			TrainingAttendance,
		)

		attendees: DF.Table[TrainingAttendance]
		capacity: DF.Int
		description: DF.TextEditor | None
		ends_on: DF.Datetime
		location: DF.Data | None
		online_link: DF.Data | None
		starts_on: DF.Datetime
		status: DF.Literal["Planned", "Held", "Cancelled"]
		title: DF.Data
		topic: DF.Link | None
		trainer: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		self.set_attendee_defaults()

	def validate(self):
		self.validate_times()
		self.validate_held_has_started()
		self.validate_one_row_per_tutor()
		self.validate_capacity()
		self.validate_hours()

	def on_update(self):
		self.refresh_tutors_training_hours()

	def after_delete(self):
		refresh_training_hours([row.tutor for row in self.attendees])

	def set_attendee_defaults(self):
		"""Attended rows without hours count the whole session."""
		duration = self.get_duration_hours()
		for row in self.attendees:
			if not row.registered_on:
				row.registered_on = today()
			if row.attendance == ATTENDED and not row.hours and duration:
				row.hours = duration

	def get_duration_hours(self) -> float:
		if not (self.starts_on and self.ends_on):
			return 0
		return max(flt(time_diff_in_hours(self.ends_on, self.starts_on), 2), 0)

	def validate_times(self):
		if get_datetime(self.ends_on) <= get_datetime(self.starts_on):
			frappe.throw(_("The session must end after it starts"))

	def validate_held_has_started(self):
		if self.status == HELD and get_datetime(self.starts_on) > now_datetime():
			frappe.throw(_("A session cannot be marked Held before it starts"))

	def validate_one_row_per_tutor(self):
		seen = set()
		for row in self.attendees:
			if row.tutor in seen:
				frappe.throw(
					_("Row {0}: tutor {1} is already registered").format(
						row.idx, frappe.bold(row.tutor_name or row.tutor)
					)
				)
			seen.add(row.tutor)

	def seats_taken(self) -> int:
		return sum(1 for row in self.attendees if row.attendance in SEAT_TAKING_ATTENDANCE)

	def free_places(self) -> int | None:
		"""Seats left (None: no limit). An Excused tutor's row keeps its history but not its seat."""
		return free_places(self.capacity, self.seats_taken())

	def validate_capacity(self):
		if cint(self.capacity) and self.seats_taken() > cint(self.capacity):
			frappe.throw(
				_("The session has {0} registrations but room for {1}").format(
					self.seats_taken(), self.capacity
				),
				exc=TrainingCapacityError,
			)

	def is_open_for_registration(self) -> bool:
		return self.status == PLANNED and get_datetime(self.starts_on) >= now_datetime()

	def register(self, tutor: str) -> None:
		"""Give `tutor` a seat: the one rule for the portal's button and the desk alike (save after)."""
		if not self.is_open_for_registration():
			frappe.throw(_("Registration for this session is closed."))
		if any(row.tutor == tutor for row in self.attendees):
			frappe.throw(_("You are already registered for this session."))
		if self.free_places() == 0:
			frappe.throw(_("This session is full."), exc=TrainingCapacityError)
		self.append("attendees", {"tutor": tutor, "registered_on": today(), "attendance": REGISTERED})

	def unregister(self, tutor: str) -> None:
		"""Take back `tutor`'s registration before the session; recorded attendance is CIAC's to change."""
		rows = [row for row in self.attendees if row.tutor == tutor]
		if not rows:
			frappe.throw(_("You are not registered for this session."))
		if not self.is_open_for_registration():
			frappe.throw(_("This session has already started: ask CIAC to change your registration."))
		if any(row.attendance != REGISTERED for row in rows):
			frappe.throw(_("Your attendance is already recorded: ask CIAC to change it."))
		for row in rows:
			self.remove(row)

	def validate_hours(self):
		for row in self.attendees:
			if flt(row.hours) < 0:
				frappe.throw(_("Row {0}: hours cannot be negative").format(row.idx))

	def refresh_tutors_training_hours(self):
		tutors = {row.tutor for row in self.attendees}
		previous = self.get_doc_before_save()
		if previous:
			tutors |= {row.tutor for row in previous.attendees}
		refresh_training_hours(list(tutors))


def refresh_training_hours(tutors: list[str]) -> None:
	"""Recompute the tutors' training hours from attendance: hours of Attended rows of Held
	sessions. One UPDATE, so marking a session Held adds the hours and un-marking takes them back."""
	tutors = [t for t in tutors if t]
	if not tutors:
		return
	tutor = frappe.qb.DocType("Tutor")
	attended = attended_hours_query(tutors).as_("attended")
	(
		frappe.qb.update(tutor)
		.left_join(attended)
		.on(attended.tutor == tutor.name)
		.set(tutor.training_hours, Coalesce(attended.hours, 0))
		.where(tutor.name.isin(tutors))
	).run()


def get_training_hours(tutor: str) -> float:
	rows = attended_hours_query([tutor]).run(as_dict=True)
	return flt(rows[0].hours) if rows else 0


def attended_hours_query(tutors: list[str]):
	"""Per tutor, the hours of Attended rows in Held sessions."""
	attendance = frappe.qb.DocType("Training Attendance")
	session = frappe.qb.DocType("Training Session")
	return (
		frappe.qb.from_(attendance)
		.join(session)
		.on(
			(session.name == attendance.parent)
			& (attendance.parenttype == "Training Session")
			& (attendance.parentfield == "attendees")
		)
		.select(attendance.tutor, Sum(attendance.hours).as_("hours"))
		.where(attendance.tutor.isin(tutors))
		.where(session.status == HELD)
		.where(attendance.attendance == ATTENDED)
		.groupby(attendance.tutor)
	)


def free_places(capacity, taken: int) -> int | None:
	"""Seats left of a session (None: no limit set)."""
	return max(cint(capacity) - cint(taken), 0) if cint(capacity) else None


def seats_taken(sessions: list[str]) -> dict[str, int]:
	"""Per session, the seats its rows take (set-based, for lists of sessions)."""
	if not sessions:
		return {}
	attendance = frappe.qb.DocType("Training Attendance")
	return dict(
		frappe.qb.from_(attendance)
		.select(attendance.parent, Count("*"))
		.where(attendance.parenttype == "Training Session")
		.where(attendance.parentfield == "attendees")
		.where(attendance.parent.isin(sessions))
		.where(attendance.attendance.isin(SEAT_TAKING_ATTENDANCE))
		.groupby(attendance.parent)
		.run()
	)


def training_record(tutors: list[str]) -> list[dict]:
	"""The tutors' rows of every session, newest first: their training record on the portal and in
	their personal-data export."""
	if not tutors:
		return []
	session = frappe.qb.DocType("Training Session")
	attendance = frappe.qb.DocType("Training Attendance")
	return (
		frappe.qb.from_(attendance)
		.join(session)
		.on(session.name == attendance.parent)
		.select(
			session.name,
			session.title,
			session.starts_on,
			session.status,
			attendance.registered_on,
			attendance.attendance,
			attendance.hours,
		)
		.where(attendance.parenttype == "Training Session")
		.where(attendance.parentfield == "attendees")
		.where(attendance.tutor.isin(tutors))
		.orderby(session.starts_on, order=frappe.qb.desc)
		.run(as_dict=True)
	)
