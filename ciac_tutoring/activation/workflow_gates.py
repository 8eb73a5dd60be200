"""Server-side rules of the "Tutor Activation" workflow (see docs/workflow.md).

Frappe's own `validate_workflow` (run on save, after the controller's `validate`) refuses a
change of `workflow_state` that no transition of the workflow allows for the user's roles. The gates here add what the
workflow cannot express: the preconditions of each phase, checked in Python whatever
route the change takes (desk, `apply_workflow`, import, REST). They are cumulative, so a
transition an admin adds in the desk (say Availability Notified -> Presentation) still
cannot skip the interview or the training.

Called from the Tutor controller:
- `validate`: `validate_phase_change(self)`: gates, then phase history (nothing is saved
  when a gate refuses);
- `on_update`: `apply_phase_effects(self)`: what entering a phase does (portal user on
  Training, the proposed pairing made Active on Tutoring Started, the phase notifications).
From the Pairing controller's `validate`: `validate_pairing_activation(self)`.
"""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow, get_workflow_name
from frappe.query_builder.functions import Count
from frappe.utils import date_diff, now_datetime, today

from ciac_tutoring.activation.workflow_notifications import outgoing_email_configured
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import (  # noqa: F401 (the gates' callers read the phases here too)
	AVAILABILITY_NOTIFIED,
	CONCLUDED,
	INTERVIEW,
	MONITORING,
	NOT_SUITABLE,
	OPEN_PAIRING_STATUSES,
	PAIRING_ACTIVE_PHASES,
	PHASES,
	PRESENTATION,
	SIDE_STATES,
	TRAINING,
	TUTORING_STARTED,
	WITHDRAWN,
	places_taken,
	tutor_capacity,
)

WORKFLOW_NAME = "Tutor Activation"

MONITORING_MEETING = "CIAC monitoring meeting"

# The document event the phase notifications listen to (Notification event "Method"). Frappe's
# own "New"/"Value Change" events would make saving a tutor fail on a site without an outgoing
# email account; this one is raised only when email can be sent.
PHASE_CHANGE_EVENT = "on_phase_change"


class PhaseGateError(frappe.ValidationError):
	"""A tutor does not meet the preconditions of the phase it is moved to."""


class PairingActivationError(frappe.ValidationError):
	"""A pairing is made Active while its tutor is before phase 4."""


def phase_number(state: str | None) -> int:
	"""1 to 6 for the phases, 0 for the side states and an empty state."""
	return PHASES.index(state) + 1 if state in PHASES else 0


# --- Tutor.validate ----------------------------------------------------------------------


def validate_phase_change(tutor) -> None:
	set_first_phase(tutor)
	if not tutor.has_value_changed("workflow_state"):
		return
	check_phase_gates(tutor)
	record_phase_change(tutor)


def set_first_phase(tutor) -> None:
	"""A new tutor starts in the workflow's first state (Frappe would set it only after
	the controller's validate, too late for the phase history)."""
	if tutor.is_new() and not tutor.workflow_state and get_workflow_name("Tutor"):
		tutor.workflow_state = get_workflow("Tutor").states[0].state


def check_phase_gates(tutor) -> None:
	"""Refuse the move to `tutor.workflow_state` unless its preconditions hold."""
	target = tutor.workflow_state
	missing = []
	number = phase_number(target)
	if number >= 2:
		missing += _missing_contact_and_consent(tutor)
	if number >= 3:
		missing += _missing_interview(tutor)
	if number >= 4:
		missing += _missing_training_hours(tutor)
	missing += TARGET_GATES.get(target, lambda tutor: [])(tutor)
	# Gates other modules add through hooks.py `tutor_phase_gates` ({state: [dotted path]}): each
	# returns the reasons, translated, that the tutor cannot enter that state.
	for gate in frappe.get_hooks("tutor_phase_gates", {}).get(target, []):
		missing += frappe.get_attr(gate)(tutor)
	if missing:
		frappe.throw(
			_("{0} cannot move to phase {1}: {2}.").format(
				frappe.bold(tutor.tutor_name or tutor.name), frappe.bold(_(target)), "; ".join(missing)
			),
			exc=PhaseGateError,
			title=_("Phase change refused"),
		)


def _missing_contact_and_consent(tutor) -> list[str]:
	missing = []
	if not tutor.email:
		missing.append(_("the email address is missing"))
	if not tutor.mobile:
		missing.append(_("the mobile number is missing"))
	if not tutor.privacy_consent or not tutor.privacy_consent_date:
		missing.append(_("the privacy consent and its date are missing"))
	return missing


def _missing_interview(tutor) -> list[str]:
	missing = []
	if not tutor.interview_date:
		missing.append(_("the interview date is missing"))
	if not tutor.interviewer:
		missing.append(_("the interviewer is missing"))
	if tutor.interview_outcome != "Suitable":
		missing.append(_("the interview outcome is not Suitable"))
	return missing


def _missing_training_hours(tutor) -> list[str]:
	minimum = get_settings().minimum_training_hours
	if (tutor.training_hours or 0) < minimum:
		return [
			_("{0} training hours attended, at least {1} required").format(tutor.training_hours or 0, minimum)
		]
	return []


