"""Retention and erasure: anonymise the people whose time is up, or who asked, set-based.

Anonymising keeps every record and the anonymous facts the reports count (dates, statuses, kinds,
phases, municipality, languages, support areas, nationality, gender, birth year) and removes what
identifies a person: names, contacts, notes and free text, in their records and wherever the app or
Frappe copied them (pairings, contacts, reminders, emails, versions, comments, consents).
"""

import frappe
from frappe import _
from frappe.query_builder import Case, Criterion, CustomFunction
from frappe.query_builder.functions import Concat, Count, IfNull, Lower, Max, Sum
from frappe.utils import add_months, add_years, cint, getdate, now_datetime, today
from pypika.terms import ValueWrapper

from ciac_tutoring.beneficiary_voice.privacy import anonymise_check_ins
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import CLOSED, OPEN_PAIRING_STATUSES

PERSON_DOCTYPES = ("Tutor", "Beneficiary")
FREE_TEXT_TYPES = (
	"Data", "Small Text", "Text", "Long Text", "Text Editor", "Markdown Editor", "HTML Editor", "Code",
	"Phone", "Attach", "Attach Image", "Date", "Datetime", "Int", "Float",
)  # fmt: skip
# What stays: the anonymous facts the reports count (Select, Link, Check and table fields stay too).
KEPT_FIELDS = {
	"Tutor": {"municipality", "training_hours", "capacity", "phase_changed_on", "privacy_consent_date",
			  "interview_date", "anonymised_on"},
	"Beneficiary": {"municipality", "consent_date", "anonymised_on"},
}  # fmt: skip
# Replaced rather than emptied (the record's own name stands in for the person's).
REPLACED_FIELDS = {
	"Tutor": {"tutor_name", "email"},
	"Beneficiary": {"first_name", "last_name", "full_name", "date_of_birth"},
}
NUMBER_TYPES = ("Int", "Float")
ANONYMOUS_EMAIL_DOMAIN = "anonymised.invalid"
# Names shorter than this are not searched for in other records' free text (too many false hits).
MIN_MENTION_LENGTH = 6
BATCH_SIZE = 200
Year = CustomFunction("YEAR", ["date"])


class PairingStillOpenError(frappe.ValidationError):
	pass


# --- what is due ------------------------------------------------------------------------------


def due_for_anonymisation() -> dict[str, list[str]]:
	"""People whose retention period is over (per Tutoring Settings), not yet anonymised."""
	settings = get_settings()
	due = {"Tutor": set(), "Beneficiary": set()}
	years = cint(settings.closed_pairing_retention_years)
	if years > 0:
		cutoff = getdate(add_years(today(), -years))
		for doctype in PERSON_DOCTYPES:
			due[doctype].update(closed_long_ago(doctype, cutoff))
	months = cint(settings.unconverted_availability_retention_months)
	if months > 0:
		due["Tutor"].update(unconverted_tutors(getdate(add_months(today(), -months))))
	return {doctype: sorted(names) for doctype, names in due.items()}


def closed_long_ago(doctype: str, cutoff) -> list[str]:
	"""People whose pairings are all Closed, the last closed before `cutoff`."""
	pairing = frappe.qb.DocType("Pairing")
	person = frappe.qb.DocType(doctype)
	link = pairing[frappe.scrub(doctype)]
	closed_on = IfNull(pairing.closure_date, pairing.modified)
	query = (
		frappe.qb.from_(pairing)
		.join(person)
		.on(person.name == link)
		.select(link)
		.where(person.anonymised_on.isnull())
		.groupby(link)
		.having(Sum(Case().when(pairing.status != CLOSED, 1).else_(0)) == 0)
		.having(Max(closed_on) < cutoff)
	)
	if doctype == "Beneficiary":
		# not one whose proposals closed before starting: they still wait for a tutor
		query = query.where(person.status == CLOSED)
	return query.run(pluck=True)


def unconverted_tutors(cutoff) -> list[str]:
	"""Availabilities that never led to a pairing and have not changed since `cutoff`."""
	tutor = frappe.qb.DocType("Tutor")
	pairing = frappe.qb.DocType("Pairing")
	return (
		frappe.qb.from_(tutor)
		.select(tutor.name)
		.where(tutor.anonymised_on.isnull())
		.where(tutor.modified < cutoff)
		.where(tutor.name.notin(frappe.qb.from_(pairing).select(pairing.tutor).distinct()))
		.run(pluck=True)
	)


