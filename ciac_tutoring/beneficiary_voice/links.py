"""The check-in link: signed, expiring, for one beneficiary, one pairing and one period.

A link is `/check-in?t=<payload>.<signature>`: the payload names the beneficiary, the pairing, the
period's first day, the day the link expires (the period's end) and the channel it was sent by;
the signature is an HMAC-SHA256 of the payload under a key derived from the site's encryption key
(site_config.json), so only this site makes links it accepts. A link that fails any check is
refused the same way (a plain page): forged, expired, or no longer matching its pairing.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

import frappe
from frappe.utils import add_days, get_url, getdate, today
from frappe.utils.password import get_encryption_key

ROUTE = "/check-in"
SIGNATURE_BYTES = 16  # 128 bits: unguessable, and the SMS stays short
# Why the key exists: a key of its own, so a signature here is never valid anywhere else.
KEY_PURPOSE = b"ciac_tutoring beneficiary check-in links v1"
CHANNEL_CODES = {"SMS": "s", "Email": "e"}
CHANNELS = {code: channel for channel, code in CHANNEL_CODES.items()}
# Who may answer: the pairing must still be this beneficiary's and Active.
ANSWERING_STATUSES = ("Active",)


@dataclass(frozen=True)
class CheckinLink:
	beneficiary: str
	pairing: str
	period: str  # YYYY-MM-DD, the period's first day
	expires: str  # YYYY-MM-DD, the first day the link no longer opens
	channel: str = "SMS"

	def token(self) -> str:
		payload = _encode(
			"|".join((self.beneficiary, self.pairing, self.period, self.expires, CHANNEL_CODES[self.channel]))
		)
		return f"{payload}.{_sign(payload)}"

	def url(self) -> str:
		return get_url(f"{ROUTE}?t={self.token()}")


def link_for(beneficiary: str, pairing: str, period, period_days: int, channel: str) -> CheckinLink:
	period = getdate(period)
	return CheckinLink(beneficiary, pairing, str(period), str(add_days(period, period_days)), channel)


def read_link(token: str | None) -> CheckinLink | None:
	"""The link a token stands for, if this site signed it, it has not expired and its pairing is
	still the beneficiary's and Active; otherwise None."""
	payload, _dot, signature = (token or "").partition(".")
	# bytes: compare_digest raises TypeError on a str with non-ASCII characters (a forged link)
	if (
		not payload
		or not signature
		or not hmac.compare_digest(signature.encode("utf-8"), _sign(payload).encode("utf-8"))
	):
		return None
	try:
		beneficiary, pairing, period, expires, channel = _decode(payload).split("|")
		link = CheckinLink(
			beneficiary, pairing, str(getdate(period)), str(getdate(expires)), CHANNELS[channel]
		)
	except (ValueError, KeyError):
		return None
	if getdate(today()) >= getdate(link.expires):
		return None
	pairing_row = frappe.db.get_value("Pairing", link.pairing, ["beneficiary", "status"], as_dict=True)
	if not pairing_row or pairing_row.beneficiary != link.beneficiary:
		return None
	if pairing_row.status not in ANSWERING_STATUSES:
		return None
	return link


def _key() -> bytes:
	return hmac.new(get_encryption_key().encode(), KEY_PURPOSE, hashlib.sha256).digest()


def _sign(payload: str) -> str:
	digest = hmac.new(_key(), payload.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
	return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _encode(text: str) -> str:
	return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _decode(text: str) -> str:
	return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