def _missing_proposed_pairing(tutor) -> list[str]:
	to_start = get_pairings_to_start(tutor.name)
	if not to_start:
		return [_("no Proposed pairing with a presentation date")]
	# Each proposal took its place when proposed; checked here too for those proposed over capacity
	# before proposals counted, so that activating them after the save cannot fail half-way.
	capacity = tutor_capacity(tutor.capacity)
	if places_taken([tutor.name]).get(tutor.name, 0) > capacity:
		return [
			_("starting {0} pairings would exceed the tutor's capacity of {1}").format(
				len(to_start), capacity
			)
		]
	return []


def _missing_monitoring_meeting(tutor) -> list[str]:
	pairing = frappe.qb.DocType("Pairing")
	contact = frappe.qb.DocType("Contact Log")
	meetings = (
		frappe.qb.from_(contact)
		.join(pairing)
		.on(pairing.name == contact.pairing)
		.select(Count(contact.name))
		.where(pairing.tutor == tutor.name)
		.where(pairing.status == "Active")
		.where(contact.kind == MONITORING_MEETING)
	).run()[0][0]
	if not meetings:
		return [_("no CIAC monitoring meeting logged for an Active pairing")]
	return []


def _missing_closed_pairings(tutor) -> list[str]:
	open_pairings = frappe.get_all(
		"Pairing",
		filters={"tutor": tutor.name, "status": ("in", OPEN_PAIRING_STATUSES)},
		pluck="name",
		order_by="name",
	)
	if open_pairings:
		return [_("pairings not yet Closed: {0}").format(", ".join(open_pairings))]
	return []


# The gate of each target state; leaving the programme (Withdrawn, Not Suitable) or
# concluding it needs every pairing closed first, so no Active pairing is left orphaned.
TARGET_GATES = {
	TUTORING_STARTED: _missing_proposed_pairing,
	MONITORING: _missing_monitoring_meeting,
	CONCLUDED: _missing_closed_pairings,
	WITHDRAWN: _missing_closed_pairings,
	NOT_SUITABLE: _missing_closed_pairings,
}


def get_pairings_to_start(tutor_name: str) -> list[str]:
	"""The tutor's Proposed pairings whose presentation date is set."""
	return frappe.get_all(
		"Pairing",
		filters={"tutor": tutor_name, "status": "Proposed", "presentation_date": ("is", "set")},
		pluck="name",
		order_by="presentation_date",
	)


def record_phase_change(tutor) -> None:
	"""Append who, when, from and to to the phase history; restart the phase clock."""
	before = tutor.get_doc_before_save()
	now = now_datetime()
	tutor.append(
		"phase_history",
		{
			"from_phase": before.workflow_state if before else None,
			"to_phase": tutor.workflow_state,
			"changed_by": frappe.session.user,
			"changed_on": now,
			"days_in_previous_phase": date_diff(now, before.phase_changed_on)
			if before and before.phase_changed_on
			else 0,
		},
	)
	tutor.phase_changed_on = now


# --- Tutor.on_update ---------------------------------------------------------------------


def apply_phase_effects(tutor) -> None:
	if not tutor.has_value_changed("workflow_state"):
		return
	can_email = outgoing_email_configured()
	if tutor.workflow_state == TRAINING and not tutor.user:
		tutor.activate_portal_user(send_welcome_email=can_email)
	if tutor.workflow_state == TUTORING_STARTED:
		start_proposed_pairings(tutor)
	if can_email:
		# Fires the Notifications whose event is Method `on_phase_change` (workflows/notifications.json);
		# their Jinja methods render for this tutor whoever saved it (a guest's availability form).
		previous = frappe.flags.ciac_phase_notification
		frappe.flags.ciac_phase_notification = tutor.name
		try:
			tutor.run_method(PHASE_CHANGE_EVENT)
		finally:
			frappe.flags.ciac_phase_notification = previous


def start_proposed_pairings(tutor) -> None:
	"""The transition to Tutoring Started makes the presented pairing Active from today."""
	for name in get_pairings_to_start(tutor.name):
		pairing = frappe.get_doc("Pairing", name)
		pairing.status = "Active"
		pairing.start_date = pairing.start_date or today()
		pairing.save()


# --- Pairing.validate --------------------------------------------------------------------


def validate_pairing_activation(pairing) -> None:
	"""A pairing becomes Active only once its tutor reached phase 4, whatever the route."""
	if pairing.status != "Active" or not pairing.tutor:
		return
	if not pairing.is_new() and not pairing.has_value_changed("status"):
		return
	phase = frappe.db.get_value("Tutor", pairing.tutor, "workflow_state")
	if phase not in PAIRING_ACTIVE_PHASES:
		frappe.throw(
			_("The pairing cannot be Active: tutor {0} is in {1}, and pairings start from phase {2}.").format(
				frappe.bold(pairing.tutor),
				frappe.bold(_(phase or AVAILABILITY_NOTIFIED)),
				frappe.bold(_(PRESENTATION)),
			),
			exc=PairingActivationError,
			title=_("Pairing not activated"),
		)
