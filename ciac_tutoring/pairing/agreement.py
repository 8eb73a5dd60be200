"""The tutoring agreement (Print Format "Tutoring Agreement" of the Pairing) for the tutors' portal.

Staff print it from the desk like any print format (their DocPerms allow it). Tutors have no
DocPerms on Pairing, so their copy is served here: after checking that the pairing is the tutor's
own (`permissions.is_own_pairing`, the one owner of that rule), it is rendered with print
permissions skipped, naming the beneficiary by first name only as the rest of the portal does.
"""

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import get_fullname

from ciac_tutoring.permissions import is_own_pairing
from ciac_tutoring.tutoring.printing import require_printable

PRINT_FORMAT = "Tutoring Agreement"
LANGUAGES = ("it", "en")


def render_agreement(pairing: str, as_pdf: bool = False, lang: str | None = None, tutor_copy: bool = False):
	"""The agreement's HTML (or PDF bytes) in `lang` (the user's language when not given)."""
	doc = frappe.get_doc("Pairing", pairing)
	if tutor_copy:
		# in memory only (also the page title): the tutor's copy names the beneficiary by first name
		doc.beneficiary_name = frappe.db.get_value("Beneficiary", doc.beneficiary, "first_name")
	previous_flag = frappe.flags.ignore_print_permissions
	try:
		frappe.flags.ignore_print_permissions = tutor_copy or previous_flag
		with print_language(lang):
			return frappe.get_print("Pairing", pairing, PRINT_FORMAT, doc=doc, as_pdf=as_pdf, no_letterhead=1)
	finally:
		frappe.flags.ignore_print_permissions = previous_flag


def ciac_agreement(doc) -> dict:
	"""What the agreement prints beyond the pairing's own fields: a Jinja helper (hooks), only for a
	Pairing the user may read and print (or the tutor's own copy, checked above)."""
	require_printable(doc, "Pairing")
	return {"coordinator": get_fullname(doc.coordinator) if doc.coordinator else ""}


@frappe.whitelist()
def download_agreement(pairing: str, lang: str | None = None) -> None:
	"""The tutor's own agreement as a PDF download."""
	if frappe.session.user == "Guest" or not pairing or not is_own_pairing(pairing):
		frappe.throw(_("This pairing is not yours."), frappe.PermissionError)
	if lang not in LANGUAGES:
		lang = None
	frappe.local.response.filename = f"{_('Tutoring Agreement')} {pairing}.pdf"
	frappe.local.response.filecontent = render_agreement(pairing, as_pdf=True, lang=lang, tutor_copy=True)
	frappe.local.response.type = "pdf"
