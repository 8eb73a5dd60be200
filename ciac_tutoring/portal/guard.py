"""Who is asking: the one tutor guard of the portal (as helpdesk's `agent_only`).

`tutor_only` wraps every whitelisted portal method; `current_tutor()` answers "which Tutor is the
logged-in user" from one query per request (Frappe clears `frappe.local` between requests)."""

from functools import wraps

import frappe
from frappe import _

from ciac_tutoring.permissions import is_own_pairing


def own_tutor_records() -> list[frappe._dict]:
	"""The logged-in user's Tutor records, the latest changed first (read once per request)."""
	user = frappe.session.user
	cached = getattr(frappe.local, "ciac_own_tutors", None)
	if cached is None or cached[0] != user:
		Tutor = frappe.qb.DocType("Tutor")
		rows = (
			frappe.qb.from_(Tutor)
			.select(Tutor.name, Tutor.tutor_name, Tutor.email, Tutor.training_hours, Tutor.workflow_state)
			.where(Tutor.user == user)
			.orderby(Tutor.modified, order=frappe.qb.desc)
			.run(as_dict=True)
		)
		cached = frappe.local.ciac_own_tutors = (user, rows)
	return cached[1]


def own_tutor_names() -> list[str]:
	"""The user's Tutor records, the current one first."""
	return [row.name for row in own_tutor_records()]


def current_tutor() -> frappe._dict:
	"""The logged-in user's Tutor record, or a PermissionError."""
	if frappe.session.user == "Guest":
		frappe.throw(_("You need to be logged in to see this page."), frappe.PermissionError)
	tutors = own_tutor_records()
	if not tutors:
		frappe.throw(_("This page is for CIAC tutors only."), frappe.PermissionError)
	return frappe._dict(tutors[0])


def tutor_only(method):
	"""Let only a tutor call `method` (a PermissionError for anyone else)."""

	@wraps(method)
	def guarded(*args, **kwargs):
		current_tutor()
		return method(*args, **kwargs)

	return guarded


def require_own_pairing(pairing: str) -> None:
	if not pairing or not is_own_pairing(pairing):
		frappe.throw(_("This pairing is not yours."), frappe.PermissionError)
