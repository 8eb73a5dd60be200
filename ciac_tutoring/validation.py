"""Refusing a document's values field by field, for the desk, REST and the portal alike.

A controller collects `{fieldname: message}` and calls `throw_field_errors`: the desk and REST get
the messages (HTTP 417), the portal shows each one next to its field (`InvalidFieldsError.errors`).
"""

import datetime
import decimal
import re

import frappe
from frappe import _
from frappe.model import default_fields
from frappe.model.base_document import BaseDocument
from frappe.utils import cint, cstr

# ASCII digits only: str.isdigit() (and int()) also take "²", "٣" and "１０"; at most 15 of them,
# so int() never meets Python's limit on long digit strings.
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,15}")
DECIMAL_NUMBER = re.compile(r"-?[0-9]{1,15}(?:[.,][0-9]{1,9})?")
# Fields whose values are typed as plain text (tags in them are removed on save: strip_markup).
PLAIN_TEXT_FIELDTYPES = ("Data", "Small Text", "Text", "Long Text")
# MariaDB's TEXT holds 65,535 bytes; a character takes up to 4 in utf8mb4.
TEXT_COLUMN_BYTES = 65535
EARLIEST_YEAR = 1900


class InvalidFieldsError(frappe.ValidationError):
	def __init__(self, errors: dict[str, str]):
		self.errors = errors
		super().__init__("\n".join(errors.values()))


def throw_field_errors(errors: dict[str, str], title: str | None = None) -> None:
	if not errors:
		return
	frappe.msgprint(
		"<br>".join(frappe.utils.escape_html(message) for message in errors.values()), title=title
	)
	raise InvalidFieldsError(errors)


SCALARS = (str, int, float, decimal.Decimal, datetime.date, datetime.timedelta)


def value_errors(doc, limits: dict[str, int] | None = None) -> dict[str, str]:
	"""Values of the wrong shape (a list or an object where a field holds one value) or too long."""
	errors = {
		df.fieldname: _("{0}: enter a single value.").format(_(df.label))
		for df in doc.meta.fields
		if df.fieldtype not in frappe.model.table_fields
		and doc.get(df.fieldname) is not None
		and not isinstance(doc.get(df.fieldname), SCALARS)
	}
	return {**too_long_errors(doc, limits), **errors}


def shape_errors(meta, values: dict) -> dict[str, str]:
	"""Values set from a request in the wrong shape: a list or an object where a field holds one value,
	anything but a list of rows where a table goes. Frappe would fail on them with a server error
	(building the rows, checking the links) before any controller hook runs."""
	errors = {}
	for key, value in values.items():
		df = meta.get_field(key)
		if df and df.fieldtype in frappe.model.table_fields:
			rows = value if isinstance(value, list) else None
			child_meta = frappe.get_meta(df.options)
			if value is not None and (
				rows is None
				or not all(isinstance(row, dict | BaseDocument) for row in rows)
				or any(shape_errors(child_meta, row) for row in rows if isinstance(row, dict))
			):
				errors[key] = _("{0}: choose from the list.").format(_(df.label))
		elif (df or key in default_fields) and value is not None and not isinstance(value, SCALARS):
			errors[key] = _("{0}: enter a single value.").format(_(df.label if df else key))
	return errors


class CheckedInput:
	"""Controller mixin: values of the wrong shape are refused with a clear error as they are set."""

	def update(self, d):
		if isinstance(d, dict):
			throw_field_errors(shape_errors(self.meta, d))
		return super().update(d)


def too_long_errors(doc, limits: dict[str, int] | None = None) -> dict[str, str]:
	"""Values longer than their column holds (or than `limits` allow): Frappe checks VARCHAR columns
	only, and a longer text would fail in the database."""
	limits = limits or {}
	errors = {}
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if not isinstance(value, str) or not value:
			continue
		column_type, column_length = (frappe.db.type_map.get(df.fieldtype) or (None, None))[:2]
		limit = limits.get(df.fieldname)
		if not limit and column_type == "varchar":
			limit = cint(df.length) or cint(column_length)
		if limit and len(value) > limit:
			errors[df.fieldname] = _("{0}: at most {1} characters, please.").format(_(df.label), limit)
		elif column_type == "text" and len(value.encode("utf-8")) > TEXT_COLUMN_BYTES:
			errors[df.fieldname] = _("{0} is too long.").format(_(df.label))
	return errors


def parse_date(value) -> datetime.date | None:
	"""A date as the database stores it (YYYY-MM-DD, from 1900); None for anything else (10/01/2026)."""
	if isinstance(value, datetime.datetime):
		value = value.date()
	if not isinstance(value, datetime.date):
		try:
			value = datetime.date.fromisoformat(cstr(value).strip())
		except ValueError:
			return None
	return value if value.year >= EARLIEST_YEAR else None


def select_options(doctype: str, fieldname: str) -> list[str]:
	"""A Select field's options as the DocType (and an admin's Property Setter) defines them."""
	return [
		option
		for option in (frappe.get_meta(doctype).get_field(fieldname).options or "").split("\n")
		if option
	]


def parse_whole_number(value, minimum: int | None = None, maximum: int | None = None) -> int | None:
	"""A whole number from a form or a request, within the bounds: an int, a float without decimals
	or ASCII digits with an optional minus. None for anything else ("²", "٣", "1e3", "0x10", "１０",
	"1.5", True), which callers refuse with their field's message."""
	if isinstance(value, bool):
		return None
	if isinstance(value, float) and value.is_integer():
		value = int(value)
	if isinstance(value, str):
		value = value.strip()
		if not WHOLE_NUMBER.fullmatch(value):
			return None
		value = int(value)
	if not isinstance(value, int):
		return None
	if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
		return None
	return value


def parse_decimal_number(value: str) -> float | None:
	"""A number typed in a form: ASCII digits, an optional minus and a decimal point or comma. None
	for anything else (float() would also take "1e3", "inf", "nan", "1_0" and other scripts' digits)."""
	value = value.strip() if isinstance(value, str) else ""
	return float(value.replace(",", ".")) if DECIMAL_NUMBER.fullmatch(value) else None


def plain_text(value):
	"""`value` without HTML markup: tags removed (the text between them kept), entities decoded.
	Repeated while decoding reveals new markup ("&lt;img&gt;" becomes "<img>", then nothing)."""
	from bs4 import BeautifulSoup

	if not isinstance(value, str) or ("<" not in value and "&" not in value):
		return value
	for _attempt in range(10):
		text = BeautifulSoup(value, "html.parser").get_text()
		if text == value:
			break
		value = text
	return value


def strip_markup(doc) -> None:
	"""Store the document's text fields as plain text (docs/permissions.md, "Free text"): what a tutor
	or a guest types never becomes a link, an image or a remote request in a print view, a PDF, an
	email or the portal, which show these fields as typed. Frappe's own sanitiser keeps links and images."""
	for df in doc.meta.fields:
		if df.fieldtype in PLAIN_TEXT_FIELDTYPES:
			value = doc.get(df.fieldname)
			if isinstance(value, str):
				doc.set(df.fieldname, plain_text(value))
