# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow, get_transitions
from frappe.utils import add_months, get_link_to_form, getdate, today

from ciac_tutoring.activation import workflow_gates
from ciac_tutoring.activation.workflow_gates import validate_pairing_activation
from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import get_last_contacts
from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import update_status as update_beneficiary_status
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import (
	CLOSED,
	ONE_PER_BENEFICIARY_STATUSES,
	OPEN_PAIRING_STATUSES,
	places_taken,
	tutor_capacity,
)
from ciac_tutoring.validation import CheckedInput

MAX_GOAL_PROGRESS = 5


class OpenPairingExistsError(frappe.ValidationError):
	pass


class TutorCapacityError(frappe.ValidationError):
	pass


class ClosureError(frappe.ValidationError):
	"""A pairing is closed without its outcome (reason, who, ratings, closing interview)."""


# The workflow actions that take a tutor out of tutoring when its last pairing closes:
# to Concluded, or through Concluded back to Presentation (phase 4) for a new pairing.
CONCLUDE_ACTION, PROPOSE_AGAIN_ACTION = "Conclude", "Propose New Pairing"


class Pairing(CheckedInput, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.pairing.doctype.pairing_goal.pairing_goal import PairingGoal

		agreement_signed_by: DF.SmallText | None
		agreement_signed_on: DF.Date | None
		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		closing_interview_date: DF.Date | None
		closing_interview_notes: DF.Text | None
		closure_date: DF.Date | None
		closure_initiated_by: DF.Literal["", "Tutor", "Beneficiary", "Both", "CIAC"]
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
		overdue_since: DF.Date | None
		phone_contacts_per_week: DF.Int
		planned_end_date: DF.Date | None
		presentation_date: DF.Date | None
		start_date: DF.Date | None
		status: DF.Literal["Proposed", "Active", "Suspended", "Closed"]
		tutor: DF.Link
		tutor_available_again: DF.Check
		tutor_name: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		self.set_start_date()
		self.set_defaults_from_settings()
		self.set_default_goals()
		self.set_last_contacts()
		self.load_stored_compliance()

	def validate(self):
		self.validate_dates()
		self.validate_goal_progress()
		self.validate_one_open_pairing_per_beneficiary()
		self.validate_tutor_capacity()
		validate_pairing_activation(self)
		self.validate_closure()
		self.validate_closure_outcome()
		self.validate_agreement_signature()

	def on_update(self):
		self.update_beneficiary_statuses()
		# Status, start, agreed frequencies or last contacts may have changed: the stored compliance follows.
		compliance.update_compliance([self.name])
		self.load_stored_compliance()  # the saved form shows them at once
		self.move_tutor_after_closure()

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

	def load_stored_compliance(self):
		"""The values update_compliance derived and stored (none yet before a pairing's insert).
		Loaded before a save, so that what a form or a request sends for them is never saved: a
		form opened before a contact was logged would write back its stale status, and
		overdue_since, kept while the stored status stays Overdue, would then be dated afresh."""
		stored = self.name and frappe.db.get_value(
			"Pairing", self.name, compliance.STORED_FIELDS, as_dict=True
		)
		self.update(stored or dict.fromkeys(compliance.STORED_FIELDS))

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
			for field in ("progress", "initial_progress", "final_progress"):
				if not 0 <= (row.get(field) or 0) <= MAX_GOAL_PROGRESS:
					frappe.throw(
						_("Row {0}: progress must be between 1 and {1} (0 = not rated)").format(
							row.idx, MAX_GOAL_PROGRESS
						)
					)

	def validate_one_open_pairing_per_beneficiary(self):
		if self.status not in ONE_PER_BENEFICIARY_STATUSES:
			return
		# Two pairings for one beneficiary saved at once: the second waits for the first to commit
		# (a lock on the beneficiary's row), then sees it (a locking read sees committed rows).
		frappe.db.get_value("Beneficiary", self.beneficiary, "name", for_update=True)
		existing = frappe.db.get_value(
			"Pairing",
			{
				"beneficiary": self.beneficiary,
				"status": ("in", ONE_PER_BENEFICIARY_STATUSES),
				"name": ("!=", self.name),
			},
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
		"""Every open pairing takes one of the tutor's places, as matching counts them: checked when
		a pairing starts taking one (new, reopened or given to another tutor)."""
		if self.status not in OPEN_PAIRING_STATUSES:
			return
		previous = self.get_doc_before_save()
		if previous and previous.status in OPEN_PAIRING_STATUSES and previous.tutor == self.tutor:
			return
		capacity = tutor_capacity(frappe.db.get_value("Tutor", self.tutor, "capacity"))
		taken = places_taken([self.tutor], excluding_pairing=self.name).get(self.tutor, 0)
		if taken + 1 > capacity:
			frappe.throw(
				_("Tutor {0} already holds {1} open pairings, the most their capacity allows").format(
					frappe.bold(self.tutor_name or self.tutor), taken
				),
				exc=TutorCapacityError,
			)

	def validate_closure(self):
		if self.status != CLOSED:
			return
		if not self.closure_date or not self.closure_reason:
			frappe.throw(_("To close a pairing, set the closure date and the closure reason"))

	def update_beneficiary_statuses(self):
		update_beneficiary_status(self.beneficiary)
		previous = self.get_doc_before_save()
		if previous and previous.beneficiary != self.beneficiary:
			update_beneficiary_status(previous.beneficiary)

	def is_being_closed(self) -> bool:
		return self.status == "Closed" and (self.is_new() or self.has_value_changed("status"))

	def validate_closure_outcome(self):
		"""Closing records the outcome: who ended it and, for a pairing that started, the closing
		interview and a final rating of every goal. Checked before anything is saved."""
		if not self.is_being_closed():
			return
		missing = []
		if not self.closure_initiated_by:
			missing.append(_("who initiated the closure"))
		if self.start_date:
			if not self.closing_interview_date:
				missing.append(_("the closing interview date"))
			unrated = [row.goal for row in self.goals if not row.final_progress]
			if unrated:
				missing.append(_("the final rating of the goals {0}").format(", ".join(unrated)))
		if missing:
			frappe.throw(
				_("To close the pairing, record {0}.").format("; ".join(missing)),
				exc=ClosureError,
				title=_("Closure incomplete"),
			)
		self.validate_closing_interview_date()
		self.check_tutor_can_move()

	def validate_closing_interview_date(self):
		if not self.closing_interview_date:
			return
		if getdate(self.closing_interview_date) > getdate(today()):
			frappe.throw(_("The closing interview date cannot be in the future"), exc=ClosureError)
		if self.start_date and getdate(self.closing_interview_date) < getdate(self.start_date):
			frappe.throw(_("The closing interview date cannot be before the start date"), exc=ClosureError)

	def tutor_actions_after_closure(self) -> list[str]:
		"""The workflow actions the tutor takes once this, its last open pairing, is closed:
		none while other pairings stay open or when the tutor is not tutoring (phase 5 or 6)."""
		phase = frappe.db.get_value("Tutor", self.tutor, "workflow_state")
		if phase not in (workflow_gates.TUTORING_STARTED, workflow_gates.MONITORING):
			return []
		others_open = frappe.db.exists(
			"Pairing",
			{
				"tutor": self.tutor,
				"status": ("in", workflow_gates.OPEN_PAIRING_STATUSES),
				"name": ("!=", self.name),
			},
		)
		if others_open:
			return []
		return [CONCLUDE_ACTION, PROPOSE_AGAIN_ACTION] if self.tutor_available_again else [CONCLUDE_ACTION]

	def check_tutor_can_move(self):
		"""The user closing the pairing must be allowed to take the tutor's workflow actions, or
		the pairing would be closed with the tutor stuck in tutoring."""
		tutor = frappe.get_doc("Tutor", self.tutor)
		for action in self.tutor_actions_after_closure():
			transition = next((t for t in get_transitions(tutor) if t.action == action), None)
			if not transition:
				frappe.throw(
					_(
						"You cannot close this pairing: tutor {0} would need the phase change {1}, which you may not make."
					).format(frappe.bold(tutor.tutor_name or tutor.name), frappe.bold(_(action))),
					exc=ClosureError,
				)
			tutor.workflow_state = transition.next_state

	def move_tutor_after_closure(self):
		"""Phase 4 again (available for a new pairing) or Concluded, as recorded at closure."""
		if not self.is_being_closed():
			return
		for action in self.tutor_actions_after_closure():
			apply_workflow(frappe.get_doc("Tutor", self.tutor), action)

	def validate_agreement_signature(self):
		"""A signed agreement records when and by whom; signing happens once the pairing is proposed."""
		if not self.agreement_signed_on and not self.agreement_signed_by:
			return
		if not self.agreement_signed_on or not (self.agreement_signed_by or "").strip():
			frappe.throw(_("To record the signed agreement, set both the date and who signed it"))
		if getdate(self.agreement_signed_on) > getdate(today()):
			frappe.throw(_("The agreement cannot be signed in the future"))
		if self.presentation_date and getdate(self.agreement_signed_on) < getdate(self.presentation_date):
			frappe.throw(_("The agreement cannot be signed before the presentation date"))
