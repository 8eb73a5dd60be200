"""Reminders, each at most once per key, and their emails in bulk.

`queue_reminders` writes one Tutoring Reminder Log row per new key (the idempotence record,
the tutor portal's notice and an outbox in one): a multi-row INSERT whose unique `key` makes a
concurrent run fail and roll back rather than remind twice. Its email is built from the row
by `send_pending_emails`: at once for a handful (the everyday case), in a background job when
a run produces many, since building a MIME message costs milliseconds each.

`frappe.sendmail` would insert one Email Queue document per email (a dozen statements each);
here the same rows are built with Frappe's own QueueBuilder (same MIME, sender and
unsubscribe rules) and written with multi-row inserts. The Email Queue worker then sends them
as it sends any other queued email.
"""

import copy
import os
from dataclasses import dataclass

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.doctype.email_queue.email_queue import QueueBuilder
from frappe.email.email_body import get_footer
from frappe.model.naming import is_autoincremented
from frappe.query_builder import Case
from frappe.utils import get_url, now_datetime, scrub_urls
from frappe.utils.jinja_globals import bundled_asset
from premailer import Premailer

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
	"email_html",
	"email_status",
)
PENDING, QUEUED, SKIPPED = "Pending", "Queued", "Skipped"
# Up to this many new emails are built in the run that decided them; more go to a background job.
BUILD_AT_ONCE_LIMIT = 100
EMAIL_BATCH = 500
# Under MariaDB's default max_allowed_packet (16 MB), with room for escaping.
LOG_CHUNK_BYTES = 12 * 1024 * 1024
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


def existing_keys(keys: list[str]) -> set[str]:
	if not keys:
		return set()
	return set(frappe.get_all("Tutoring Reminder Log", filters={"key": ["in", keys]}, pluck="key"))


def queue_reminders(reminders: list[Reminder]) -> list[Reminder]:
	"""Record the reminders whose key was never used and get their emails built; return them."""
	reminders = _unique_by_key([r for r in reminders if r.recipient])
	already_sent = existing_keys([r.key for r in reminders])
	reminders = [r for r in reminders if r.key not in already_sent]
	if not reminders:
		return []
	names = _insert_logs(reminders, now_datetime())
	if len(reminders) <= BUILD_AT_ONCE_LIMIT:
		_queue_emails(_pending_logs({"name": ["in", names]}))
	else:
		frappe.enqueue(
			"ciac_tutoring.monitoring.mailer.send_pending_emails",
			queue="long",
			job_id="ciac_tutoring_reminder_emails",
			deduplicate=True,
			enqueue_after_commit=True,
		)
	return reminders


def send_pending_emails(commit: bool = True, batch: int = EMAIL_BATCH) -> int:
	"""Build and queue the emails of every Pending reminder, a batch at a time; return how many.

	Run by the background job (committing each batch: a failure keeps the batches done), and
	at once, inside the deciding transaction, for a handful."""
	done = 0
	while pending := _pending_logs({}, limit=batch):
		_queue_emails(pending)
		done += len(pending)
		if commit:
			frappe.db.commit()  # nosemgrep: each batch of emails is kept once queued
		if len(pending) < batch:
			break
	return done


def _pending_logs(filters: dict, limit: int | None = None) -> list[dict]:
	return frappe.get_all(
		"Tutoring Reminder Log",
		filters={**filters, "email_status": PENDING},
		fields=["name", "recipient", "subject", "email_html", "reference_doctype", "reference_name"],
		order_by="creation asc, name asc",
		limit=limit,
	)


def _unique_by_key(reminders: list[Reminder]) -> list[Reminder]:
	seen = {}
	for reminder in reminders:
		seen.setdefault(reminder.key, reminder)
	return list(seen.values())


def _insert_logs(reminders: list[Reminder], sent_on) -> list[str]:
	user = frappe.session.user
	values = {"sent_on": sent_on, "email_status": PENDING}
	names = [frappe.generate_hash(length=10) for _ in reminders]
	columns = ("name", "creation", "modified", "owner", "modified_by", *LOG_COLUMNS)
	rows = [
		(
			name,
			sent_on,
			sent_on,
			user,
			user,
			*(
				values[c] if c in values else getattr(r, "html" if c == "email_html" else c)
				for c in LOG_COLUMNS
			),
		)
		for name, r in zip(names, reminders, strict=True)
	]
	# Plain parameters rather than frappe.db.bulk_insert: pypika spends a millisecond a row.
	row_sql = "({})".format(", ".join(["%s"] * len(columns)))
	for chunk in _chunks_by_size(rows, LOG_CHUNK_BYTES):
		frappe.db.sql(
			"INSERT INTO `tabTutoring Reminder Log` ({}) VALUES {}".format(
				", ".join(f"`{c}`" for c in columns), ", ".join([row_sql] * len(chunk))
			),
			[value for row in chunk for value in row],
		)
	return names


def _chunks_by_size(rows: list[tuple], budget: int):
	"""Consecutive slices of rows whose values add up to at most `budget` characters: as few
	INSERTs as the server's max_allowed_packet allows (one for a run of ~10,000 reminders)."""
	chunk, size = [], 0
	for row in rows:
		row_size = sum(len(str(value)) + 4 for value in row)
		if chunk and size + row_size > budget:
			yield chunk
			chunk, size = [], 0
		chunk.append(row)
		size += row_size
	if chunk:
		yield chunk


