"""Subject access and portability: everything held about one Tutor or Beneficiary, as JSON or HTML.

One collector serves the desk (staff, any person) and the portal (a tutor, their own record). It
reads what concerns the person and leaves out who else is involved: a tutor's export names no
beneficiary, a beneficiary's names no tutor, and nobody's user ids appear as owners or authors.
"""

import json

import frappe
from frappe import _, _lt
from frappe.utils import now_datetime

from ciac_tutoring.activation.doctype.training_session.training_session import training_record
from ciac_tutoring.beneficiary_voice.privacy import CHECK_IN, HEALTH, check_ins_of, health_answers_of
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
		# likewise her relationship-health answers (the tutor's side is CIAC's, in no export)
		"relationship_health": health_answers_of(name) if doctype == "Beneficiary" else [],
		"training": training_record([name]) if doctype == "Tutor" else [],
		"supervision": get_supervision(name) if doctype == "Tutor" else [],
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


def get_supervision(tutor: str) -> list[dict]:
	"""The group supervision meetings the tutor was invited to, and whether they registered and came."""
	return frappe.db.sql(
		"""
		SELECT m.topic, m.starts_on, m.status, a.invited_on, a.registered, a.registered_on, a.present
		FROM `tabSupervision Attendee` a
		JOIN `tabSupervision Meeting` m ON m.name = a.parent
		WHERE a.parenttype = 'Supervision Meeting' AND a.parentfield = 'attendees' AND a.tutor = %(tutor)s
		ORDER BY m.starts_on
		""",
		{"tutor": tutor},
		as_dict=True,
	)


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


# The readable page's sections: the key in the data, the heading, the DocTypes whose fields label
# its rows (the first that has a key names it; none: the person's own) and whose export has it. The
# JSON export keeps the raw keys and values: it is for machines.
BOTH = PERSON_DOCTYPES
READABLE_SECTIONS = (
	("record", _lt("Your record"), (), BOTH),
	("consents", _lt("Consents"), ("Consent Record",), BOTH),
	("pairings", _lt("Pairings"), ("Pairing",), BOTH),
	("contacts", _lt("Contacts"), ("Contact Log",), BOTH),
	("check_ins", _lt("Check-ins"), (CHECK_IN,), ("Beneficiary",)),
	("relationship_health", _lt("Relationship health"), (HEALTH,), ("Beneficiary",)),
	("training", _lt("Training"), ("Training Session", "Training Attendance"), ("Tutor",)),
	("supervision", _lt("Group supervision"), ("Supervision Meeting", "Supervision Attendee"), ("Tutor",)),
	("notices", _lt("Notices"), ("Tutoring Reminder Log",), ("Tutor",)),
	("emails", _lt("Emails sent to you"), ("Communication", "Email Queue"), BOTH),
	("comments", _lt("Comments"), ("Comment",), BOTH),
)
# Keys every row has whose labels are Frappe's (no DocType field names them).
STANDARD_KEYS = {
	"name": ("ID", "Data"),
	"creation": ("Created On", "Datetime"),
	"modified": ("Last Updated On", "Datetime"),
	"date": ("Date", "Datetime"),
	"body": ("Message", "Data"),
}
# Frappe's bookkeeping of a child row (its parent, its random name, its times), not the person's data.
PARENT_KEYS = {"parent", "parenttype", "parentfield"}
CHILD_ROW_KEYS = {*PARENT_KEYS, "name", "creation", "modified"}
# Values that are words of the programme (the phases), translated as the desk shows them.
TRANSLATED_LINKS = {"Workflow State"}
TRANSLATED_FIELDS = {("Tutor Phase History", "from_phase"), ("Tutor Phase History", "to_phase")}
# Lists inside a row that are no table field of its DocType.
NESTED_DOCTYPES = {"goals": "Pairing Goal", "answers": "Relationship Health Answer"}


def render_html(data: dict) -> str:
	"""The readable copy: each value under its field's label, in the reader's language and the
	site's date and number formats."""
	person = data["person"]["doctype"]
	sections = []
	for key, heading, doctypes, persons in READABLE_SECTIONS:
		if person not in persons:
			continue
		metas = [frappe.get_meta(doctype) for doctype in doctypes or (person,)]
		sections.append((str(heading), readable(data.get(key), metas)))
	return frappe.render_template(
		"templates/privacy/personal_data.html",
		{
			"data": data,
			"sections": sections,
			"exported_on": frappe.format_value(data["exported_on"], {"fieldtype": "Datetime"}),
		},
	)


def readable(value, metas: list):
	"""Rows as {label: shown value}, lists kept, empty values left out."""
	if isinstance(value, list):
		return [readable(item, metas) for item in value]
	if not isinstance(value, dict):
		return value
	left_out = CHILD_ROW_KEYS if "parenttype" in value else PARENT_KEYS
	fields = {key: field_of(key, metas) for key in value if key not in left_out}
	rows = {}
	for key in sorted(fields, key=lambda key: form_order(key, fields[key])):
		item, df = value[key], fields[key]
		if item in (None, "", []):
			continue
		if isinstance(item, list):
			child = (
				df.options if df and df.fieldtype in frappe.model.table_fields else NESTED_DOCTYPES.get(key)
			)
			rows[label_of(key, df)] = readable(item, [frappe.get_meta(child)] if child else metas)
		else:
			rows[label_of(key, df)] = shown(item, df or standard_field(key))
	return rows


def field_of(key: str, metas: list):
	"""The field of the first DocType that has `key`."""
	return next((meta.get_field(key) for meta in metas if meta.has_field(key)), None)


def form_order(key: str, df) -> tuple[int, int]:
	"""As the form lays the fields out (its position, `idx`): the ID first, the record's times last."""
	if key == "name":
		return (0, 0)
	if key in ("creation", "modified"):
		return (3, 0 if key == "creation" else 1)
	return (1, df.idx) if df else (2, 0)


def standard_field(key: str) -> frappe._dict | None:
	label, fieldtype = STANDARD_KEYS.get(key, (None, None))
	return frappe._dict(label=label, fieldtype=fieldtype) if label else None


def label_of(key: str, df) -> str:
	if df and df.label:
		return _(df.label)
	standard = standard_field(key)
	return _(standard.label) if standard else _(frappe.unscrub(key))


def shown(value, df) -> str:
	if not df:
		return value
	if df.fieldtype == "Check":
		return _("Yes") if value else _("No")
	if (
		df.fieldtype == "Select"
		or (df.fieldtype == "Link" and df.options in TRANSLATED_LINKS)
		or (df.parent, df.fieldname) in TRANSLATED_FIELDS
	):
		return _(value)
	if df.fieldtype in ("Date", "Datetime", "Time", "Float", "Currency", "Percent", "Int"):
		return frappe.format_value(value, df)
	return value


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
