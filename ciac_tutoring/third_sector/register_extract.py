"""Printable extracts of the volunteers' register: the PDF CIAC signs digitally and time-stamps.

The D.M. of 6 October 2021 (art. 3) accepts an electronic register whose entries cannot be altered
and whose dates are certain, e.g. by a qualified signature and time stamp (art. 2215-bis c.c.).
The app cannot sign for CIAC: it produces the PDF of the entries of a period (a monthly job, or on
request in the desk), attaches it to a Volunteer Register Extract and records the SHA-256 of the
bytes it produced, so the signed and stamped copy can be matched to what the app produced.
"""

import hashlib

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import add_months, get_first_day, get_last_day, getdate, now_datetime, today

from ciac_tutoring.third_sector import register

EXTRACT = "Volunteer Register Extract"
PRINT_FORMAT = "Volunteer Register"
LANGUAGE = "it"  # the register is kept in Italian
# Entries per printed page. The pages are numbered in the HTML itself: wkhtmltopdf's header and footer
# options need its patched Qt (Debian's has not) and Frappe v15 runs it with JavaScript off, which an
# HTML footer needs to number pages; a page this size fits A4 with room to spare.
ENTRIES_PER_PAGE = 14


def fill_range(extract) -> None:
	entries = register.get_entries(extract.period_from, extract.period_to)
	extract.entries_count = len(entries)
	extract.first_entry = entries[0].entry_number if entries else None
	extract.last_entry = entries[-1].entry_number if entries else None
	extract.register_intact = int(register.verify().intact)
	extract.generated_on = now_datetime()


def render(extract_name: str, as_pdf: bool = False, lang: str | None = LANGUAGE):
	with print_language(lang):
		return frappe.get_print(EXTRACT, extract_name, PRINT_FORMAT, as_pdf=as_pdf, no_letterhead=1)


def produce_pdf(extract) -> None:
	pdf = render(extract.name, as_pdf=True)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{extract.name}.pdf",
			"attached_to_doctype": EXTRACT,
			"attached_to_name": extract.name,
			"attached_to_field": "pdf_file",
			"is_private": 1,
			"content": pdf,
		}
	).insert(ignore_permissions=True)
	extract.db_set({"pdf_file": file.file_url, "sha256": hashlib.sha256(pdf).hexdigest()})


def make_extract(period_from=None, period_to=None) -> str:
	extract = frappe.get_doc({"doctype": EXTRACT, "period_from": period_from, "period_to": period_to})
	extract.insert(ignore_permissions=True)
	return extract.name


def monthly_extract() -> None:
	"""hooks.py scheduler (monthly): the extract of last month's entries, once."""
	last_month = add_months(getdate(today()), -1)
	period_from, period_to = get_first_day(last_month), get_last_day(last_month)
	if frappe.db.exists(EXTRACT, {"period_from": period_from, "period_to": period_to}):
		return
	make_extract(period_from, period_to)


def ciac_register_extract(extract_name: str) -> dict:
	"""Jinja (print format Volunteer Register): the entries of the extract, for who may print it."""
	extract = frappe.get_doc(EXTRACT, extract_name)
	if not frappe.has_permission(EXTRACT, "print", extract):
		frappe.throw(_("Not permitted to print the volunteers' register."), frappe.PermissionError)
	entries = register.get_entries(extract.period_from, extract.period_to)
	pages = [entries[start : start + ENTRIES_PER_PAGE] for start in range(0, len(entries), ENTRIES_PER_PAGE)]
	return {
		"entries": entries,
		"pages": pages or [[]],
		"verification": register.verification_message(register.verify()),
	}
