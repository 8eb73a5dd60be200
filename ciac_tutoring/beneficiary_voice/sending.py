"""Sending each due check-in link, by SMS (Frappe's SMS Settings: the gateway CIAC configures for
its provider) and by email where she has an address, in her language.

A link is due once per period of an Active pairing (Beneficiary Voice Settings: every N days from
the pairing's start) to a beneficiary who agreed to check-in messages and whose consent is
recorded and not withdrawn (Consent Record). The period's Beneficiary Check-in row is written
when its link goes out: its unique name makes a second run skip it, and it counts the links sent
for the response rate.
"""

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate, now_datetime

from ciac_tutoring.beneficiary_voice.answers import CHECK_IN, check_in_name
from ciac_tutoring.beneficiary_voice.doctype.beneficiary_voice_settings.beneficiary_voice_settings import (
	get_voice_settings,
)
from ciac_tutoring.beneficiary_voice.language import language_for
from ciac_tutoring.beneficiary_voice.links import link_for
from ciac_tutoring.beneficiary_voice.sms import send_text, sms_configured
from ciac_tutoring.monitoring.mailer import _sender as email_sender


def due_links(today=None) -> list[frappe._dict]:
	"""Active pairings whose current period's link has not gone out, with whom to send it to."""
	today = getdate(today)
	every = get_voice_settings().check_in_every_days
	rows = frappe.db.sql(
		"""
		SELECT p.name AS pairing, p.beneficiary, COALESCE(p.start_date, DATE(p.creation)) AS started,
			p.tutor_name, b.first_name, b.mobile, b.email, b.preferred_language, b.mother_tongue
		FROM `tabPairing` p
		JOIN `tabBeneficiary` b ON b.name = p.beneficiary
		WHERE p.status = 'Active' AND b.check_in_messages = 1 AND b.anonymised_on IS NULL
			AND (IFNULL(b.mobile, '') != '' OR IFNULL(b.email, '') != '')
			AND EXISTS (
				SELECT 1 FROM `tabConsent Record` c
				WHERE c.party_type = 'Beneficiary' AND c.party = b.name AND c.withdrawn_on IS NULL
			)
		ORDER BY p.name
		""",
		as_dict=True,
	)
	for row in rows:
		elapsed = max(date_diff(today, row.started), 0)
		row.period = add_days(getdate(row.started), elapsed // every * every)
		row.check_in = check_in_name(row.pairing, row.period)
	sent = set(
		frappe.get_all(CHECK_IN, filters={"name": ("in", [r.check_in for r in rows] or [""])}, pluck="name")
	)
	return [row for row in rows if row.check_in not in sent]


def send_due_links(today=None, commit: bool = True) -> int:
	"""Send every due link; each pairing's in its own transaction (one failure stops no other)."""
	every = get_voice_settings().check_in_every_days
	sent = 0
	for row in due_links(today):
		try:
			send_link(row, every)
			sent += 1
		except Exception:
			frappe.db.rollback()
			frappe.log_error(
				title=_("Check-in link not sent"), reference_doctype="Pairing", reference_name=row.pairing
			)
		if commit:
			frappe.db.commit()  # nosemgrep: each link once sent is recorded
	return sent


def send_link(row: frappe._dict, every: int) -> None:
	language = language_for(row.preferred_language, row.mother_tongue)
	tutor = tutor_first_name(row.tutor_name)
	channels = []
	doc = frappe.get_doc(
		{"doctype": CHECK_IN, "pairing": row.pairing, "beneficiary": row.beneficiary, "period": row.period}
	)
	doc.link_sent_on = now_datetime()
	doc.insert(ignore_permissions=True)
	if row.mobile and sms_configured():
		url = link_for(row.beneficiary, row.pairing, row.period, every, "SMS").url()
		text = _("Hello {0}, this is CIAC. How is it going with {1}? Tell us here: {2}", lang=language)
		send_text(row.mobile, text.format(row.first_name, tutor, url))
		channels.append("SMS")
	sender = email_sender() if row.email else False
	if sender is not False:  # False: no outgoing Email Account (recorded by the mailer)
		url = link_for(row.beneficiary, row.pairing, row.period, every, "Email").url()
		frappe.sendmail(
			recipients=[row.email],
			sender=sender,
			subject=_("CIAC: how is it going with {0}?", lang=language).format(tutor),
			message=_(
				"Hello {0}, this is CIAC. How is it going with {1}? Tell us here: {2}", lang=language
			).format(row.first_name, tutor, f'<a href="{url}">{url}</a>'),
			reference_doctype=CHECK_IN,
			reference_name=doc.name,
			add_unsubscribe_link=0,
		)
		channels.append("Email")
	frappe.db.set_value(CHECK_IN, doc.name, "sent_by", ", ".join(channels), update_modified=False)


def tutor_first_name(tutor_name: str | None) -> str:
	"""All the page and messages say of the tutor."""
	return (tutor_name or "").split(" ")[0]