def _queue_emails(logs: list[dict]) -> None:
	"""Email Queue rows for these reminder logs, then mark the logs Queued (or Skipped)."""
	if not logs:
		return
	now = now_datetime()
	queue_rows, recipient_rows, queued = _build_email_queue_rows(logs, now)
	names = _email_queue_names(len(queue_rows))
	queue_rows = [(name, *row) for name, row in zip(names, queue_rows, strict=True)]
	recipient_rows = [(*row[:5], names[index], *row[5:]) for index, row in enumerate(recipient_rows)]
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
	email_queue_of = dict(zip(queued, names, strict=True))
	log = frappe.qb.DocType("Tutoring Reminder Log")
	status, email_queue = Case(), Case()
	for name in email_queue_of:
		status = status.when(log.name == name, QUEUED)
		email_queue = email_queue.when(log.name == name, email_queue_of[name])
	(
		frappe.qb.update(log)
		.set(log.email_status, status.else_(SKIPPED) if email_queue_of else SKIPPED)
		.set(log.email_queue, email_queue.else_(None) if email_queue_of else None)
		.where(log.name.isin([row.name for row in logs]))
	).run()


class _CachedRulesPremailer(Premailer):
	"""Premailer parses and re-serialises the same email.css for every email (about 50 ms, 90% of
	an email's cost): keep the parsed rules of a stylesheet for the next email."""

	_parsed_rules: dict = {}

	def _parse_style_rules(self, css_body, ruleset_index):
		key = (css_body, ruleset_index)
		if key not in self._parsed_rules:
			if len(self._parsed_rules) > 16:  # only a few stylesheets ever: a bound, not an LRU
				self._parsed_rules.clear()
			self._parsed_rules[key] = super()._parse_style_rules(css_body, ruleset_index)
		return self._parsed_rules[key]


class _ReminderQueueBuilder(QueueBuilder):
	"""Frappe's QueueBuilder with the HTML of frappe.email.email_body.get_formatted_html (no
	header, container or unsubscribe link, as reminders use them) inlined by the caching Premailer."""

	def email_html_content(self):
		rendered = frappe.get_template("templates/emails/standard.html").render(
			{
				"brand_logo": None,
				"with_container": False,
				"site_url": get_url(),
				"header": None,
				"content": self._message,
				"footer": get_footer(self.get_outgoing_email_account(), None),
				"title": self.subject,
				"print_html": None,
				"subject": self.subject,
			}
		)
		return _inline_email_css(scrub_urls(rendered))


def _inline_email_css(html: str) -> str:
	"""frappe.email.email_body.inline_style_in_html, with the caching Premailer."""
	css_files = [bundled_asset(path).lstrip("/") for path in frappe.get_hooks("email_css")]
	css_files = [path for path in css_files if os.path.exists(os.path.abspath(path))]
	return _CachedRulesPremailer(
		html=html, external_styles=css_files, strip_important=False, allow_loading_external_files=True
	).transform()


def _build_email_queue_rows(logs: list[dict], now) -> tuple[list, list, list]:
	"""(Email Queue rows without their name, their recipient rows without the parent, the names
	of the logs that got an email). Skipped: unsubscribed or invalid addresses."""
	unsubscribed = _globally_unsubscribed({log.recipient for log in logs})
	sender = _sender()
	account = _outgoing_account(sender)
	user = frappe.session.user
	queue_rows, recipient_rows, queued = [], [], []
	for log in logs:
		if log.recipient in unsubscribed:
			continue
		builder = _ReminderQueueBuilder(
			recipients=[log.recipient],
			sender=sender,
			subject=log.subject,
			message=log.email_html,
			reference_doctype=log.reference_doctype,
			reference_name=log.reference_name,
			add_unsubscribe_link=0,
		)
		# Looked up once above for every email instead of once per email.
		builder._unsubscribed_user_emails = []
		builder._email_account = account
		data = builder.as_dict(include_recipients=False)
		if not data:  # an invalid address: QueueBuilder logged it
			continue
		queue_rows.append(
			(now, now, user, user, "Not Sent", 0, *(data.get(column) for column in EMAIL_QUEUE_COLUMNS))
		)
		recipient_rows.append(
			(
				frappe.generate_hash(length=10),
				now,
				now,
				user,
				user,
				"Email Queue",
				"recipients",
				1,
				log.recipient,
				"Not Sent",
			)
		)
		queued.append(log.name)
	return queue_rows, recipient_rows, queued


def _email_queue_names(count: int) -> list:
	"""Email Queue is named by a database sequence (a log type): take all the names in one query."""
	if not count:
		return []
	if is_autoincremented("Email Queue"):
		return reserve_sequence_values("Email Queue", count)
	return [frappe.generate_hash(length=10) for _ in range(count)]


def reserve_sequence_values(doctype: str, count: int) -> list[int]:
	"""`count` names of an autoincrement DocType, atomically (MariaDB's sequence engine)."""
	sequence = frappe.scrub(f"{doctype}_id_seq")
	return [
		int(value) for (value,) in frappe.db.sql(f"SELECT NEXTVAL(`{sequence}`) FROM seq_1_to_{int(count)}")
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
