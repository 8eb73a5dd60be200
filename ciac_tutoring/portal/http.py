"""Small HTTP helpers beside the portal pages: the client's address, the origin check of a guest's
POST, the rate limits and the language the visitor picked."""

from urllib.parse import urlparse

import frappe
from frappe import _

PORTAL_LANGUAGES = ("it", "en")
# Page POSTs carry no `cmd`, so frappe.rate_limiter.rate_limit (which keys on it) would put every
# page of the site in one bucket: pages count their own attempts, per IP or per user.
PAGE_ACTION_LIMIT = 120
PAGE_ACTION_WINDOW_SECONDS = 60 * 60


def client_address() -> str:
	"""The address the connection came from, or the one a trusted proxy saw.

	Frappe's `request_ip` is the first X-Forwarded-For entry, which any client sets. The header is
	read only when the connection comes from a proxy listed in site config `ciac_trusted_proxies`
	(e.g. ["127.0.0.1"] behind the bench's nginx): then the last entry not itself a trusted proxy
	is the client (a proxy appends the address it saw, or replaces the header with it)."""
	request = frappe.request
	peer = (request.remote_addr if request else None) or "local"
	trusted = set(frappe.conf.get("ciac_trusted_proxies") or [])
	if peer in trusted:
		forwarded = (request.headers.get("X-Forwarded-For") or "").split(",")
		for address in reversed([entry.strip() for entry in forwarded if entry.strip()]):
			if address not in trusted:
				return address
	return peer


def is_same_origin_post() -> bool:
	"""A guest's POST comes from this site's own page: its Origin (or Referer) names this host.
	Browsers send Origin with every cross-site POST; a page elsewhere cannot fake it."""
	request = frappe.request
	source = request.headers.get("Origin") or request.headers.get("Referer") if request else None
	if not source or source == "null":
		return False
	host = urlparse("//" + (request.host or "")).hostname
	return bool(host) and urlparse(source).hostname == host


def rate_limit_key(action: str, identity: str) -> str:
	return f"ciac:rl:{action}:{identity}"


def hit_rate_limit(action: str, limit: int, seconds: int, identity: str | None = None) -> bool:
	"""Count one attempt of `action` by `identity` (default: the caller's address); True once over the limit."""
	identity = identity or client_address()
	key = frappe.cache.make_key(rate_limit_key(action, identity))
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, seconds)
	return count > limit


def refuse_if_over_page_limit(action: str) -> None:
	"""The logged-in user's attempts at a page action (log a contact, register...), per hour."""
	if hit_rate_limit(action, PAGE_ACTION_LIMIT, PAGE_ACTION_WINDOW_SECONDS, identity=frappe.session.user):
		frappe.throw(_("Too many requests from your connection. Please try again in an hour."))


def apply_language_choice() -> None:
	"""Persist a `_lang` picked with the portal's IT/EN switch (cookie, and the user's setting)."""
	lang = frappe.form_dict.get("_lang")
	if lang not in PORTAL_LANGUAGES:
		return
	# Frappe v15 reads `_lang` before loading the session, and loading a logged-in user's session
	# resets the language to the user's saved one: set it again, or the choice shows a page late.
	frappe.local.lang = lang
	frappe.local.cookie_manager.set_cookie("preferred_language", lang)
	user = frappe.session.user
	if user != "Guest" and frappe.db.get_value("User", user, "language") != lang:
		frappe.db.set_value("User", user, "language", lang, update_modified=False)
		frappe.cache.hdel("lang", user)
		frappe.local.flags.commit = True