# --- entry points -----------------------------------------------------------------------------


def anonymise_due_records(commit: bool = True) -> None:
	"""Daily job (hooks.py scheduler_events): anonymise whoever's retention period is over."""
	due = due_for_anonymisation()
	for doctype, names in due.items():
		for start in range(0, len(names), BATCH_SIZE):
			anonymise({doctype: names[start : start + BATCH_SIZE]}, "Retention period")
			if commit:
				frappe.db.commit()  # nosemgrep: one batch at a time, each logged


@frappe.whitelist(methods=["POST"])
def erase_personal_data(doctype: str, name: str) -> None:
	"""A person's erasure request, from the desk. Deleting is a manager's right, so is this."""
	if doctype not in PERSON_DOCTYPES:
		frappe.throw(_("Only tutors and beneficiaries can be erased here."))
	frappe.get_doc(doctype, name).check_permission("delete")
	refuse_while_pairing_open(doctype, name)
	anonymise({doctype: [name]}, "Erasure request")


def refuse_while_pairing_open(doctype: str, name: str) -> None:
	open_pairing = frappe.db.get_value(
		"Pairing", {frappe.scrub(doctype): name, "status": ("in", OPEN_PAIRING_STATUSES)}, "name"
	)
	if open_pairing:
		frappe.throw(
			_("Pairing {0} is still open: close it before erasing this person's data.").format(open_pairing),
			exc=PairingStillOpenError,
			title=_("Erasure Refused"),
		)


# --- anonymising --------------------------------------------------------------------------------


def anonymise(people: dict[str, list[str]], reason: str) -> None:
	tutors = list(people.get("Tutor") or [])
	beneficiaries = list(people.get("Beneficiary") or [])
	if not tutors and not beneficiaries:
		return
	mentions = identifying_strings(tutors, beneficiaries)
	users = frappe.get_all(
		"Tutor", filters={"name": ("in", tutors or [""]), "user": ("is", "set")}, pluck="user"
	)
	pairings = frappe.get_all(
		"Pairing",
		or_filters={"tutor": ("in", tutors or [""]), "beneficiary": ("in", beneficiaries or [""])},
		pluck="name",
	)
	contacts = frappe.get_all("Contact Log", filters={"pairing": ("in", pairings or [""])}, pluck="name")
	counts = changed_records(tutors, beneficiaries)

	anonymise_people("Tutor", tutors)
	anonymise_people("Beneficiary", beneficiaries)
	anonymise_copies(tutors, beneficiaries, pairings, contacts)
	check_ins = anonymise_check_ins(pairings)
	remove_traces(
		{"Tutor": tutors, "Beneficiary": beneficiaries, "Pairing": pairings, "Contact Log": contacts}
		| {"Beneficiary Check-in": check_ins},
		mentions,
	)
	disable_users(users)
	log_erasure(tutors, beneficiaries, counts, reason)


def identifying_strings(tutors: list[str], beneficiaries: list[str]) -> list[str]:
	"""Names and addresses to look for in free text elsewhere (emails, comments, versions)."""
	strings = set()
	if tutors:
		for row in frappe.get_all(
			"Tutor",
			filters={"name": ("in", tutors)},
			fields=["tutor_name", "contact_person", "email", "mobile"],
		):
			strings.update(row.values())
	if beneficiaries:
		for row in frappe.get_all(
			"Beneficiary", filters={"name": ("in", beneficiaries)}, fields=["full_name", "email", "mobile"]
		):
			strings.update(row.values())
	return sorted(s.strip() for s in strings if s and len(s.strip()) >= MIN_MENTION_LENGTH)


