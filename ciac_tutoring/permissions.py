"""Row-level permissions for tutors (portal users, role Tutor).

DocPerms grant the Tutor role read on Tutor, Pairing and Training Session and read, create
and write on Contact Log; these hooks narrow that down to the tutor's own rows. Each DocType
has one `frappe.qb` criterion: the list hook renders it as SQL and the document hook runs it
against the document's name, so a list and a form can never disagree. Staff roles and the
Administrator are never restricted here.
"""

import frappe
from frappe.query_builder import Criterion, DocType

STAFF_ROLES = {"CIAC Coordinator", "CIAC Manager", "System Manager"}

Tutor = DocType("Tutor")
Pairing = DocType("Pairing")
ContactLog = DocType("Contact Log")
TrainingSession = DocType("Training Session")
TrainingAttendance = DocType("Training Attendance")


def is_staff(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(STAFF_ROLES.intersection(frappe.get_roles(user)))


# --- criteria: what a non-staff user may see --------------------------------------------------


def own_tutors(user: str):
	"""Subquery: the Tutor records whose portal user is `user`."""
	return frappe.qb.from_(Tutor).select(Tutor.name).where(Tutor.user == user)


def own_pairings(user: str):
	return frappe.qb.from_(Pairing).select(Pairing.name).where(Pairing.tutor.isin(own_tutors(user)))


def tutor_criterion(user: str) -> Criterion:
	return Tutor.user == user


def pairing_criterion(user: str) -> Criterion:
	return Pairing.tutor.isin(own_tutors(user))


def contact_log_criterion(user: str) -> Criterion:
	# `tutor` is fetched from the pairing and indexed: the cheap filter for long histories.
	return ContactLog.tutor.isin(own_tutors(user)) & ContactLog.pairing.isin(own_pairings(user))


def training_session_criterion(user: str) -> Criterion:
	"""Sessions open for registration, plus every session the tutor is registered for."""
	registered = (
		frappe.qb.from_(TrainingAttendance)
		.select(TrainingAttendance.parent)
		.where(TrainingAttendance.parenttype == "Training Session")
		.where(TrainingAttendance.tutor.isin(own_tutors(user)))
	)
	return (TrainingSession.status == "Planned") | TrainingSession.name.isin(registered)


File = DocType("File")
# Attachments of these DocTypes follow the row rules above (a Beneficiary's, never: no DocPerm).
PROTECTED_ATTACHMENTS = ("Tutor", "Pairing", "Contact Log", "Training Session", "Beneficiary")


def file_criterion(user: str) -> Criterion:
	"""Frappe lists any file attached to a DocType the user can read at all; keep a tutor's list to
	files of their own rows (downloads are already checked against the attached record)."""

	def attached_to(doctype: str) -> Criterion:
		table, criterion = CRITERIA[doctype]
		own_rows = frappe.qb.from_(table).select(table.name).where(criterion(user))
		return (File.attached_to_doctype == doctype) & File.attached_to_name.isin(own_rows)

	return (
		File.attached_to_doctype.isnull()
		| File.attached_to_doctype.notin(PROTECTED_ATTACHMENTS)
		| attached_to("Tutor")
		| attached_to("Pairing")
		| attached_to("Contact Log")
		| attached_to("Training Session")
	)


CRITERIA = {
	"Tutor": (Tutor, tutor_criterion),
	"Pairing": (Pairing, pairing_criterion),
	"Contact Log": (ContactLog, contact_log_criterion),
	"Training Session": (TrainingSession, training_session_criterion),
}


# Frappe lists a child table to whoever reads the parent DocType named in the request, without
# filtering on parenttype or on the parent's row rules: a tutor's rows are those of their own parents
# (a Beneficiary's, never), and of Training Attendance only their own registrations.
CHILD_PARENTS = {
	"Support Area Item": ("Tutor", "Contact Log"),
	"Spoken Language": ("Tutor",),
	"Tutor Phase History": ("Tutor",),
	"Pairing Goal": ("Pairing",),
}


def child_row_criterion(child_doctype: str, user: str) -> Criterion:
	child = DocType(child_doctype)
	if child_doctype == "Training Attendance":
		return (child.parenttype == "Training Session") & child.tutor.isin(own_tutors(user))
	criteria = []
	for parent_doctype in CHILD_PARENTS[child_doctype]:
		table, criterion = CRITERIA[parent_doctype]
		own_rows = frappe.qb.from_(table).select(table.name).where(criterion(user))
		criteria.append((child.parenttype == parent_doctype) & child.parent.isin(own_rows))
	return Criterion.any(criteria)


def child_row_query_conditions(child_doctype: str, user: str | None = None) -> str:
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return child_row_criterion(child_doctype, user).get_sql(with_namespace=True, quote_char="`")


def support_area_item_query_conditions(user: str | None = None) -> str:
	return child_row_query_conditions("Support Area Item", user)


def spoken_language_query_conditions(user: str | None = None) -> str:
	return child_row_query_conditions("Spoken Language", user)


def tutor_phase_history_query_conditions(user: str | None = None) -> str:
	return child_row_query_conditions("Tutor Phase History", user)


def pairing_goal_query_conditions(user: str | None = None) -> str:
	return child_row_query_conditions("Pairing Goal", user)


def training_attendance_query_conditions(user: str | None = None) -> str:
	return child_row_query_conditions("Training Attendance", user)


# --- permission_query_conditions -------------------------------------------------------------


def _conditions(doctype: str, user: str | None) -> str:
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	_table, criterion = CRITERIA[doctype]
	return criterion(user).get_sql(with_namespace=True, quote_char="`")


def tutor_query_conditions(user: str | None = None) -> str:
	return _conditions("Tutor", user)


def pairing_query_conditions(user: str | None = None) -> str:
	return _conditions("Pairing", user)


def contact_log_query_conditions(user: str | None = None) -> str:
	return _conditions("Contact Log", user)


def training_session_query_conditions(user: str | None = None) -> str:
	return _conditions("Training Session", user)


def file_query_conditions(user: str | None = None) -> str:
	"""Added to (ANDed with) Frappe's own File conditions."""
	user = user or frappe.session.user
	if is_staff(user):
		return ""
	return file_criterion(user).get_sql(with_namespace=True, quote_char="`")


# --- has_permission --------------------------------------------------------------------------


def _stored_row_matches(doctype: str, name: str, user: str) -> bool:
	table, criterion = CRITERIA[doctype]
	query = frappe.qb.from_(table).select(table.name).where(table.name == name).where(criterion(user))
	return bool(query.limit(1).run())


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Deny (False) any document outside the user's own rows; never grants on its own."""
	user = user or frappe.session.user
	if is_staff(user):
		return True
	if not doc.is_new() and not _stored_row_matches(doc.doctype, doc.name, user):
		return False
	# What is about to be written must stay inside the user's rows too (a new Contact Log,
	# or an existing one being moved to someone else's pairing).
	if ptype in ("create", "write", "submit") or doc.is_new():
		return _values_belong_to(doc, user)
	return True


def _values_belong_to(doc, user: str) -> bool:
	if doc.doctype == "Contact Log":
		return bool(doc.pairing) and is_own_pairing(doc.pairing, user)
	if doc.doctype == "Tutor":
		return doc.is_new() or doc.user == user
	if doc.doctype == "Pairing":
		return bool(doc.tutor) and doc.tutor in own_tutor_names(user)
	return True


def has_website_permission(doc, ptype: str | None = None, user: str | None = None, verbose=False) -> bool:
	"""Portal reads (e.g. print views, web forms): the same rule as the desk's."""
	user = user or frappe.session.user
	if user == "Guest":
		return False
	if is_staff(user):
		return True
	return not doc.is_new() and _stored_row_matches(doc.doctype, doc.name, user)


# --- helpers shared with the portal ----------------------------------------------------------


def own_tutor_names(user: str | None = None) -> list[str]:
	return [row[0] for row in own_tutors(user or frappe.session.user).run()]


def is_own_pairing(pairing: str, user: str | None = None) -> bool:
	user = user or frappe.session.user
	query = (
		frappe.qb.from_(Pairing)
		.select(Pairing.name)
		.where(Pairing.name == pairing)
		.where(pairing_criterion(user))
		.limit(1)
	)
	return bool(query.run())
