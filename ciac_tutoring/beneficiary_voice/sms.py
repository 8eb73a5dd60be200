"""One SMS through Frappe's SMS Settings (the HTTP gateway CIAC configures for its provider).

Frappe v15.55.1's `send_sms` posts to the gateway and then writes an SMS Log, a DocType v15 no
longer ships in core (it lives in ERPNext): without ERPNext it raises after the message went out,
and a retry would send it twice. So this posts with Frappe's own pieces of `send_via_gateway`
(the settings, their static parameters and headers, `send_request`) and leaves the record to the
caller (the check-in's Link Sent On and Sent By)."""

import frappe
from frappe.core.doctype.sms_settings.sms_settings import get_headers, send_request, validate_receiver_nos


def sms_configured() -> bool:
	return bool(frappe.db.get_single_value("SMS Settings", "sms_gateway_url"))


def send_text(number: str, message: str) -> None:
	"""Post one message; raises when the gateway answers with an error."""
	settings = frappe.get_doc("SMS Settings")
	headers = get_headers(settings)
	params = {row.parameter: row.value for row in settings.get("parameters") if not row.header}
	params[settings.message_parameter] = message
	params[settings.receiver_parameter] = validate_receiver_nos([number])[0]
	send_request(
		settings.sms_gateway_url,
		params,
		headers,
		settings.use_post,
		headers.get("Content-Type") == "application/json",
	)
