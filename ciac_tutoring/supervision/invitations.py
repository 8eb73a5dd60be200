"""Inviting tutors to a group supervision meeting, and their registration from the portal.

Invited are the tutors in phase 5 or 6 of the activation workflow (Tutoring Started, Monitoring).
Each invitation is emailed once per meeting and tutor (the Tutoring Reminder Log's key
`supervision_invitation:<meeting>:<tutor>`), from the Email Templates "CIAC Supervision Invitation"
in the tutor's language; the portal lists the meeting for them to register.
"""

import frappe
from frappe import _
from frappe.utils import format_datetime, get_datetime, get_url, now_datetime

from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder, queue_reminders
from ciac_tutoring.monitoring.reminder_parts import format_date_and_time
from ciac_tutoring.supervision.doctype.supervision_meeting.supervision_meeting import PLANNED
from ciac_tutoring.tutoring.vocabulary import MONITORING, SUPERVISION_INVITATION, TUTORING_STARTED

INVITED_PHASES = (TUTORING_STARTED, MONITORING)
PORTAL_ROUTE = "/training"


def invitable_tutors() -> list[frappe._dict]:
	"""The tutors in phase 5 or 6, with what their invitation needs."""
	return frappe.db.sql(
		"""
		SELECT t.name, t.tutor_name, t.email, u.language
		FROM `tabTutor` t LEFT JOIN `tabUser` u ON u.name = t.user
		WHERE t.workflow_state IN %(phases)s ORDER BY t.tutor_name, t.name
		""",
		{"phases": INVITED_PHASES},
		as_dict=True,
	)


def is_open_for_registration(meeting) -> bool:
	return meeting.status == PLANNED and get_datetime(meeting.starts_on) > now_datetime()


@frappe.whitelist(methods=["POST"])
def invite_tutors(meeting: str) -> int:
	"""Add every tutor in phase 5 or 6 to the meeting's tutors, and email each one not yet invited;
	return how many invitations were sent. Staff with write permission on the meeting only."""
	doc = frappe.get_doc("Supervision Meeting", meeting)
	doc.check_permission("write")
	if not is_open_for_registration(doc):
		frappe.throw(_("Only a planned meeting that has not started yet can be invited to."))
	tutors = invitable_tutors()
	listed = {row.tutor: row for row in doc.attendees}
	now = now_datetime()
	for tutor in tutors:
		row = listed.get(tutor.name) or doc.append("attendees", {"tutor": tutor.name})
		row.invited_on = row.invited_on or now
	doc.save()
	return len(queue_reminders(invitation_emails(doc, tutors)))


def invitation_emails(doc, tutors: list[frappe._dict]) -> list[Reminder]:
	renderer = TemplateRenderer()
	when = format_date_and_time(doc.starts_on)
	reminders = []
	for tutor in tutors:
		if not tutor.email:
			continue
		language = renderer.language_for(tutor.language)
		reminders.append(
			Reminder(
				key=f"supervision_invitation:{doc.name}:{tutor.name}",
				rule=SUPERVISION_INVITATION,
				recipient=tutor.email,
				email=renderer.prepare(
					"supervision_invitation",
					language,
					{
						"tutor_name": tutor.tutor_name,
						"topic": doc.topic,
						"starts_on": when,
						"ends_on": format_datetime(doc.ends_on, "HH:mm") if doc.ends_on else "",
						"location": doc.location,
						"online_link": doc.online_link,
						"description": doc.description,
						"portal_url": get_url(PORTAL_ROUTE),
					},
				),
				message=f"{renderer.translate(SUPERVISION_INVITATION, language)}: {doc.topic} / {when}",
				period=str(get_datetime(doc.starts_on).date()),
				tutor=tutor.name,
				reference_doctype="Supervision Meeting",
				reference_name=doc.name,
			)
		)
	return reminders


# --- the portal's side (called by ciac_tutoring.portal.supervision after its tutor check) -----


def set_registration(meeting: str, tutor: str, registered: bool) -> None:
	"""Register `tutor` for `meeting`, or cancel their registration. The caller has checked that the
	tutor is the logged-in user's; the meeting must list them (invited) and still be open."""
	if not meeting or not isinstance(meeting, str):
		frappe.throw(_("This meeting does not exist."), frappe.DoesNotExistError)
	# Lock the meeting: a registration and a staff save at once must not overwrite each other.
	if not frappe.db.get_value("Supervision Meeting", meeting, "name", for_update=True):
		frappe.throw(_("This meeting does not exist."), frappe.DoesNotExistError)
	doc = frappe.get_doc("Supervision Meeting", meeting)
	row = next((row for row in doc.attendees if row.tutor == tutor), None)
	if not row:
		frappe.throw(_("This meeting does not exist."), frappe.DoesNotExistError)
	if not is_open_for_registration(doc):
		frappe.throw(_("Registration for this meeting is closed."))
	row.registered = 1 if registered else 0
	row.registered_on = now_datetime() if registered else None
	# A tutor has no DocPerm on meetings: the caller's check and the row above are the permission.
	doc.flags.ignore_permissions = True
	doc.save()
