"""Who is staff, and which programme rows belong to a tutor.

Tutors (role Tutor, Website Users) have no DocPerm on the programme's DocTypes: Frappe's own
permission engine refuses them every generic route (`/api/resource`, `frappe.client`, the desk's
form, list, search, print and report endpoints). The portal reads and writes with server code
(the package ciac_tutoring/portal/) after asking these functions whether the rows are the tutor's.
See docs/permissions.md.
"""

import frappe
from frappe.query_builder import Criterion, DocType

STAFF_ROLES = {"CIAC Coordinator", "CIAC Manager", "System Manager"}

Tutor = DocType("Tutor")
Pairing = DocType("Pairing")
TrainingSession = DocType("Training Session")
TrainingAttendance = DocType("Training Attendance")


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


def own_tutors(user: str):
	"""Subquery: the Tutor records whose portal user is `user`."""
	return frappe.qb.from_(Tutor).select(Tutor.name).where(Tutor.user == user)


def own_tutor_names(user: str | None = None) -> list[str]:
	return [row[0] for row in own_tutors(user or frappe.session.user).run()]


def pairing_criterion(user: str) -> Criterion:
	return Pairing.tutor.isin(own_tutors(user))


def is_own_pairing(pairing, user: str | None = None) -> bool:
	if not pairing or not isinstance(pairing, str):
		return False
	user = user or frappe.session.user
	query = (
		frappe.qb.from_(Pairing)
		.select(Pairing.name)
		.where(Pairing.name == pairing)
		.where(pairing_criterion(user))
		.limit(1)
	)
	return bool(query.run())


def is_visible_training_session(session: str, user: str | None = None) -> bool:
	"""A tutor sees the sessions open for registration and every session they are registered for."""
	user = user or frappe.session.user
	registered = (
		frappe.qb.from_(TrainingAttendance)
		.select(TrainingAttendance.parent)
		.where(TrainingAttendance.parenttype == "Training Session")
		.where(TrainingAttendance.parentfield == "attendees")
		.where(TrainingAttendance.tutor.isin(own_tutors(user)))
	)
	query = (
		frappe.qb.from_(TrainingSession)
		.select(TrainingSession.name)
		.where(TrainingSession.name == session)
		.where((TrainingSession.status == "Planned") | TrainingSession.name.isin(registered))
		.limit(1)
	)
	return bool(query.run())
