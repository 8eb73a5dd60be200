"""Subject access and portability: everything held about one Tutor or Beneficiary, as JSON or HTML.

One collector serves the desk (staff, any person) and the portal (a tutor, their own record). It
reads what concerns the person and leaves out who else is involved: a tutor's export names no
beneficiary, a beneficiary's names no tutor, and nobody's user ids appear as owners or authors.
"""

import json

import frappe
from frappe import _
from frappe.utils import now_datetime

from ciac_tutoring.activation.doctype.training_session.training_session import training_record
from ciac_tutoring.beneficiary_voice.privacy import check_ins_of
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import is_staff_contact
from ciac_tutoring.permissions import is_staff
from ciac_tutoring.privacy.access import log_access

PERSON_DOCTYPES = ("Tutor", "Beneficiary")
# Fields of every row that say who typed it, not who it is about.
AUTHOR_FIELDS = ("owner", "modified_by", "logged_by", "docstatus", "idx", "doctype")
# The one link to a user a person's record keeps: their own portal account. Any other (the phase
# history's changed_by, the interviewer, the referring operator) is a staff member's user id.
OWN_USER_FIELD = "user"
# The pairing's fields about the pairing itself; each side also gets what concerns them.
PAIRING_FIELDS = (
	"name", "status", "presentation_date", "start_date", "planned_end_date", "phone_contacts_per_week",
	"meetings_per_month", "last_phone_contact", "last_meeting", "last_monitoring", "compliance_status",
	"closure_date", "closure_reason", "creation", "modified",
)  # fmt: skip
PAIRING_FIELDS_OF = {"Tutor": ("tutor",), "Beneficiary": ("beneficiary", "notes")}
CONTACT_FIELDS = (
	"name", "pairing", "contact_date", "kind", "initiated_by", "duration_minutes", "wellbeing", "notes",
	"creation",
)  # fmt: skip
EXPORT_FORMATS = ("json", "html")


def collect_personal_data(doctype: str, name: str, staff_view: bool = True) -> dict:
	"""Everything held about the person (no permission check: callers check).

	Without `staff_view` (a tutor's own download from the portal) the staff-only fields (level 1)
	and the staff's comments are left out: staff hand those over after reading them."""
	if doctype not in PERSON_DOCTYPES:
		frappe.throw(_("Personal data can be exported for tutors and beneficiaries only."))
	doc = frappe.get_doc(doctype, name)
	record = without_staff_users(
		doc, without_authors(doc.as_dict(no_default_fields=False, convert_dates_to_str=True))
	)
	pairing_filter = {frappe.scrub(doctype): name}
	pairings = frappe.get_all(
		"Pairing",
		filters=pairing_filter,
		fields=[*PAIRING_FIELDS, *PAIRING_FIELDS_OF[doctype]],
		order_by="creation",
	)
	pairing_names = [row.name for row in pairings]
	if doctype == "Beneficiary":
		goals = frappe.get_all(
			"Pairing Goal",
			filters={
				"parenttype": "Pairing",
				"parentfield": "goals",
				"parent": ("in", pairing_names or [""]),
			},
			fields=["parent", "goal", "progress", "notes"],
			order_by="idx",
		)
		for pairing in pairings:
			pairing.goals = [goal for goal in goals if goal.parent == pairing.name]
	email = doc.get("email")
	data = {
		"exported_on": now_datetime(),
		"person": {"doctype": doctype, "name": name},
		"record": record,
		"consents": frappe.get_all(
			"Consent Record",
			filters={"party_type": doctype, "party": name},
			fields=[
				"privacy_notice",
				"purpose",
				"notice_version",
				"given_on",
				"method",
				"language",
				"withdrawn_on",
			],
			order_by="given_on",
		),
		"pairings": pairings,
		"contacts": get_contacts(pairing_names, staff_notes=staff_view),
		# her check-in answers are hers alone: never in a tutor's export
		"check_ins": check_ins_of(name) if doctype == "Beneficiary" else [],
		"training": training_record([name]) if doctype == "Tutor" else [],
		"notices": get_notices(name) if doctype == "Tutor" else [],
		"emails": get_emails(email),
		"comments": frappe.get_all(
			"Comment",
			filters={"reference_doctype": doctype, "reference_name": name, "comment_type": "Comment"},
			fields=["creation", "content"],
			order_by="creation",
		),
	}
	if not staff_view:
		data["record"] = without_staff_fields(doctype, data["record"])
		data["pairings"] = [without_staff_fields("Pairing", row) for row in pairings]
		data["comments"] = []
	return json.loads(frappe.as_json(data))


def without_staff_fields(doctype: str, row: dict) -> dict:
	staff_only = {df.fieldname for df in frappe.get_meta(doctype).fields if df.permlevel}
	return {key: value for key, value in row.items() if key not in staff_only}


