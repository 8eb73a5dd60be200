"""The volunteers' register (D.Lgs. 117/2017 art. 17 c. 1; D.M. 6 October 2021).

The register is the table of Volunteer Register Entry, in the order of `entry_number`. Entries are
only appended: the controller refuses any change or deletion of a saved entry, whatever the route,
and a mistake is put right by a Correction entry that names the entry it corrects. Each entry
stores the hash of the previous entry and its own hash over its values and that previous hash, so an
entry changed or removed behind the app's back (SQL, a restored backup) breaks the chain from
that entry on: `verify_register` names the first entry where it breaks.

Tutors are entered when they reach Tutoring Started (or earlier, by staff) and struck off when they
leave the programme: `on_tutor_update` (hooks.py doc_events) writes those entries.
"""

import csv
import hashlib
import io
import json

import frappe
from frappe import _
from frappe.utils import cstr, get_datetime, getdate, now_datetime, today

from ciac_tutoring.activation import workflow_gates as gates

ENTRY = "Volunteer Register Entry"
ENROLMENT = "Enrolment"
STRIKING_OFF = "Striking Off"
CORRECTION = "Correction"

# The values an entry's hash covers, in this order (the hash of the previous entry included).
HASHED_FIELDS = (
	"entry_number",
	"entry_type",
	"tutor",
	"corrects_entry",
	"full_name",
	"tax_code",
	"date_of_birth",
	"address",
	"start_date",
	"end_date",
	"reason",
	"recorded_on",
	"recorded_by",
	"previous_hash",
)

# Leaving the programme strikes the volunteer off the register.
LEAVING_STATES = (gates.WITHDRAWN, gates.NOT_SUITABLE, gates.CONCLUDED)


def canonical_value(value) -> str:
	"""The same text for a value read back from the database and one set in memory."""
	if value is None or value == "":
		return ""
	if isinstance(value, int | float) and not isinstance(value, bool):
		return str(int(value))
	return cstr(value)


def compute_hash(values) -> str:
	payload = json.dumps(
		[[field, canonical_value(values.get(field))] for field in HASHED_FIELDS],
		ensure_ascii=False,
		separators=(",", ":"),
	)
	return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def last_entry(for_update: bool = False) -> frappe._dict | None:
	"""The last entry of the register; `for_update` locks it, so two entries never share a number."""
	rows = frappe.db.sql(
		f"""select name, entry_number, entry_hash from `tab{ENTRY}`
		order by entry_number desc limit 1 {"for update" if for_update else ""}""",
		as_dict=True,
	)
	return rows[0] if rows else None


def chain_entry(entry) -> None:
	"""Number, date and hash a new entry (called from its controller before it is inserted)."""
	previous = last_entry(for_update=True)
	entry.entry_number = (previous.entry_number if previous else 0) + 1
	entry.previous_hash = previous.entry_hash if previous else ""
	# Seconds only: the database keeps microseconds, but a value read back must hash the same.
	entry.recorded_on = get_datetime(now_datetime()).replace(microsecond=0)
	entry.recorded_by = frappe.session.user
	# Dates as the database will give them back: "1980-1-1" is stored as 1980-01-01.
	for fieldname in ("date_of_birth", "start_date", "end_date"):
		if entry.get(fieldname):
			entry.set(fieldname, getdate(entry.get(fieldname)))
	entry.entry_hash = compute_hash(entry.as_dict())


def current_status(tutor: str) -> frappe._dict | None:
	"""The tutor's standing in the register: the last enrolment or striking off, corrections applied."""
	entries = frappe.get_all(
		ENTRY,
		filters={"tutor": tutor},
		fields=["name", "entry_type", "corrects_entry", "start_date", "end_date", "entry_number"],
		order_by="entry_number asc",
	)
	if not entries:
		return None
	by_name = {row.name: row for row in entries}
	status, standing_entry = None, None
	for row in entries:
		if row.entry_type != CORRECTION:
			status, standing_entry = frappe._dict(row, standing=row.entry_type), row.name
			continue
		# A correction reads as the entry it corrects, with the corrected values; it changes the
		# standing only when it corrects the entry that sets it now (a correction of an earlier
		# enrolment's tax code does not enrol again a tutor struck off since).
		original = by_name.get(row.corrects_entry)
		while original and original.entry_type == CORRECTION:
			original = by_name.get(original.corrects_entry)
		if original is None or original.name == standing_entry:
			kind = original.entry_type if original else ENROLMENT
			status = frappe._dict(row, standing=kind)
	return status


def is_enrolled(tutor: str) -> bool:
	status = current_status(tutor)
	return bool(status and status.standing == ENROLMENT)


def append_entry(values: dict) -> str:
	entry = frappe.get_doc({"doctype": ENTRY, **values})
	entry.insert(ignore_permissions=True)
	return entry.name


def enrol(tutor, start_date=None) -> str | None:
	"""Enter the tutor in the register from the data of their Tutor record (once)."""
	if is_enrolled(tutor.name):
		return None
	return append_entry(
		{
			"entry_type": ENROLMENT,
			"tutor": tutor.name,
			"full_name": tutor.tutor_name,
			"address": tutor.address,
			"start_date": start_date or today(),
		}
	)


