"""Emails leave the app the way they do on CIAC's bench: Frappe's Email Queue, sent over SMTP by the
job that flushes the queue, to a real SMTP server (the local mail sink, demo/mail_sink.py)."""

import frappe
import pytest
from frappe.email.doctype.email_queue.email_queue import EmailQueue

from ciac_tutoring.tests.test_portal_pages import FORM_EMAIL, availability, clean_form, post_form  # noqa: F401
from demo.mail_sink import MailSink, text_of

pytestmark = pytest.mark.http
OUTBOX = "CIAC Test Outbox"


@pytest.fixture()
def mail_sink(tmp_path):
	"""A mail sink on a free port, and the site's default outgoing Email Account sending to it."""
	with MailSink(tmp_path / "mail") as sink:
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": OUTBOX,
				"email_id": "tutoring-test@ciac.example",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "127.0.0.1",
				"smtp_port": sink.port,
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the web server queues mail through this account
		try:
			yield sink
		finally:
			frappe.db.rollback()
			frappe.delete_doc("Email Account", OUTBOX, force=True, ignore_permissions=True)
			frappe.db.commit()  # nosemgrep: remove what the test committed


def flush_queue_for(recipient: str) -> None:
	"""What the scheduler's `frappe.email.queue.flush` job does, for this recipient's mails."""
	frappe.db.rollback()  # see what the web server committed
	names = frappe.get_all(
		"Email Queue Recipient", filters={"recipient": recipient, "parenttype": "Email Queue"}, pluck="parent"
	)
	assert names, f"nothing was queued for {recipient}"
	muted, frappe.local.conf.mute_emails = frappe.local.conf.get("mute_emails"), 0
	frappe.flags.testing_email = True  # Frappe's tests skip the SMTP call unless told otherwise
	try:
		for name in names:
			queue: EmailQueue = frappe.get_doc("Email Queue", name)
			queue.send()
	finally:
		frappe.flags.testing_email = False
		frappe.local.conf.mute_emails = muted
	for name in names:
		frappe.db.delete("Email Queue Recipient", {"parent": name})
		frappe.db.delete("Email Queue", {"name": name})
	frappe.db.commit()  # nosemgrep: the queue rows the server made


@pytest.mark.usefixtures("clean_form")
def test_the_availability_forms_confirmation_email_reaches_the_volunteer(site_server, mail_sink):
	response = post_form(site_server, availability(), lang="it")
	assert response.status_code in (301, 302), response.text[:500]
	flush_queue_for(FORM_EMAIL)
	message = mail_sink.wait_for(
		lambda m: FORM_EMAIL in str(m["X-Envelope-To"]) and "disponibilità" in str(m["Subject"])
	)
	assert "Grazie per la tua disponibilità" in str(message["Subject"])
	assert "colloquio di conoscenza" in " ".join(text_of(message).split())
	assert message["From"] and "tutoring-test@ciac.example" in str(message["From"])
