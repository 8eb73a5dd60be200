"""Volunteer hours and the certificate of hours and training (print format Volunteer Certificate).

A tutor's hours are the minutes of the contacts logged for their pairings (Contact Log
`duration_minutes`) plus the hours of the training sessions they attended (Training Attendance rows
marked Attended). Staff print the certificate from the Tutor's form; a tutor downloads their own
on the portal (`download_my_certificate`), served by this server code after the ownership check.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.translate import print_language
from frappe.utils import flt, getdate, today

from ciac_tutoring.permissions import own_tutor_names
from ciac_tutoring.third_sector import register

PRINT_FORMAT = "Volunteer Certificate"
LANGUAGES = ("it", "en")
ATTENDED = "Attended"

ContactLog = DocType("Contact Log")
TrainingSession = DocType("Training Session")
TrainingAttendance = DocType("Training Attendance")


def contact_hours(tutor: str, to_date=None) -> tuple[float, int]:
	"""Hours of the tutor's contacts up to a day, and how many contacts."""
	query = (
		frappe.qb.from_(ContactLog)
		.select(Coalesce(Sum(ContactLog.duration_minutes), 0), Count(ContactLog.name))
		.where(ContactLog.tutor == tutor)
		.where(ContactLog.contact_date <= getdate(to_date or today()))
	)
	minutes, count = query.run()[0]
	return flt(minutes) / 60, count


def attended_training(tutor: str, to_date=None) -> list[frappe._dict]:
	return (
		frappe.qb.from_(TrainingAttendance)
		.join(TrainingSession)
		.on(
			(TrainingSession.name == TrainingAttendance.parent)
			& (TrainingAttendance.parenttype == "Training Session")
		)
		.select(TrainingSession.title, TrainingSession.starts_on, TrainingAttendance.hours)
		.where(TrainingAttendance.tutor == tutor)
		.where(TrainingAttendance.attendance == ATTENDED)
		.where(TrainingSession.starts_on <= f"{getdate(to_date or today())} 23:59:59")
		.orderby(TrainingSession.starts_on)
	).run(as_dict=True)


def volunteer_hours(tutor: str, to_date=None) -> frappe._dict:
	hours_of_contacts, contacts = contact_hours(tutor, to_date)
	sessions = attended_training(tutor, to_date)
	hours_of_training = sum(flt(row.hours) for row in sessions)
	return frappe._dict(
		contact_hours=flt(hours_of_contacts, 2),
		contacts=contacts,
		training_hours=flt(hours_of_training, 2),
		sessions=sessions,
		total_hours=flt(hours_of_contacts + hours_of_training, 2),
	)


def may_read_certificate(tutor: str) -> bool:
	"""Staff who may print the Tutor, or the tutor themselves (their portal login)."""
	if frappe.session.user != "Guest" and tutor in own_tutor_names():
		return True
	return bool(frappe.db.exists("Tutor", tutor)) and frappe.has_permission("Tutor", "print", tutor)


def ciac_volunteer_certificate(tutor: str) -> dict:
	"""Jinja (print format Volunteer Certificate): the hours and the register dates of a tutor."""
	if not may_read_certificate(tutor):
		frappe.throw(_("Not permitted to read this certificate."), frappe.PermissionError)
	standing = register.current_status(tutor)
	return {
		**volunteer_hours(tutor),
		"since": standing.start_date if standing else None,
		"until": standing.end_date if standing and standing.standing == register.STRIKING_OFF else None,
		"issued_on": today(),
	}


def render_certificate(tutor: str, as_pdf: bool = False, lang: str | None = None, tutor_copy: bool = False):
	previous_flag = frappe.flags.ignore_print_permissions
	try:
		# The tutor has no DocPerm on Tutor: their own copy skips Frappe's print check (ownership checked).
		frappe.flags.ignore_print_permissions = tutor_copy or previous_flag
		with print_language(lang):
			return frappe.get_print("Tutor", tutor, PRINT_FORMAT, as_pdf=as_pdf, no_letterhead=1)
	finally:
		frappe.flags.ignore_print_permissions = previous_flag


@frappe.whitelist()
def download_my_certificate(lang: str | None = None) -> None:
	"""The logged-in tutor's certificate as a PDF (portal)."""
	tutors = own_tutor_names() if frappe.session.user != "Guest" else []
	if not tutors:
		frappe.throw(_("Only a tutor may download their certificate."), frappe.PermissionError)
	if lang not in LANGUAGES:
		lang = None
	frappe.local.response.filename = f"{_('Volunteer Certificate', lang=lang)} {tutors[0]}.pdf"
	frappe.local.response.filecontent = render_certificate(tutors[0], as_pdf=True, lang=lang, tutor_copy=True)
	frappe.local.response.type = "pdf"