def changed_records(tutors: list[str], beneficiaries: list[str]) -> dict[str, int]:
	"""Per person: the record, its consents, pairings and their contacts (for the log)."""
	counts = {}
	pairing = frappe.qb.DocType("Pairing")
	contact = frappe.qb.DocType("Contact Log")
	for field, names in (("tutor", tutors), ("beneficiary", beneficiaries)):
		if not names:
			continue
		rows = (
			frappe.qb.from_(pairing)
			.left_join(contact)
			.on(contact.pairing == pairing.name)
			.select(pairing[field], Count(pairing.name).distinct(), Count(contact.name))
			.where(pairing[field].isin(names))
			.groupby(pairing[field])
			.run()
		)
		for person, pairings, contacts in rows:
			counts[person] = cint(pairings) + cint(contacts)
	return counts


def anonymise_people(doctype: str, names: list[str]) -> None:
	if not names:
		return
	table = frappe.qb.DocType(doctype)
	query = frappe.qb.update(table).where(table.name.isin(names))
	for df in frappe.get_meta(doctype).fields:
		if (
			df.fieldtype in FREE_TEXT_TYPES
			and df.fieldname not in KEPT_FIELDS[doctype] | REPLACED_FIELDS[doctype]
		):
			# Frappe keeps numbers NOT NULL: an emptied number is 0.
			query = query.set(table[df.fieldname], 0 if df.fieldtype in NUMBER_TYPES else None)
	# Frappe's copy of the record's comments
	query = query.set(table._comments, None)
	if doctype == "Tutor":
		query = (
			query.set(table.tutor_name, table.name)
			.set(table.email, Lower(Concat(table.name, "@" + ANONYMOUS_EMAIL_DOMAIN)))
			.set(table.user, None)
		)
	else:
		# The birth year stays for age statistics; the day does not.
		query = (
			query.set(table.first_name, table.name)
			.set(table.last_name, "")
			.set(table.full_name, table.name)
			.set(table.date_of_birth, Concat(Year(table.date_of_birth), "-01-01"))
		)
	query.set(table.anonymised_on, now_datetime()).run()


def anonymise_copies(tutors, beneficiaries, pairings, contacts) -> None:
	"""The names the app copied into other records, and the notes written about the people."""
	pairing = frappe.qb.DocType("Pairing")
	if tutors:
		frappe.qb.update(pairing).set(pairing.tutor_name, pairing.tutor).where(
			pairing.tutor.isin(tutors)
		).run()
		attendance = frappe.qb.DocType("Training Attendance")
		frappe.qb.update(attendance).set(attendance.tutor_name, attendance.tutor).where(
			attendance.tutor.isin(tutors)
		).run()
	if beneficiaries:
		frappe.qb.update(pairing).set(pairing.beneficiary_name, pairing.beneficiary).where(
			pairing.beneficiary.isin(beneficiaries)
		).run()
	if pairings:
		frappe.qb.update(pairing).set(pairing.notes, None).set(pairing._comments, None).where(
			pairing.name.isin(pairings)
		).run()
		goal = frappe.qb.DocType("Pairing Goal")
		frappe.qb.update(goal).set(goal.notes, None).where(goal.parenttype == "Pairing").where(
			goal.parentfield == "goals"
		).where(goal.parent.isin(pairings)).run()
		reminder = frappe.qb.DocType("Tutoring Reminder Log")
		frappe.qb.update(reminder).set(reminder.subject, reminder.rule).set(reminder.message, None).set(
			reminder.email_context, None
		).where(reminder.pairing.isin(pairings) | reminder.tutor.isin(tutors or [""])).run()
		frappe.qb.update(reminder).set(reminder.recipient, None).where(
			reminder.tutor.isin(tutors or [""])
		).run()
	if contacts:
		contact = frappe.qb.DocType("Contact Log")
		frappe.qb.update(contact).set(contact.notes, None).set(contact._comments, None).where(
			contact.name.isin(contacts)
		).run()
	consent = frappe.qb.DocType("Consent Record")
	for doctype, names in (("Tutor", tutors), ("Beneficiary", beneficiaries)):
		if names:
			frappe.qb.update(consent).set(consent.party_name, consent.party).where(
				consent.party_type == doctype
			).where(consent.party.isin(names)).run()


