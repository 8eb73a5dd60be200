"""Admins' own fields on the portal forms: a field added in Customize Form on Tutor (or Contact Log)
and listed in Tutoring Settings → Portal Fields appears on /become-a-tutor (or /log-contact), is
validated here by its type and mandatory flag, and saved on the record.

Only custom fields at permission level 0 of a type the portal can render qualify: listing a standard
or staff-only field (interview notes, permit expiry) in the settings never opens it to the public.
A field removed in Customize Form disappears from the form even if the settings still list it.
Why not Frappe's Web Form: docs/privacy.md ("Admins' fields on the portal").
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from ciac_tutoring.validation import parse_decimal_number, parse_whole_number

FORM_DOCTYPES = {"Become a tutor": "Tutor", "Log a contact": "Contact Log"}
SUPPORTED_TYPES = ("Data", "Small Text", "Text", "Int", "Float", "Check", "Select", "Date")
DEFAULT_MAX_LENGTH = {"Data": 140, "Small Text": 2000, "Text": 5000}


def get_fields(form: str) -> list:
	"""The DocFields the admins put on `form`, in the settings' order."""
	doctype = FORM_DOCTYPES[form]
	PortalField = frappe.qb.DocType("Portal Field")
	rows = (
		frappe.qb.from_(PortalField)
		.select(PortalField.fieldname)
		.where(PortalField.parenttype == "Tutoring Settings")
		.where(PortalField.parentfield == "portal_fields")
		.where(PortalField.form == form)
		.orderby(PortalField.idx)
		.run(pluck=True)
	)
	meta = frappe.get_meta(doctype)
	fields = []
	for fieldname in rows:
		df = meta.get_field((fieldname or "").strip())
		if df and can_show(df):
			fields.append(df)
	return fields


def can_show(df) -> bool:
	"""The one rule of which fields a portal form may show."""
	return bool(
		df.get("is_custom_field")
		and not df.permlevel
		and df.fieldtype in SUPPORTED_TYPES
		and not (df.hidden or df.read_only)
	)


def choices(form: str) -> list[dict]:
	"""The fields the settings may list for `form`, as the desk's field offers them."""
	if form not in FORM_DOCTYPES:
		return []
	return [
		{"value": df.fieldname, "label": f"{_(df.label or df.fieldname)} ({df.fieldname})"}
		for df in frappe.get_meta(FORM_DOCTYPES[form]).fields
		if can_show(df)
	]


@frappe.whitelist()
def field_choices(form: str, txt: str | None = None, query: str | None = None) -> list[dict]:
	"""The Portal Field's "Field Name" offers these in Tutoring Settings (`query` is the name of
	this method, which the desk's Autocomplete sends along)."""
	frappe.has_permission("Tutoring Settings", "write", throw=True)
	txt = (txt or "").strip().lower()
	return [choice for choice in choices(form) if txt in choice["label"].lower()]


def refusal(form: str, fieldname: str) -> str | None:
	"""Why the settings may not list `fieldname` on `form`, or None."""
	if form in FORM_DOCTYPES and any(choice["value"] == fieldname for choice in choices(form)):
		return None
	return _(
		"{0} is not a field that the form {1} can show: choose one of the list, a custom field of {2}"
		" added in Customize Form, visible, editable and not staff-only."
	).format(frappe.bold(fieldname), frappe.bold(_(form)), _(FORM_DOCTYPES.get(form, "")))


def render(form: str, values: dict | None = None) -> list[frappe._dict]:
	"""What the template draws: labels and options in the visitor's language, the typed values."""
	values = values or {}
	return [
		frappe._dict(
			fieldname=df.fieldname,
			fieldtype=df.fieldtype,
			label=_(df.label or df.fieldname),
			description=_(df.description) if df.description else "",
			reqd=cint(df.reqd),
			options=[(option, _(option)) for option in select_options(df)],
			value=values.get(df.fieldname, ""),
			max_length=max_length(df),
		)
		for df in get_fields(form)
	]


def read(form: str, posted: dict) -> dict[str, str]:
	return {df.fieldname: str(posted.get(df.fieldname) or "").strip() for df in get_fields(form)}


def validate(form: str, values: dict[str, str]) -> dict[str, str]:
	"""Field errors ({fieldname: message}) of the admins' fields."""
	errors = {}
	for df in get_fields(form):
		error = field_error(df, values.get(df.fieldname) or "")
		if error:
			errors[df.fieldname] = error
	return errors


def field_error(df, value: str) -> str | None:
	label = _(df.label or df.fieldname)
	if not value or (df.fieldtype == "Check" and value not in ("1", "on")):
		return _("{0} is required.").format(label) if df.reqd else None
	if df.fieldtype == "Int" and parse_whole_number(value) is None:
		return _("{0}: enter a whole number.").format(label)
	if df.fieldtype == "Float" and parse_decimal_number(value) is None:
		return _("{0}: enter a number.").format(label)
	if df.fieldtype == "Date":
		try:
			getdate(value)
		except Exception:
			return _("{0}: enter a valid date.").format(label)
	if df.fieldtype == "Select" and value not in select_options(df):
		return _("{0}: choose from the list.").format(label)
	if df.fieldtype in DEFAULT_MAX_LENGTH and len(value) > max_length(df):
		return _("{0}: keep it under {1} characters.").format(label, max_length(df))
	return None


def apply(form: str, doc, values: dict[str, str]) -> None:
	"""Set the validated values on the record about to be saved."""
	for df in get_fields(form):
		value = values.get(df.fieldname) or ""
		if df.fieldtype == "Check":
			doc.set(df.fieldname, 1 if value in ("1", "on") else 0)
		elif not value:
			doc.set(df.fieldname, None)
		elif df.fieldtype == "Int":
			doc.set(df.fieldname, parse_whole_number(value))
		elif df.fieldtype == "Float":
			doc.set(df.fieldname, parse_decimal_number(value))
		elif df.fieldtype == "Date":
			doc.set(df.fieldname, getdate(value))
		else:
			doc.set(df.fieldname, value)


def select_options(df) -> list[str]:
	return [option for option in (df.options or "").split("\n") if option] if df.fieldtype == "Select" else []


def max_length(df) -> int:
	return cint(df.length) or DEFAULT_MAX_LENGTH.get(df.fieldtype, 140)
