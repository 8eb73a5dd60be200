"""The one way Beneficiary Voice alerts a pairing's coordinator (check-ins and relationship health):
an email (where an outgoing account exists) and a desk notification, to the pairing's coordinator,
else to CIAC's coordinators. The callers guard "exactly once" under the pairing's row lock."""

import frappe
from frappe import _
from frappe.utils import get_url_to_form


def coordinator_recipients(coordinator: str | None) -> list[frappe._dict]:
	"""(name, email, language) of the pairing's coordinator, else of CIAC's coordinators."""
	# Imported here: Tutoring's recipients rule, read only when an alert goes out.
	from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_coordinator_recipients

	recipients = frappe.get_all(
		"User",
		filters={"name": ("in", [coordinator] if coordinator else [""]), "enabled": 1},
		fields=["name", "email", "language"],
	)
	return recipients or [
		frappe._dict(name=frappe.db.get_value("User", {"email": email}, "name"), email=email, language=lang)
		for email, lang in get_coordinator_recipients()
	]


def alert_coordinator(
	coordinator: str | None, doctype: str, name: str, subject_in, details: str = "", link_label: str = ""
) -> None:
	"""`subject_in(language)` is the alert's subject in the recipient's language; `link_label` the
	English text of the link to the record (translated per recipient)."""
	from ciac_tutoring.monitoring.mailer import outgoing_sender

	sender = outgoing_sender()  # False: no outgoing Email Account, the desk notification still goes
	for user in coordinator_recipients(coordinator):
		subject = subject_in(user.language)
		body = "<p>{}</p><p>{}</p><p><a href='{}'>{}</a></p>".format(
			frappe.utils.escape_html(subject),
			frappe.utils.escape_html(details or ""),
			get_url_to_form(doctype, name),
			_(link_label or "Open the record", lang=user.language),
		)
		if sender is not False:
			frappe.sendmail(
				sender=sender,
				recipients=[user.email],
				subject=subject,
				message=body,
				reference_doctype=doctype,
				reference_name=name,
				add_unsubscribe_link=0,
			)
		if user.name:
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": user.name,
					"type": "Alert",
					"document_type": doctype,
					"document_name": name,
					"subject": subject,
					"email_content": body,
				}
			).insert(ignore_permissions=True)
