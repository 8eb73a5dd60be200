"""The tests' one factory of tutors, beneficiaries, pairings and users, filled as CIAC fills them
(demo/base.py, the demo loader, is the model): saved through their controllers, so every rule of
the save applies. Any field can be overridden; everything is rolled back by the test runner.

Report tests that must pin states the controllers would only reach by replaying months of
workflow write raw rows instead (ciac_tutoring/tutoring/report/report_test_data.py)."""

import random

import frappe
from frappe.utils import add_years, today

MUNICIPALITY = "Parma"


def unique(prefix: str) -> str:
	return f"{prefix}-{frappe.generate_hash(length=8)}"


def make_user(
	email: str | None = None,
	first_name: str = "Giulia",
	roles: tuple[str, ...] = ("CIAC Coordinator",),
	user_type: str = "System User",
	**values,
):
	"""A user with `roles` (staff by default); the existing one if `email` is taken."""
	email = email or f"{unique(first_name.lower())}@ciac.example"
	if frappe.db.exists("User", email):
		return frappe.get_doc("User", email)
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"send_welcome_email": 0,
			"user_type": user_type,
			**values,
		}
	)
	user.flags.ignore_password_policy = True
	user.insert(ignore_permissions=True)
	user.add_roles(*(role for role in roles if frappe.db.exists("Role", role)))
	return user


def tutor_values(**values) -> dict:
	"""An availability as the coordinators record it: contacts, where, how many refugees, why,
	languages and areas of support (valid on its own; the areas only if the masters exist)."""
	areas = frappe.get_all("Support Area", {"enabled": 1}, pluck="name", order_by="name", limit=2)
	return {
		"doctype": "Tutor",
		"tutor_type": "Individual",
		"tutor_name": "Giulia Bianchi",
		"email": f"{unique('tutor')}@example.com",
		# unique: a tutor's portal User gets it, and User.mobile_no is unique
		"mobile": f"+39 333 {random.randint(1000000, 9999999)}",
		"municipality": MUNICIPALITY,
		"capacity": 1,
		"privacy_consent": 1,
		"heard_about": "Word of mouth",
		"motivation": "Voglio dare una mano a chi arriva e conoscere persone nuove.",
		"availability_notes": "Sere infrasettimanali e sabato mattina.",
		"languages": [{"language": "it", "level": "Native"}] if frappe.db.exists("Language", "it") else [],
		"support_areas": [{"support_area": area} for area in areas],
		**values,
	}


def make_tutor(phase: str | None = None, ignore_permissions: bool = False, **values):
	"""A saved Tutor; `phase` puts it straight into a workflow state, skipping the activation
	workflow's gates (tested in tests/test_workflow.py)."""
	tutor = frappe.get_doc(tutor_values(**values)).insert(ignore_permissions=ignore_permissions)
	if phase:
		tutor.db_set("workflow_state", phase)
	return tutor


def beneficiary_values(**values) -> dict:
	"""A refugee as the reception project's operator refers them: who, where, protection, permit,
	needs (valid on its own)."""
	areas = frappe.get_all("Support Area", {"enabled": 1}, pluck="name", order_by="name", limit=1)
	return {
		"doctype": "Beneficiary",
		"first_name": "Amina",
		"last_name": unique("Diallo"),
		"gender": "Female",
		"date_of_birth": "1995-04-12",
		"municipality": MUNICIPALITY,
		"italian_level": "A2",
		"consent": 1,
		"residence_permit_expiry": add_years(today(), 2),
		"needs": [{"support_area": area} for area in areas],
		"interests": "Calcio, cucina, musica.",
		**values,
	}


def make_beneficiary(ignore_permissions: bool = False, **values):
	return frappe.get_doc(beneficiary_values(**values)).insert(ignore_permissions=ignore_permissions)


# Phases from which a tutor may have an Active pairing (the activation workflow's rule).
PAIRING_PHASES = ("Presentation", "Tutoring Started", "Monitoring")


def make_ready_for_pairing(tutor: str) -> None:
	if frappe.db.get_value("Tutor", tutor, "workflow_state") not in PAIRING_PHASES:
		frappe.db.set_value("Tutor", tutor, "workflow_state", "Presentation")


def make_pairing(**values):
	"""A Proposed Pairing, between a new tutor (ready for pairing) and a new beneficiary unless given."""
	values = {"doctype": "Pairing", "status": "Proposed", **values}
	values.setdefault("tutor", make_tutor().name)
	values.setdefault("beneficiary", make_beneficiary().name)
	make_ready_for_pairing(values["tutor"])
	return frappe.get_doc(values).insert()
