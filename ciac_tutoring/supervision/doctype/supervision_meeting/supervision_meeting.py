# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

"""A group supervision meeting: tutors in phase Tutoring Started or Monitoring meet CIAC staff and
each other. Staff invite them (email and portal), tutors register on the portal, staff tick who
came; a tutor's presence at a Held meeting counts as the CIAC monitoring of each of their pairings
(the rule is the compliance module's: `compliance.refresh_monitoring`)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from ciac_tutoring.monitoring import compliance

PLANNED, HELD, CANCELLED = "Planned", "Held", "Cancelled"


class SupervisionMeeting(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.supervision.doctype.supervision_attendee.supervision_attendee import (
			SupervisionAttendee,
		)

		attendees: DF.Table[SupervisionAttendee]
		description: DF.SmallText | None
		ends_on: DF.Datetime
		facilitator: DF.Link | None
		location: DF.Data | None
		notes: DF.Text | None
		online_link: DF.Data | None
		starts_on: DF.Datetime
		status: DF.Literal["Planned", "Held", "Cancelled"]
		topic: DF.Data
	# end: auto-generated types

	def validate(self):
		self.validate_times_and_place()
		self.validate_attendees()

	def validate_times_and_place(self):
		if self.starts_on and self.ends_on and get_datetime(self.ends_on) <= get_datetime(self.starts_on):
			frappe.throw(_("Ends On must be after Starts On."), title=_("Ends On"))
		if not (self.location or "").strip() and not (self.online_link or "").strip():
			frappe.throw(_("Enter the place of the meeting or its video link."), title=_("Location"))

	def validate_attendees(self):
		seen = set()
		for row in self.attendees:
			if row.tutor in seen:
				frappe.throw(
					_("Tutors, row {0}: {1} is listed twice.").format(row.idx, row.tutor_name or row.tutor),
					title=_("Tutors"),
				)
			seen.add(row.tutor)
			if row.registered and not row.registered_on:
				row.registered_on = now_datetime()
		if not any(row.present for row in self.attendees):
			return
		if self.status == CANCELLED:
			frappe.throw(_("A cancelled meeting has no one present."), title=_("Present"))
		if get_datetime(self.starts_on) > now_datetime():
			frappe.throw(_("Tick Present once the meeting has started."), title=_("Present"))
		# Ticking who came is what holding the meeting looks like in the desk.
		self.status = HELD

	def on_update(self):
		self.refresh_monitoring()

	def after_delete(self):
		compliance.refresh_monitoring(tutors=present_tutors(self))

	def refresh_monitoring(self):
		"""The pairings of the tutors present now or before this save get their last CIAC monitoring
		from the one rule again (a tutor unticked, a date moved, a meeting cancelled)."""
		before = self.get_doc_before_save()
		tutors = present_tutors(self) | (present_tutors(before) if before else set())
		if tutors:
			compliance.refresh_monitoring(tutors=tutors)


def present_tutors(meeting) -> set[str]:
	return {row.tutor for row in meeting.attendees if row.present and row.tutor}
