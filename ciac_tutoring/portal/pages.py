"""What every portal page (www/) does: its first settings, a redirect, a refusal shown on the page,
and the all-or-nothing write a page POST needs."""

from contextlib import contextmanager
from urllib.parse import quote

import frappe
from frappe import _

from ciac_tutoring.portal.http import PORTAL_LANGUAGES
from ciac_tutoring.validation import InvalidFieldsError


def prepare_page(context, title: str, login_required: bool = True) -> None:
	"""What every portal page sets first: no caching, the visitor's language, the CSRF token."""
	context.no_cache = 1
	context.show_sidebar = 0
	context.no_breadcrumbs = 1
	context.title = title
	if login_required and frappe.session.user == "Guest":
		redirect("/login?redirect-to=" + quote(frappe.request.path if frappe.request else "/"))
	context.lang = frappe.local.lang  # the IT/EN switch is applied before (renderer.PortalPage)
	context.portal_languages = PORTAL_LANGUAGES
	context.csrf_token = frappe.sessions.get_csrf_token() if frappe.session.user != "Guest" else ""
	context.is_post = bool(frappe.request and frappe.request.method == "POST")


def redirect(location: str) -> None:
	frappe.local.flags.redirect_location = location
	raise frappe.Redirect


@contextmanager
def all_or_nothing(name: str):
	"""A portal write, kept whole: a refusal undoes what it wrote so far. Frappe commits a page's
	POST even when the page shows a refusal, and rolls an API call back itself."""
	frappe.db.savepoint(name)
	try:
		yield
	except Exception:
		frappe.db.rollback(save_point=name)
		raise


def show_refusal(context, refusal: Exception) -> None:
	"""A refusal raised while saving, on the page: next to the fields when the controller named them.
	The write it interrupted undid itself (`all_or_nothing`)."""
	frappe.clear_messages()
	if isinstance(refusal, InvalidFieldsError):
		context.errors = refusal.errors
		context.form_error = _("Please check the fields marked below.")
	else:
		context.form_error = frappe.utils.strip_html(str(refusal)) or _(
			"Something went wrong. Please try again."
		)


# --- form values -----------------------------------------------------------------------------


def text(value) -> str:
	"""A form's text value, trimmed ("" for anything else)."""
	return value.strip() if isinstance(value, str) else ""


def parse_list(value) -> list[str]:
	if not value:
		return []
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value) if value.startswith("[") else [value]
		except ValueError:
			value = [value]
	if not isinstance(value, list | tuple):
		value = [value]
	return [str(item) for item in value if item and isinstance(item, str | int)]
