"""Become a tutor (public): the phase-1 availability form. The rules on what a volunteer writes are
the Tutor's (`Tutor.field_errors` with `flags.availability_form`); the admins' own fields are
Tutoring Settings' Portal Fields."""

import frappe
from frappe import _

from ciac_tutoring import portal_fields
from ciac_tutoring.portal.pages import all_or_nothing, parse_list, text
from ciac_tutoring.privacy.consent import record_web_consent

AVAILABILITY_FIELDS = (
	"tutor_type",
	"tutor_name",
	"contact_person",
	"email",
	"mobile",
	"address",
	"municipality",
	"availability_notes",
	"motivation",
	"heard_about",
)
AVAILABILITY_LIMIT = 5
AVAILABILITY_WINDOW_SECONDS = 60 * 60
MAX_LANGUAGES = 3


def clean_availability(form: dict) -> frappe._dict:
	"""Keep only the form's known fields, trimmed."""
	values = frappe._dict({field: text(form.get(field)) for field in AVAILABILITY_FIELDS})
	values.email = values.email.lower()
	values.privacy_consent = 1 if form.get("privacy_consent") in ("1", "on", 1, True) else 0
	values.privacy_notice = text(form.get("privacy_notice"))
	values.portal_fields = portal_fields.read("Become a tutor", form)
	values.support_areas = parse_list(form.get("support_areas"))
	values.languages = []
	for index in range(MAX_LANGUAGES):
		language = text(form.get(f"language_{index}"))
		level = text(form.get(f"level_{index}"))
		values.languages.append(frappe._dict(language=language, level=level))
	return values


def validate_availability(values: frappe._dict) -> dict[str, str]:
	"""Field errors ({fieldname: message}) of the become-a-tutor form: the Tutor's, then the admins'
	own fields'."""
	errors = availability_tutor(values).field_errors()
	errors.update(portal_fields.validate("Become a tutor", values.portal_fields))
	return errors


def availability_tutor(values: frappe._dict):
	"""The Tutor the form describes: checked by validate_availability, inserted by create_availability."""
	tutor = frappe.get_doc(
		{
			"doctype": "Tutor",
			**{field: values[field] or None for field in AVAILABILITY_FIELDS},
			"privacy_consent": values.privacy_consent,
			"languages": [
				{"language": row.language, "level": row.level or None}
				for row in values.languages
				if row.language
			],
			"support_areas": [{"support_area": area} for area in values.support_areas],
		}
	)
	if tutor.tutor_type == "Individual":
		tutor.contact_person = None
	tutor.flags.availability_form = True
	return tutor


def email_is_known(email: str) -> bool:
	return bool(email) and bool(frappe.db.exists("Tutor", {"email": email}))


def email_known_message() -> str:
	# Says only that the address is known: nothing about the record, its phase or its owner.
	return _(
		"This email address is already registered with us. CIAC will be in touch; to change your details, write to CIAC."
	)


def create_availability(values: frappe._dict) -> str:
	"""Create the Tutor in phase 1 ("Availability Notified"); the workflow's notifications
	thank the tutor and tell the coordinators."""
	doc = availability_tutor(values)
	portal_fields.apply("Become a tutor", doc, values.portal_fields)
	with all_or_nothing("ciac_become_a_tutor"):
		# Guests may not create records: the checks above are the permission.
		doc.insert(ignore_permissions=True)
		record_web_consent("Tutor", doc.name, values.privacy_notice, frappe.local.lang)
	return doc.name
