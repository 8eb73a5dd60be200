# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_months, get_link_to_form, getdate, today

from ciac_tutoring.tutoring.compliance import update_compliance
from ciac_tutoring.tutoring.doctype.beneficiary.beneficiary import update_status as update_beneficiary_status
from ciac_tutoring.tutoring.doctype.contact_log.contact_log import get_last_contacts
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.workflow_gates import validate_pairing_activation

# A beneficiary is being matched (Proposed) or followed (Active) by at most one tutor at a time.
OPEN_STATUSES = ("Proposed", "Active")
MAX_GOAL_PROGRESS = 5


class OpenPairingExistsError(frappe.ValidationError):
	pass


class TutorCapacityError(frappe.ValidationError):
	pass


class Pairing(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.tutoring.doctype.pairing_goal.pairing_goal import PairingGoal

		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		closure_date: DF.Date | None
		closure_reason: DF.Link | None
		compliance_checked_on: DF.Datetime | None
		compliance_status: DF.Literal["", "On track", "Due soon", "Overdue"]
		coordinator: DF.Link | None
		goals: DF.Table[PairingGoal]
		last_meeting: DF.Date | None
		last_monitoring: DF.Date | None
		last_phone_contact: DF.Date | None
		late_commitments: DF.SmallText | None
		meetings_per_month: DF.Int
		notes: DF.Text | None
		phone_contacts_per_week: DF.Int
		planned_end_date: DF.Date | None
		presentation_date: DF.Date | None
		start_date: DF.Date | None
		status: DF.Literal["Proposed", "Active", "Suspended", "Closed"]
		tutor: DF.Link
		tutor_name: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		self.set_start_date()
		self.set_defaults_from_settings()
		self.set_default_goals()
		self.set_last_contacts()

	def validate(self):
		self.validate_dates()
		self.validate_goal_progress()
		self.validate_one_open_pairing_per_beneficiary()
		self.validate_tutor_capacity()
		validate_pairing_activation(self)
		self.validate_closure()

	def on_update(self):
		self.update_beneficiary_statuses()
		# Status, start, agreed frequencies or last contacts may have changed: the stored compliance follows.
		update_compliance([self.name])

	def after_delete(self):
		update_beneficiary_status(self.beneficiary)

	def set_start_date(self):
		if self.status == "Active" and not self.start_date:
			self.start_date = today()

	def set_defaults_from_settings(self):
		settings = get_settings()
		if not self.phone_contacts_per_week:
			self.phone_contacts_per_week = settings.default_phone_contacts_per_week
		if not self.meetings_per_month:
			self.meetings_per_month = settings.default_meetings_per_month
		if self.start_date and not self.planned_end_date and settings.default_project_months:
			self.planned_end_date = add_months(self.start_date, settings.default_project_months)

	def set_default_goals(self):
		"""A new pairing starts from the programme's common goals, in their order."""
		if not self.is_new() or self.goals:
			return
		for goal in frappe.get_all(
			"Tutoring Goal", filters={"enabled": 1}, order_by="sequence asc, name asc", pluck="name"
		):
			self.append("goals", {"goal": goal, "progress": 0})

	def set_last_contacts(self):
		"""Derived from the contact logs: a form opened before a log was written must not
		save its stale dates back."""
		if not self.is_new():
			self.update(get_last_contacts(self.name))

	def validate_dates(self):
		if (
			self.presentation_date
			and self.start_date
			and getdate(self.start_date) < getdate(self.presentation_date)
		):
			frappe.throw(_("The start date cannot be before the presentation date"))
		if (
			self.start_date
			and self.planned_end_date
			and getdate(self.planned_end_date) <= getdate(self.start_date)
		):
			frappe.throw(_("The planned end date must be after the start date"))
		if self.closure_date:
			if getdate(self.closure_date) > getdate(today()):
				frappe.throw(_("The closure date cannot be in the future"))
			began = self.start_date or self.presentation_date
			if began and getdate(self.closure_date) < getdate(began):
				frappe.throw(_("The closure date cannot be before the pairing began"))

	def validate_goal_progress(self):
		for row in self.goals:
			if not 0 <= (row.progress or 0) <= MAX_GOAL_PROGRESS:
				frappe.throw(
					_("Row {0}: progress must be between 1 and {1} (0 = not rated)").format(
						row.idx, MAX_GOAL_PROGRESS
					)
				)

	def validate_one_open_pairing_per_beneficiary(self):
		if self.status not in OPEN_STATUSES:
			return
		# Two pairings for one beneficiary saved at once: the second waits for the first to commit
		# (a lock on the beneficiary's row), then sees it (a locking read sees committed rows).
		frappe.db.get_value("Beneficiary", self.beneficiary, "name", for_update=True)
		existing = frappe.db.get_value(
			"Pairing",
			{"beneficiary": self.beneficiary, "status": ("in", OPEN_STATUSES), "name": ("!=", self.name)},
			["name", "status"],
			as_dict=True,
			for_update=True,
		)
		if existing:
			frappe.throw(
				_("Beneficiary {0} already has a {1} pairing: {2}").format(
					frappe.bold(self.beneficiary_name or self.beneficiary),
					_(existing.status),
					get_link_to_form("Pairing", existing.name),
				),
				exc=OpenPairingExistsError,
			)

	def validate_tutor_capacity(self):
		if self.status != "Active":
			return
		capacity = frappe.db.get_value("Tutor", self.tutor, "capacity") or 1
		active = frappe.db.count(
			"Pairing", {"tutor": self.tutor, "status": "Active", "name": ("!=", self.name)}
		)
		if active + 1 > capacity:
			frappe.throw(
				_("Tutor {0} already follows {1} active pairings, the most their capacity allows").format(
					frappe.bold(self.tutor_name or self.tutor), active
				),
				exc=TutorCapacityError,
			)

	def validate_closure(self):
		if self.status != "Closed":
			return
		if not self.closure_date or not self.closure_reason:
			frappe.throw(_("To close a pairing, set the closure date and the closure reason"))

	def update_beneficiary_statuses(self):
		update_beneficiary_status(self.beneficiary)
		previous = self.get_doc_before_save()
		if previous and previous.beneficiary != self.beneficiary:
			update_beneficiary_status(previous.beneficiary)
