"""Your data: a tutor downloads everything CIAC holds about them (privacy.export collects it)."""

import frappe
from frappe import _

from ciac_tutoring.portal.guard import current_tutor, tutor_only
from ciac_tutoring.privacy.export import collect_personal_data, send_as_download


@frappe.whitelist()
@tutor_only
def download_my_data(export_format: str = "json", tutor: str | None = None) -> None:
	"""The logged-in tutor's own data as JSON or HTML; `tutor`, when given, must be their record."""
	own = current_tutor().name
	if tutor and tutor != own:
		frappe.throw(_("You can download only your own data."), frappe.PermissionError)
	send_as_download(collect_personal_data("Tutor", own, staff_view=False), export_format)
