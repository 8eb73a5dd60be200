"""Queue reminder emails in bulk, each at most once per key.

`frappe.sendmail` inserts one Email Queue document per email (a dozen statements each);
the nightly job may send thousands, so the same Email Queue rows are built with Frappe's
own QueueBuilder (same MIME, sender and unsubscribe rules) and written with multi-row
inserts. The Email Queue worker sends them as it sends any other queued email.

The Tutoring Reminder Log row of each email is inserted first: its unique `key` makes a
concurrent run fail (and roll back) instead of sending twice.
"""

import copy
from dataclasses import dataclass, field

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.doctype.email_queue.email_queue import QueueBuilder
from frappe.model.naming import is_autoincremented
from frappe.utils import now_datetime

EMAIL_QUEUE_COLUMNS = (
	"sender",
	"show_as_cc",
	"message",
	"message_id",
	"reference_doctype",
	"reference_name",
	"communication",
	"send_after",
	"priority",
	"add_unsubscribe_link",
	"unsubscribe_method",
	"expose_recipients",
	"attachments",
	"email_account",
)
LOG_COLUMNS = (
	"key",
	"rule",
	"period",
	"sent_on",
	"pairing",
	"tutor",
	"recipient",
	"reference_doctype",
	"reference_name",
	"subject",
	"message",
	"email_queue",
)
# Email Queue rows carry the whole MIME message: keep each INSERT well under max_allowed_packet.
EMAIL_QUEUE_CHUNK = 200


@dataclass
class Reminder:
	key: str
	rule: str
	recipient: str
	subject: str
	html: str
	message: str  # short plain-text notice (the tutor portal shows it)
	period: str = ""
	pairing: str | None = None
	tutor: str | None = None
	reference_doctype: str | None = None
	reference_name: str | None = None
	email_queue: str | None = field(default=None, init=False)


def existing_keys(keys: list[str]) -> set[str]:
	if not keys:
		return set()
	return set(frappe.get_all("Tutoring Reminder Log", filters={"key": ["in", keys]}, pluck="key"))


def queue_reminders(reminders: list[Reminder]) -> list[Reminder]:
	"""Queue the reminders whose key was never used; return the ones queued."""
	reminders = _unique_by_key([r for r in reminders if r.recipient])
	already_sent = existing_keys([r.key for r in reminders])
	reminders = [r for r in reminders if r.key not in already_sent]
	if not reminders:
		return []

	sent_on = now_datetime()
	queue_rows, recipient_rows = _build_email_queue_rows(reminders, sent_on)
	_name_email_queue_rows(reminders, queue_rows, recipient_rows)
	_insert_logs(reminders, sent_on)
	frappe.db.bulk_insert(
		"Email Queue",
		("name", "creation", "modified", "owner", "modified_by", "status", "retry", *EMAIL_QUEUE_COLUMNS),
		queue_rows,
		chunk_size=EMAIL_QUEUE_CHUNK,
	)
	frappe.db.bulk_insert(
		"Email Queue Recipient",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"recipient",
			"status",
		),
		recipient_rows,
	)
	return reminders


def _unique_by_key(reminders: list[Reminder]) -> list[Reminder]:
	seen = {}
	for reminder in reminders:
		seen.setdefault(reminder.key, reminder)
	return list(seen.values())


def _build_email_queue_rows(reminders: list[Reminder], sent_on) -> tuple[list, list]:
	unsubscribed = _globally_unsubscribed({r.recipient for r in reminders})
	sender = _sender()
	account = _outgoing_account(sender)
	user = frappe.session.user
	queue_rows, recipient_rows = [], []
	for reminder in reminders:
		if reminder.recipient in unsubscribed:
			continue
		builder = QueueBuilder(
			recipients=[reminder.recipient],
			sender=sender,
			subject=reminder.subject,
			message=reminder.html,
			reference_doctype=reminder.reference_doctype,
			reference_name=reminder.reference_name,
			add_unsubscribe_link=0,
		)
		# Looked up once above for every email instead of once per email.
		builder._unsubscribed_user_emails = []
		builder._email_account = account
		data = builder.as_dict(include_recipients=False)
		if not data:  # an invalid address: QueueBuilder logged it
			continue
		reminder.email_queue = frappe.generate_hash(length=10)  # a placeholder until named
		queue_rows.append(
			(
				reminder.email_queue,
				sent_on,
				sent_on,
				user,
				user,
				"Not Sent",
				0,
				*(data.get(column) for column in EMAIL_QUEUE_COLUMNS),
			)
		)
		recipient_rows.append(
			(
				frappe.generate_hash(length=10),
				sent_on,
				sent_on,
				user,
				user,
				reminder.email_queue,
				"Email Queue",
				"recipients",
				1,
				reminder.recipient,
				"Not Sent",
			)
		)
	return queue_rows, recipient_rows


def _name_email_queue_rows(reminders: list[Reminder], queue_rows: list, recipient_rows: list) -> None:
	"""Email Queue is named by a database sequence (a log type): take all the names in one query."""
	if not queue_rows or not is_autoincremented("Email Queue"):
		return
	names = reserve_sequence_values("Email Queue", len(queue_rows))
	placeholders = {row[0]: name for row, name in zip(queue_rows, names, strict=True)}
	for index, row in enumerate(queue_rows):
		queue_rows[index] = (placeholders[row[0]], *row[1:])
	for index, row in enumerate(recipient_rows):
		recipient_rows[index] = (*row[:5], placeholders[row[5]], *row[6:])
	for reminder in reminders:
		reminder.email_queue = placeholders.get(reminder.email_queue)


def reserve_sequence_values(doctype: str, count: int) -> list[int]:
	"""`count` names of an autoincrement DocType, atomically (MariaDB's sequence engine)."""
	sequence = frappe.scrub(f"{doctype}_id_seq")
	return [
		int(value)
		for (value,) in frappe.db.sql(f"SELECT NEXTVAL(`{sequence}`) FROM seq_1_to_{int(count)}")
	]


def _outgoing_account(sender: str | None):
	"""The outgoing Email Account, with its "is it in the database" answer looked up once (QueueBuilder
	asks for every email). A copy: the account Frappe caches for the request stays untouched."""
	account = copy.copy(EmailAccount.find_outgoing(match_by_email=sender, _raise_error=True))
	in_db = bool(account.is_exists_in_db())
	account.is_exists_in_db = lambda: in_db
	return account


def _sender() -> str | None:
	"""The default outgoing account's sender; a placeholder where emails are muted and no account
	exists (development and test sites), where Frappe's dummy account has no address."""
	account = EmailAccount.find_outgoing(_raise_error=True)
	if account and account.get("email_id"):
		return None  # QueueBuilder uses the account's own sender
	return frappe.conf.get("auto_email_id") or "notifications@example.com"


def _globally_unsubscribed(emails: set[str]) -> set[str]:
	if not emails:
		return set()
	return set(
		frappe.get_all(
			"Email Unsubscribe",
			filters={"email": ["in", list(emails)], "global_unsubscribe": 1},
			pluck="email",
		)
	)


def _insert_logs(reminders: list[Reminder], sent_on) -> None:
	user = frappe.session.user
	frappe.db.bulk_insert(
		"Tutoring Reminder Log",
		("name", "creation", "modified", "owner", "modified_by", *LOG_COLUMNS),
		(
			(
				frappe.generate_hash(length=10),
				sent_on,
				sent_on,
				user,
				user,
				*(sent_on if column == "sent_on" else getattr(r, column) for column in LOG_COLUMNS),
			)
			for r in reminders
		),
		chunk_size=2000,
	)