def strike_off(tutor, end_date=None) -> str | None:
	status = current_status(tutor.name)
	if not status or status.standing != ENROLMENT:
		return None
	last = frappe.get_doc(ENTRY, status.name)
	return append_entry(
		{
			"entry_type": STRIKING_OFF,
			"tutor": tutor.name,
			"full_name": last.full_name,
			"tax_code": last.tax_code,
			"date_of_birth": last.date_of_birth,
			"address": last.address,
			"start_date": last.start_date,
			"end_date": end_date or today(),
			# the phase as stored: the register is read in any language (the print translates it)
			"reason": tutor.workflow_state,
		}
	)


def on_tutor_update(tutor, method=None) -> None:
	"""hooks.py doc_events: Tutoring Started enters the tutor, leaving the programme strikes them off."""
	if not tutor.has_value_changed("workflow_state"):
		return
	if tutor.workflow_state == gates.TUTORING_STARTED:
		enrol(tutor)
	elif tutor.workflow_state in LEAVING_STATES:
		strike_off(tutor)


# --- verification ----------------------------------------------------------------------------


def verify() -> frappe._dict:
	"""Walk the chain in entry order; the first entry whose number, link or hash does not hold."""
	entries = frappe.db.sql(
		f"select name, {', '.join(HASHED_FIELDS)}, entry_hash from `tab{ENTRY}` order by entry_number asc",
		as_dict=True,
	)
	previous_hash = ""
	for expected_number, entry in enumerate(entries, start=1):
		problem = None
		if entry.entry_number != expected_number:
			problem = _("entry number {0} is missing: an entry was removed").format(expected_number)
		elif cstr(entry.previous_hash) != previous_hash:
			problem = _("it does not carry the hash of the previous entry")
		elif compute_hash(entry) != entry.entry_hash:
			problem = _("its values do not match its hash: it was altered")
		if problem:
			return frappe._dict(
				intact=False, checked=expected_number - 1, broken_entry=entry.name,
				broken_number=entry.entry_number, problem=problem,
			)  # fmt: skip
		previous_hash = cstr(entry.entry_hash)
	return frappe._dict(
		intact=True, checked=len(entries), broken_entry=None, broken_number=None, problem=None
	)


def verification_message(result) -> str:
	if result.intact:
		return _("The register is intact: {0} entries verified.").format(result.checked)
	return _("The register is broken at entry {0} ({1}): {2}. The {3} entries before it are intact.").format(
		result.broken_number, result.broken_entry, result.problem, result.checked
	)


def require_register_right(right: str = "read") -> None:
	if not frappe.has_permission(ENTRY, right):
		frappe.throw(_("Not permitted to read the volunteers' register."), frappe.PermissionError)


@frappe.whitelist()
def verify_register() -> dict:
	"""The desk's "Verify register" button."""
	require_register_right()
	result = verify()
	result.message = verification_message(result)
	return result


# --- reading and export ----------------------------------------------------------------------

EXPORT_COLUMNS = (
	("entry_number", "Entry Number"),
	("entry_type", "Entry Type"),
	("recorded_on", "Recorded On"),
	("corrects_entry_number", "Corrects Entry"),
	("full_name", "Full Name"),
	("tax_code", "Tax Code"),
	("date_of_birth", "Date of Birth"),
	("address", "Address"),
	("start_date", "Start Date"),
	("end_date", "End Date"),
	("reason", "Reason"),
	("entry_hash", "Entry Hash"),
)


def get_entries(period_from=None, period_to=None) -> list[frappe._dict]:
	"""Entries recorded in the period (both ends included), in register order."""
	filters = {}
	if period_from and period_to:
		filters["recorded_on"] = ("between", [getdate(period_from), f"{getdate(period_to)} 23:59:59"])
	elif period_to:
		filters["recorded_on"] = ("<=", f"{getdate(period_to)} 23:59:59")
	elif period_from:
		filters["recorded_on"] = (">=", getdate(period_from))
	entries = frappe.get_all(
		ENTRY, filters=filters, fields=["name", *HASHED_FIELDS, "entry_hash"], order_by="entry_number asc"
	)
	numbers = dict(frappe.get_all(ENTRY, fields=["name", "entry_number"], as_list=True)) if entries else {}
	for entry in entries:
		entry.corrects_entry_number = numbers.get(entry.corrects_entry) if entry.corrects_entry else None
	return entries


def register_csv(entries: list) -> str:
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow([_(label) for _field, label in EXPORT_COLUMNS])
	for entry in entries:
		writer.writerow(
			[
				_(entry.entry_type) if field == "entry_type" else canonical_value(entry.get(field))
				for field, _l in EXPORT_COLUMNS
			]
		)
	return out.getvalue()


@frappe.whitelist()
def download_register_csv(period_from: str | None = None, period_to: str | None = None) -> None:
	"""The whole register (or a period of it) as CSV, for an inspection."""
	require_register_right("export")
	frappe.local.response.filename = f"{_('Volunteers Register')} {today()}.csv"
	frappe.local.response.filecontent = register_csv(get_entries(period_from, period_to))
	frappe.local.response.type = "download"
