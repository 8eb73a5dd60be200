"""My volunteering: the tutor's hours, certificate and expense claims (module Third Sector)."""

from frappe import _

from ciac_tutoring.portal.pages import prepare_page
from ciac_tutoring.third_sector.portal import page_context

no_cache = 1


def get_context(context):
	prepare_page(context, _("Expenses and hours"))
	page_context(context)
