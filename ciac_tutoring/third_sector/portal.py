"""The tutors' portal page /my-volunteering: their hours, their certificate, their expense claims.

Tutors hold no DocPerm on Volunteer Expense Claim: a claim is written here, with
`ignore_permissions`, only after checking that the tutor is the caller and the pairing theirs; every
rule on the claim's values (limits, self-certification) is the controller's, as for a claim typed in
the desk. A receipt is stored as a private File the tutor owns, attached to the claim.
"""

import os

import frappe
from frappe import _

from ciac_tutoring.portal.guard import current_tutor, require_own_pairing, tutor_only
from ciac_tutoring.portal.http import refuse_if_over_page_limit
from ciac_tutoring.portal.my_tutoring import get_open_pairings
from ciac_tutoring.portal.pages import all_or_nothing, redirect, show_refusal, text
from ciac_tutoring.third_sector import expenses, hours
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.validation import parse_decimal_number, throw_field_errors

RECEIPT_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
CLAIM_LIST_LIMIT = 50


def get_claims(tutor: str) -> list[dict]:
	return frappe.get_all(
		expenses.CLAIM,
		filters={"tutor": tutor},
		fields=[
			"name",
			"expense_date",
			"purpose",
			"amount",
			"documentation",
			"workflow_state",
			"review_note",
		],
		order_by="expense_date desc, creation desc",
		limit=CLAIM_LIST_LIMIT,
	)


def read_receipt() -> tuple[str, bytes] | None:
	"""The uploaded receipt (name, bytes), refused when not a PDF or image or too large."""
	upload = frappe.request.files.get("receipt") if frappe.request and frappe.request.files else None
	if not upload or not upload.filename:
		return None
	filename = os.path.basename(upload.filename)
	content = upload.stream.read(RECEIPT_MAX_BYTES + 1)
	errors = {}
	if os.path.splitext(filename)[1].lower() not in RECEIPT_TYPES:
		errors["receipt"] = _("Receipt: attach a PDF or a photo (JPG, PNG).")
	elif len(content) > RECEIPT_MAX_BYTES:
		errors["receipt"] = _("Receipt: the file is larger than 5 MB.")
	elif not content:
		errors["receipt"] = _("Receipt: the file is empty.")
	throw_field_errors(errors, title=_("Check the expense claim"))
	return filename, content


@tutor_only
def save_claim(values: frappe._dict, receipt: tuple[str, bytes] | None = None) -> str:
	"""The one write path of a portal claim; the controller's refusals come back field by field."""
	tutor = current_tutor()
	if values.pairing:
		require_own_pairing(values.pairing)
	refuse_if_over_page_limit("my-volunteering")
	# Strictly: flt() would read the Italian "12,50" as 1250 and take "1e3" or "nan".
	amount = parse_decimal_number(values.amount) if values.amount not in (None, "") else None
	if values.amount not in (None, "") and amount is None:
		throw_field_errors({"amount": _("Amount: type the euros as a number, e.g. 12,50.")})
	claim = frappe.get_doc(
		{
			"doctype": expenses.CLAIM,
			"tutor": tutor.name,
			"pairing": values.pairing or None,
			"expense_date": values.expense_date or None,
			"purpose": (values.purpose or "").strip(),
			"amount": amount,
			"documentation": values.documentation
			if values.documentation in (expenses.RECEIPT, expenses.SELF_CERTIFICATION)
			else expenses.RECEIPT,
			"self_certified": 1 if values.self_certified else 0,
		}
	)
	with all_or_nothing("ciac_expense_claim"):
		file = None
		if receipt and claim.documentation == expenses.RECEIPT:
			file = frappe.get_doc(
				{"doctype": "File", "file_name": receipt[0], "is_private": 1, "content": receipt[1]}
			).insert(ignore_permissions=True)
			claim.receipt = file.file_url
		try:
			# A tutor has no DocPerm on the claims: the tutor and the pairing were checked just above.
			claim.insert(ignore_permissions=True)
		except Exception:
			if file:
				file.delete(ignore_permissions=True)  # also removes the stored bytes
			raise
		if file:
			file.db_set(
				{
					"attached_to_doctype": expenses.CLAIM,
					"attached_to_name": claim.name,
					"attached_to_field": "receipt",
				}
			)
	return claim.name


@tutor_only
def page_context(context) -> None:
	"""What www/my-volunteering shows, and the claim form's POST."""
	tutor = current_tutor()
	settings = get_settings()
	context.tutor = tutor
	context.hours = hours.volunteer_hours(tutor.name)
	context.pairings = get_open_pairings([tutor.name])
	context.self_certification_allowed = bool(settings.expense_self_certification_allowed)
	context.daily_limit = expenses.money(settings.expense_daily_limit)
	context.monthly_limit = expenses.money(settings.expense_monthly_limit)
	context.errors = {}
	context.values = frappe._dict(documentation=expenses.RECEIPT, expense_date=frappe.utils.nowdate())
	context.saved = frappe.form_dict.get("saved") == "1"
	if context.is_post:
		form = frappe.form_dict
		values = frappe._dict(
			pairing=form.get("pairing") or "",
			expense_date=form.get("expense_date") or "",
			purpose=form.get("purpose") or "",
			amount=text(form.get("amount")),
			documentation=form.get("documentation") or expenses.RECEIPT,
			self_certified=form.get("self_certified"),
		)
		context.values = values
		try:
			save_claim(values, read_receipt())
		except frappe.ValidationError as refusal:
			show_refusal(context, refusal)
		else:
			redirect("/my-volunteering?saved=1")
	context.claims = get_claims(tutor.name)
