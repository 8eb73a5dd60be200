"""Reminders, each at most once per key, and their emails through `frappe.sendmail`.

`queue_reminders` writes one Tutoring Reminder Log row per new key (the idempotence record, the
tutor portal's notice and an outbox in one): a multi-row INSERT whose unique `key` makes a
concurrent run fail and roll back rather than remind twice. The rows wait as Pending; once the
deciding transaction has committed, a background job on the long queue (`send_pending_emails`;
the hourly job picks up whatever it left) hands each one to `frappe.sendmail`, which builds the
Email Queue as Frappe does for any email, referencing the log, and the Email Queue worker sends it.

Email never holds anything up: saving a record or running the daily job only writes the logs.
Without an outgoing Email Account the emails stay Pending for the next run, and the problem is
written to the Error Log and to Tutoring Settings' "Last Email Problem".
"""

import json
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.query_builder import Case
from frappe.utils import now_datetime

from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

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
	"message",
	"email_context",
	"email_status",
)
PENDING, QUEUED, SKIPPED = "Pending", "Queued", "Skipped"
EMAIL_BATCH = 200
# Under MariaDB's default max_allowed_packet (16 MB), with room for escaping.
LOG_CHUNK_BYTES = 12 * 1024 * 1024
EMAIL_JOB = "ciac_tutoring.monitoring.mailer.send_pending_emails"


@dataclass
class Reminder:
	key: str
	rule: str
	recipient: str
	email: dict  # the template, language and context the background job renders the body from
	message: str  # short plain-text notice (the tutor portal shows it)
	period: str = ""
	pairing: str | None = None
	tutor: str | None = None
	reference_doctype: str | None = None
	reference_name: str | None = None


def existing_keys(keys: list[str]) -> set[str]:
	if not keys:
		return set()
	# Plain SQL: frappe.get_all builds an IN of thousands of keys slowly.
	return set(
		frappe.db.sql_list(
			"SELECT `key` FROM `tabTutoring Reminder Log` WHERE `key` IN %(keys)s", {"keys": keys}
		)
	)


def queue_reminders(reminders: list[Reminder]) -> list[Reminder]:
	"""Record the reminders whose key was never used, have their emails sent in the background once
	this transaction commits, and return them."""
	reminders = _unique_by_key([r for r in reminders if r.recipient])
	already_sent = existing_keys([r.key for r in reminders])
	reminders = [r for r in reminders if r.key not in already_sent]
	if not reminders:
		return []
	_insert_logs(reminders, now_datetime())
	enqueue_email_job()
	return reminders


def enqueue_email_job() -> None:
	"""Have the Pending reminders' emails sent in the background once this transaction commits."""
	frappe.enqueue(
		EMAIL_JOB,
		queue="long",
		job_id="ciac_tutoring_reminder_emails",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def send_pending_emails(commit: bool = True, batch: int = EMAIL_BATCH, limit: int | None = None) -> int:
	"""Render the body of every Pending reminder's email (at most `limit`) and hand it to
	frappe.sendmail, a batch at a time; return how many were handled (queued, or skipped for an
	unsubscribed or invalid address, or an error).

	The background job commits each batch (a failure keeps the batches done)."""
	done, renderer = 0, None
	while pending := _pending_logs(limit=min(batch, limit - done) if limit else batch):
		sender = outgoing_sender()
		if sender is False:  # no outgoing account: recorded, the emails wait for the next run
			break
		renderer = renderer or TemplateRenderer()
		subjects = {log.name: _send(log, sender, renderer) for log in pending}
		_mark_sent(subjects)
		_clear_email_problem()
		done += len(pending)
		if commit:
			frappe.db.commit()  # nosemgrep: each batch of emails is kept once queued
		if len(pending) < batch or (limit and done >= limit):
			break
	return done


def _send(log: dict, sender: str | None, renderer: TemplateRenderer) -> str | None:
	"""Render the log's email and queue it; return its subject (None when it could not be)."""
	try:
		subject, body = renderer.render(json.loads(log.email_context))
		frappe.sendmail(
			recipients=[log.recipient],
			sender=sender,
			subject=subject,
			message=body,
			reference_doctype="Tutoring Reminder Log",
			reference_name=log.name,
			add_unsubscribe_link=0,
		)
	except Exception:
		# One bad email must not stop the others: it stays without an Email Queue (Skipped).
		frappe.log_error(
			title=_("Reminder email not queued"),
			reference_doctype="Tutoring Reminder Log",
			reference_name=log.name,
		)
		return None
	return subject


def outgoing_sender() -> str | None | bool:
	"""None to let Frappe use the outgoing account's own sender; an address where emails are muted
	and Frappe's stand-in account has none (development and test sites); False, with the problem
	recorded, where there is no outgoing account at all."""
	try:
		account = EmailAccount.find_outgoing(_raise_error=True)
	except frappe.OutgoingEmailError as error:
		frappe.clear_last_message()
		_record_email_problem(str(error))
		return False
	if account.get("email_id"):
		return None
	return frappe.conf.get("auto_email_id") or "notifications@example.com"


def _record_email_problem(problem: str) -> None:
	frappe.log_error(title=_("Reminder emails are waiting"), message=problem)
	frappe.db.set_single_value(
		"Tutoring Settings", {"last_email_problem": problem, "last_email_problem_on": now_datetime()}
	)


def _clear_email_problem() -> None:
	if get_settings().last_email_problem:
		frappe.db.set_single_value(
			"Tutoring Settings", {"last_email_problem": None, "last_email_problem_on": None}
		)


def _mark_sent(subjects: dict[str, str | None]) -> None:
	"""Queued, with its Email Queue, for each log frappe.sendmail queued an email for; Skipped for
	the others (an unsubscribed or invalid address, logged by Frappe, or an error, logged above).
	Each log keeps the subject its email was sent with (its title in the desk)."""
	names = list(subjects)
	email_queue_of = dict(
		frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Tutoring Reminder Log", "reference_name": ["in", names]},
			fields=["reference_name", "name"],
			as_list=True,
		)
	)
	log = frappe.qb.DocType("Tutoring Reminder Log")
	status, email_queue, subject = Case().else_(SKIPPED), Case().else_(None), Case().else_(log.subject)
	for name, queue_name in email_queue_of.items():
		status = status.when(log.name == name, QUEUED)
		email_queue = email_queue.when(log.name == name, queue_name)
	for name, text in subjects.items():
		if text:
			subject = subject.when(log.name == name, text)
	(
		frappe.qb.update(log)
		.set(log.email_status, status)
		.set(log.email_queue, email_queue)
		.set(log.subject, subject)
		.where(log.name.isin(names))
	).run()