def without_staff_users(doc, record: dict) -> dict:
	"""The record and its child rows without links to users other than the person's own account."""
	staff_user_fields = {
		(meta.name, df.fieldname)
		for meta in [doc.meta, *(frappe.get_meta(df.options) for df in doc.meta.get_table_fields())]
		for df in meta.fields
		if df.fieldtype == "Link"
		and df.options == "User"
		and not (meta.name == doc.doctype and df.fieldname == OWN_USER_FIELD)
	}

	def clean(row: dict, doctype: str) -> dict:
		return {key: value for key, value in row.items() if (doctype, key) not in staff_user_fields}

	record = clean(record, doc.doctype)
	for df in doc.meta.get_table_fields():
		if isinstance(record.get(df.fieldname), list):
			record[df.fieldname] = [clean(row, df.options) for row in record[df.fieldname]]
	return record


def without_authors(row: dict) -> dict:
	clean = {}
	for key, value in row.items():
		if key in AUTHOR_FIELDS:
			continue
		if isinstance(value, list):
			value = [without_authors(item) if isinstance(item, dict) else item for item in value]
		clean[key] = value
	return clean


def get_contacts(pairings: list[str], staff_notes: bool = True) -> list[dict]:
	"""The pairings' contacts. Without `staff_notes` (a tutor's own download), those only staff log
	(CIAC's monitoring meetings) keep their date and kind, not the staff's notes and assessment, as on
	the portal (docs/permissions.md); staff hand those over after reading them."""
	if not pairings:
		return []
	contacts = frappe.get_all(
		"Contact Log",
		filters={"pairing": ("in", pairings)},
		fields=CONTACT_FIELDS,
		order_by="contact_date",
	)
	for contact in contacts:
		if not staff_notes and is_staff_contact(contact.kind, contact.initiated_by):
			contact.notes = contact.wellbeing = None
	areas = frappe.get_all(
		"Support Area Item",
		filters={
			"parenttype": "Contact Log",
			"parentfield": "support_areas",
			"parent": ("in", [str(row.name) for row in contacts] or [""]),
		},
		fields=["parent", "support_area"],
	)
	for contact in contacts:
		contact.support_areas = [row.support_area for row in areas if str(row.parent) == str(contact.name)]
	return contacts


def get_notices(tutor: str) -> list[dict]:
	return frappe.get_all(
		"Tutoring Reminder Log",
		filters={"tutor": tutor},
		fields=["sent_on", "rule", "subject", "message", "email_status"],
		order_by="sent_on",
	)


def get_emails(email: str | None) -> list[dict]:
	"""Emails sent to the person's address: Frappe's outbox (Email Queue) and its Communications."""
	if not email:
		return []
	queue = frappe.qb.DocType("Email Queue")
	recipient = frappe.qb.DocType("Email Queue Recipient")
	queued = (
		frappe.qb.from_(queue)
		.join(recipient)
		.on(recipient.parent == queue.name)
		.select(queue.creation.as_("date"), queue.status, queue.message)
		.where(recipient.recipient == email)
		.orderby(queue.creation)
		.run(as_dict=True)
	)
	communication = frappe.qb.DocType("Communication")
	communications = (
		frappe.qb.from_(communication)
		.select(communication.communication_date.as_("date"), communication.subject, communication.content)
		.where(communication.recipients.like(f"%{email}%") | (communication.sender == email))
		.orderby(communication.communication_date)
		.run(as_dict=True)
	)
	for row in queued:
		row.subject, row.body = split_queued_message(row.pop("message") or "")
	return [*queued, *communications]


def split_queued_message(message: str) -> tuple[str, str]:
	"""Email Queue keeps the whole MIME message: its subject and readable body."""
	import email as email_parser

	parsed = email_parser.message_from_string(message)
	subject = str(email_parser.header.make_header(email_parser.header.decode_header(parsed["Subject"] or "")))
	for part in parsed.walk():
		if part.get_content_type() == "text/html":
			payload = part.get_payload(decode=True) or b""
			return subject, frappe.utils.strip_html(
				payload.decode(part.get_content_charset() or "utf-8", "replace")
			)
	return subject, ""


def render_html(data: dict) -> str:
	return frappe.render_template("templates/privacy/personal_data.html", {"data": data})


def send_as_download(data: dict, export_format: str) -> None:
	if export_format not in EXPORT_FORMATS:
		frappe.throw(_("Choose JSON or HTML."))
	person = data["person"]["name"]
	frappe.response["type"] = "download"
	frappe.response["filename"] = f"personal-data-{person}.{export_format}"
	if export_format == "json":
		frappe.response["filecontent"] = json.dumps(data, indent=1, ensure_ascii=False)
	else:
		frappe.response["filecontent"] = render_html(data)
		frappe.response["display_content_as"] = "inline"


@frappe.whitelist()
def download_personal_data(doctype: str, name: str, export_format: str = "json") -> None:
	"""Desk: staff who may export the record get the person's data (access logged by Frappe)."""
	if doctype not in PERSON_DOCTYPES or not is_staff():
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	frappe.get_doc(doctype, name).check_permission("export")
	data = collect_personal_data(doctype, name)
	log_access(
		export_from=doctype, reference_document=name, file_type=export_format, method="Personal data export"
	)
	send_as_download(data, export_format)
