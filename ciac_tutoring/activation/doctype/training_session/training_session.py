# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt, get_datetime, now_datetime, time_diff_in_hours, today

from ciac_tutoring.validation import CheckedInput


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
			if row.attendance == "Attended" and not row.hours and duration:
				row.hours = duration

	def get_duration_hours(self) -> float:
		if not (self.starts_on and self.ends_on):
			return 0
		return max(flt(time_diff_in_hours(self.ends_on, self.starts_on), 2), 0)

	def validate_times(self):
		if get_datetime(self.ends_on) <= get_datetime(self.starts_on):
			frappe.throw(_("The session must end after it starts"))

	def validate_held_has_started(self):
		if self.status == "Held" and get_datetime(self.starts_on) > now_datetime():
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

	def validate_capacity(self):
		if self.capacity and len(self.attendees) > self.capacity:
			frappe.throw(
				_("The session has {0} registrations but room for {1}").format(
					len(self.attendees), self.capacity
				),
				exc=TrainingCapacityError,
			)

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
		.where(session.status == "Held")
		.where(attendance.attendance == "Attended")
		.groupby(attendance.tutor)
	)
