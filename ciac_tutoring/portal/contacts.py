"""Log a contact: the one write path of the log-contact page and of the API method."""

import frappe
from frappe import _

from ciac_tutoring import portal_fields
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import STAFF_ONLY_KINDS
from ciac_tutoring.portal.guard import require_own_pairing, tutor_only
from ciac_tutoring.portal.http import refuse_if_over_page_limit
from ciac_tutoring.portal.pages import all_or_nothing, parse_list
from ciac_tutoring.tutoring.doctype.support_area.support_area import enabled_support_areas
from ciac_tutoring.tutoring.vocabulary import HAPPENED
from ciac_tutoring.validation import select_options, throw_field_errors


def tutor_contact_kinds() -> list[str]:
	"""The kinds the log-contact form offers (the Contact Log controller decides what is allowed)."""
	return [kind for kind in select_options("Contact Log", "kind") if kind not in STAFF_ONLY_KINDS]


@frappe.whitelist(methods=["POST"])
@tutor_only
def log_contact(
	pairing: str,
	contact_date: str,
	kind: str,
	wellbeing: str,
	duration_minutes: int | str | None = None,
	support_areas: list | str | None = None,
	notes: str | None = None,
	initiated_by: str | None = None,
	outcome: str | None = None,
	**admin_fields,
) -> str:
	"""Log a contact on one of the tutor's own pairings; returns the Contact Log's name. The
	admins' own fields of the form (Tutoring Settings → Portal Fields) are passed by fieldname,
	as the page posts them; any other argument is ignored."""
	return save_contact(
		frappe._dict(
			pairing=pairing,
			contact_date=contact_date,
			kind=kind,
			wellbeing=wellbeing,
			duration_minutes=duration_minutes,
			support_areas=parse_list(support_areas),
			notes=notes,
			initiated_by=initiated_by,
			outcome=outcome,
			portal_fields=portal_fields.read("Log a contact", admin_fields),
		)
	)


@tutor_only
def save_contact(values: frappe._dict) -> str:
	"""The one write path of "log a contact" (the page's form and the API method).

	Checks who asks and that the pairing is theirs; every rule on the values belongs to the Contact
	Log controller, whose refusals (`InvalidFieldsError.errors`) the page shows next to the fields."""
	if values.pairing:  # none chosen: the controller says so next to the field
		require_own_pairing(values.pairing)
	refuse_if_over_page_limit("log-contact")
	throw_field_errors(
		portal_fields.validate("Log a contact", values.portal_fields or {}), title=_("Check the contact")
	)
	valid_areas = enabled_support_areas(values.support_areas)
	doc = frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": values.pairing,
			"contact_date": values.contact_date,
			"kind": values.kind,
			"wellbeing": values.wellbeing,
			"initiated_by": values.initiated_by or "Tutor",
			"outcome": values.outcome or HAPPENED,
			"duration_minutes": values.duration_minutes
			if values.duration_minutes not in ("", None)
			else None,
			"support_areas": [{"support_area": area} for area in values.support_areas if area in valid_areas],
			"notes": (values.notes or "").strip() if isinstance(values.notes, str) else values.notes,
		}
	)
	portal_fields.apply("Log a contact", doc, values.portal_fields or {})
	with all_or_nothing("ciac_log_contact"):
		# A tutor has no DocPerm on Contact Log: the pairing was checked to be theirs just above.
		doc.insert(ignore_permissions=True)
	return doc.name
