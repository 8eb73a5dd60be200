"""The programme's words, defined once: the statuses and phases the desk, the portal, the jobs, the
reports and privacy code all test for, the reminder rules and a tutor's capacity.

Constants, and the one count of a tutor's places; no import of the app, so every layer (DocTypes,
gates, matching, jobs, reports, portal, privacy) may import it.
"""

import frappe
from frappe.query_builder.functions import Count
from frappe.utils import cint

# --- Tutor phases (workflow "Tutor Activation", docs/workflow.md) -------------------------------

AVAILABILITY_NOTIFIED = "Availability Notified"
INTERVIEW = "Interview"
TRAINING = "Training"
PRESENTATION = "Presentation"
TUTORING_STARTED = "Tutoring Started"
MONITORING = "Monitoring"
WITHDRAWN = "Withdrawn"
NOT_SUITABLE = "Not Suitable"
CONCLUDED = "Concluded"

# The six phases of the programme, in order; the side states are not numbered.
PHASES = (AVAILABILITY_NOTIFIED, INTERVIEW, TRAINING, PRESENTATION, TUTORING_STARTED, MONITORING)
SIDE_STATES = (WITHDRAWN, NOT_SUITABLE, CONCLUDED)
# A pairing may be Active only while its tutor is in one of these phases (4 to 6); matching
# presents these tutors.
PAIRING_ACTIVE_PHASES = (PRESENTATION, TUTORING_STARTED, MONITORING)

# --- Pairing statuses ----------------------------------------------------------------------------

PROPOSED = "Proposed"
ACTIVE = "Active"
SUSPENDED = "Suspended"
CLOSED = "Closed"

# Not closed yet: the pairing takes one of its tutor's places and keeps its beneficiary matched.
OPEN_PAIRING_STATUSES = (PROPOSED, ACTIVE, SUSPENDED)
# A beneficiary is being matched (Proposed) or followed (Active) by at most one tutor at a time.
ONE_PER_BENEFICIARY_STATUSES = (PROPOSED, ACTIVE)
# Contacts are logged while the tutoring runs, paused or not.
LOGGABLE_PAIRING_STATUSES = (ACTIVE, SUSPENDED)

# --- Beneficiary statuses (derived from the pairings) --------------------------------------------

WAITING = "Waiting"
PAIRED = "Paired"
# CLOSED as for pairings.

# --- Training attendance -------------------------------------------------------------------------

REGISTERED = "Registered"
ATTENDED = "Attended"
ABSENT = "Absent"
EXCUSED = "Excused"
# An Excused tutor told CIAC they will not come: their seat is free for someone else.
SEAT_TAKING_ATTENDANCE = (REGISTERED, ATTENDED, ABSENT)

# --- Reminder rules (Tutoring Reminder Log.rule) -------------------------------------------------

TUTOR_REMINDER = "Tutor reminder"
PAIRING_OVERDUE = "Pairing overdue"
NEEDS_ATTENTION = "Needs CIAC attention"
WEEKLY_DIGEST = "Weekly digest"
TRAINING_REMINDER = "Training reminder"
# Those addressed to the tutor (shown on their portal); the others go to coordinators.
TUTOR_NOTICE_RULES = (TUTOR_REMINDER, TRAINING_REMINDER)

# --- A tutor's capacity --------------------------------------------------------------------------


def tutor_capacity(capacity) -> int:
	"""How many pairings a tutor may hold at once: their capacity, at least 1 (an unset capacity is 1).
	Every open pairing (Proposed, Active or Suspended) takes one place."""
	return max(cint(capacity), 1)


def places_taken(tutors: list[str], excluding_pairing: str | None = None) -> dict[str, int]:
	"""Per tutor, the places their open pairings (Proposed, Active, Suspended) take: the one count
	of a tutor's capacity for the Pairing and Tutor controllers and matching."""
	if not tutors:
		return {}
	pairing = frappe.qb.DocType("Pairing")
	query = (
		frappe.qb.from_(pairing)
		.select(pairing.tutor, Count("*"))
		.where(pairing.tutor.isin(tutors))
		.where(pairing.status.isin(OPEN_PAIRING_STATUSES))
		.groupby(pairing.tutor)
	)
	if excluding_pairing:
		query = query.where(pairing.name != excluding_pairing)
	return {tutor: cint(count) for tutor, count in query.run()}
