"""Demo steps that make the demo site run like CIAC's bench (`./dev/run` starts the web server, a
worker, the scheduler and a local mail sink): an outgoing Email Account that sends to the sink,
and the scheduler switched on."""

import os

import frappe
from frappe.utils import now_datetime
from frappe.utils.scheduler import enable_scheduler

OUTBOX = "CIAC Demo Outbox"


def configure_outgoing_email() -> None:
	"""Frappe's own sending path, to the mail sink `./dev/run` started (CIAC_MAIL_SINK_PORT).
	Without a sink (the tests load the demo too) nothing changes."""
	port = os.environ.get("CIAC_MAIL_SINK_PORT")
	if not port:
		return
	account = (
		frappe.get_doc("Email Account", OUTBOX)
		if frappe.db.exists("Email Account", OUTBOX)
		else frappe.new_doc("Email Account")
	)
	account.update(
		{
			"email_account_name": OUTBOX,
			"email_id": "tutoring@ciac.example",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"enable_incoming": 0,
			"smtp_server": "127.0.0.1",
			"smtp_port": int(port),
			"use_tls": 0,
			"use_ssl_for_outgoing": 0,
			"no_smtp_authentication": 1,
			"awaiting_password": 0,
		}
	)
	account.save(ignore_permissions=True)  # validation connects to the sink: it must be running
	enable_scheduler()
	start_scheduled_jobs_now()


def start_scheduled_jobs_now() -> None:
	"""Frappe's own job types were made by new-site before the setup wizard set Europe/Rome, with
	their creation stamped in the default Asia/Kolkata time: a job never run counts from then, so
	the email queue would first be flushed hours from now. Count every job from now instead."""
	job_type = frappe.qb.DocType("Scheduled Job Type")
	now = now_datetime()
	(
		frappe.qb.update(job_type)
		.set(job_type.last_execution, now)
		.where(job_type.last_execution.isnull() | (job_type.last_execution > now))
	).run()