def remove_traces(records: dict[str, list[str]], mentions: list[str]) -> None:
	"""Frappe's own copies: versions, comments, emails, notifications and the search index."""
	references = Criterion.any(
		[
			(frappe.qb.Field("reference_doctype") == doctype) & frappe.qb.Field("reference_name").isin(names)
			for doctype, names in records.items()
			if names
		]
	)
	versions = Criterion.any(
		[
			(frappe.qb.Field("ref_doctype") == doctype) & frappe.qb.Field("docname").isin(names)
			for doctype, names in records.items()
			if names
		]
	)
	for doctype, criterion in (
		("Version", versions | mentioned(("data",), mentions)),
		("Comment", references | mentioned(("content",), mentions)),
		("Communication", references | mentioned(("subject", "content", "recipients", "sender"), mentions)),
		("Notification Log", mentioned(("subject", "email_content"), mentions)),
		("Activity Log", references | mentioned(("subject", "content"), mentions)),
		("Deleted Document", mentioned(("data",), mentions)),
	):
		table = frappe.qb.DocType(doctype)
		frappe.qb.from_(table).delete().where(criterion).run()
	delete_emails(mentions)
	reminder = frappe.qb.DocType("Tutoring Reminder Log")
	frappe.qb.update(reminder).set(reminder.subject, reminder.rule).set(reminder.message, None).set(
		reminder.email_context, None
	).where(mentioned(("subject", "message", "email_context"), mentions)).run()
	search = frappe.qb.DocType("__global_search")
	frappe.qb.from_(search).delete().where(
		Criterion.any(
			[
				(search.doctype == doctype) & search.name.isin(names)
				for doctype, names in records.items()
				if names
			]
		)
		| mentioned(("content",), mentions)
	).run()


def mentioned(columns: tuple[str, ...], mentions: list[str]) -> Criterion:
	"""Any of `columns` contains any of `mentions` (one OR of LIKEs: one scan per table and batch)."""
	if not mentions:
		return ValueWrapper(1) == 0
	return Criterion.any(
		[frappe.qb.Field(column).like(f"%{escape_like(text)}%") for column in columns for text in mentions]
	)


def escape_like(text: str) -> str:
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def delete_emails(mentions: list[str]) -> None:
	"""Frappe's outbox copies that were sent to the people or name them."""
	if not mentions:
		return
	queue = frappe.qb.DocType("Email Queue")
	recipient = frappe.qb.DocType("Email Queue Recipient")
	names = (
		frappe.qb.from_(recipient)
		.select(recipient.parent)
		.where(recipient.recipient.isin(mentions))
		.run(pluck=True)
	)
	names += (
		frappe.qb.from_(queue).select(queue.name).where(mentioned(("message",), mentions)).run(pluck=True)
	)
	if names:
		frappe.qb.from_(recipient).delete().where(recipient.parent.isin(names)).run()
		frappe.qb.from_(queue).delete().where(queue.name.isin(names)).run()


def disable_users(users: list[str]) -> None:
	"""Portal accounts of anonymised tutors: disabled and stripped of names (the login id stays
	until a System Manager runs Frappe's Personal Data Deletion Request on it, see docs/privacy.md)."""
	if not users:
		return
	user = frappe.qb.DocType("User")
	frappe.qb.update(user).set(user.enabled, 0).set(user.first_name, user.name).set(
		user.middle_name, None
	).set(user.last_name, None).set(user.full_name, user.name).set(user.mobile_no, None).set(
		user.phone, None
	).set(user.bio, None).set(user.location, None).set(user.birth_date, None).where(
		user.name.isin(users)
	).where(user.name.notin(("Administrator", "Guest"))).run()


def log_erasure(tutors: list[str], beneficiaries: list[str], counts: dict[str, int], reason: str) -> None:
	now = now_datetime()
	rows = [
		(frappe.generate_hash(length=10), now, now, frappe.session.user, frappe.session.user, now, reason,
		 frappe.session.user, doctype, name, 1 + counts.get(name, 0))
		for doctype, names in (("Tutor", tutors), ("Beneficiary", beneficiaries))
		for name in names
	]  # fmt: skip
	frappe.db.bulk_insert(
		"Data Erasure Log",
		fields=[
			"name", "creation", "modified", "owner", "modified_by", "erased_on", "reason", "performed_by",
			"reference_doctype", "reference_name", "records_changed",
		],
		values=rows,
	)  # fmt: skip
