"""Records of the Third Sector tests, filled the way CIAC fills them (see demo/third_sector.py)."""

import frappe
from frappe.utils import add_days, add_months, today

from ciac_tutoring.tests import portal_data


def insure(tutors: list[str], injury: int = 1, civil_liability: int = 1, **values) -> str:
	"""A policy in force today covering the tutors."""
	policy = frappe.get_doc(
		{
			"doctype": "Insurance Policy",
			"insurer": values.pop("insurer", "Cattolica Assicurazioni"),
			"policy_number": values.pop("policy_number", f"VOL-{frappe.generate_hash(length=6)}"),
			"covers_injury": injury,
			"covers_civil_liability": civil_liability,
			"valid_from": values.pop("valid_from", add_months(today(), -6)),
			"valid_to": values.pop("valid_to", add_months(today(), 6)),
			"tutors": [{"tutor": tutor} for tutor in tutors],
			**values,
		}
	)
	return policy.insert().name


def tutor_with_pairing(tag: str, user: str | None = None) -> frappe._dict:
	tutor = portal_data.make_tutor(tag, user=user)
	pairing = portal_data.make_active_pairing(tutor, portal_data.make_beneficiary(tag))
	return frappe._dict(tutor=tutor, pairing=pairing, user=user)


def attended_session(tutor: str, hours: float, attendance: str = "Attended", days_ago: int = 20) -> str:
	session = frappe.get_doc(
		"Training Session", portal_data.make_training_session(f"Formazione {tutor}", -days_ago)
	)
	session.status = "Held"
	session.append(
		"attendees",
		{"tutor": tutor, "attendance": attendance, "hours": hours, "registered_on": add_days(today(), -30)},
	)
	session.flags.ignore_permissions = True
	session.save()
	return session.name