def _pending_logs(limit: int | None = None) -> list[dict]:
	return frappe.get_all(
		"Tutoring Reminder Log",
		filters={"email_status": PENDING},
		fields=["name", "recipient", "subject", "email_context"],
		order_by="creation asc, name asc",
		limit=limit,
	)


def _unique_by_key(reminders: list[Reminder]) -> list[Reminder]:
	seen = {}
	for reminder in reminders:
		seen.setdefault(reminder.key, reminder)
	return list(seen.values())


def _insert_logs(reminders: list[Reminder], sent_on) -> list[str]:
	# What every row of the run shares goes into the statement once, escaped once: escaping it
	# again for each of ~7,000 rows took a fifth of the job's time at 10,000 pairings.
	shared = {
		"creation": sent_on,
		"modified": sent_on,
		"owner": frappe.session.user,
		"modified_by": frappe.session.user,
		"sent_on": sent_on,
		"email_status": PENDING,
	}
	own_columns = ("name", *(column for column in LOG_COLUMNS if column not in shared))
	names = [frappe.generate_hash(length=10) for _ in reminders]
	rows = [
		(
			name,
			*(
				frappe.as_json(r.email, indent=None) if column == "email_context" else getattr(r, column)
				for column in own_columns[1:]
			),
		)
		for name, r in zip(names, reminders, strict=True)
	]
	# Plain parameters rather than frappe.db.bulk_insert: pypika spends a millisecond a row.
	columns_sql = ", ".join(f"`{c}`" for c in (*own_columns, *shared))
	row_sql = "({}, {})".format(
		", ".join(["%s"] * len(own_columns)), ", ".join(frappe.db.escape(str(v)) for v in shared.values())
	)
	for chunk in _chunks_by_size(rows, LOG_CHUNK_BYTES):
		frappe.db.sql(
			f"INSERT INTO `tabTutoring Reminder Log` ({columns_sql}) VALUES {', '.join([row_sql] * len(chunk))}",
			[value for row in chunk for value in row],
		)
	return names


def _chunks_by_size(rows: list[tuple], budget: int):
	"""Consecutive slices of rows whose values add up to at most `budget` characters: as few
	INSERTs as the server's max_allowed_packet allows (one for a run of ~10,000 reminders)."""
	chunk, size = [], 0
	for row in rows:
		row_size = sum(len(value) + 4 if isinstance(value, str) else 24 for value in row)
		if chunk and size + row_size > budget:
			yield chunk
			chunk, size = [], 0
		chunk.append(row)
		size += row_size
	if chunk:
		yield chunk
