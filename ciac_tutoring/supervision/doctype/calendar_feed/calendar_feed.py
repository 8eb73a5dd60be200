# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

"""A private calendar feed's secret: a tutor's (their sessions, meetings and due dates) or a staff
user's (every session and meeting). The secret travels in the feed's address; the record keeps its
SHA-256 (what a request is looked up by) and the secret itself encrypted, to show the address again
on the portal. Revoking is making a new secret: the old address then finds nothing (404)."""

import hashlib
import secrets

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_url, now_datetime

FEED_METHOD = "/api/method/ciac_tutoring.supervision.calendar.feed"


class CalendarFeed(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		feed_for: DF.Literal["Tutor", "Staff"]
		generated_on: DF.Datetime | None
		secret: DF.Password | None
		token_hash: DF.Data | None
		tutor: DF.Link | None
		user: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if self.feed_for == "Tutor" and not self.tutor:
			frappe.throw(_("Choose the tutor."), title=_("Tutor"))
		if self.feed_for == "Staff" and not self.user:
			frappe.throw(_("Choose the staff user."), title=_("Staff User"))
		if self.feed_for == "Tutor":
			self.user = None
		else:
			self.tutor = None
		if not self.token_hash:
			self.new_secret()

	def new_secret(self) -> None:
		token = secrets.token_urlsafe(32)
		self.secret = token
		self.token_hash = token_hash(token)
		self.generated_on = now_datetime()

	@frappe.whitelist()
	def revoke(self) -> None:
		"""A new secret: the old address stops working."""
		self.check_permission("write")
		self.new_secret()
		self.save()

	def url(self) -> str:
		return feed_url(self.get_password("secret"))


def token_hash(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
	return get_url(f"{FEED_METHOD}?token={token}")


def find_feed(token: str):
	"""The feed whose secret is `token`, or None."""
	if not token or not isinstance(token, str) or len(token) > 200:
		return None
	name = frappe.db.get_value("Calendar Feed", {"token_hash": token_hash(token)}, "name")
	return frappe.get_doc("Calendar Feed", name) if name else None


def get_or_create_feed(tutor: str | None = None, user: str | None = None, regenerate: bool = False):
	"""The feed of a tutor or of a staff user, created when missing; `regenerate` revokes the old
	secret. The caller has checked who asks: tutors and coordinators hold no DocPerm on feeds."""
	filters = {"tutor": tutor} if tutor else {"user": user}
	name = frappe.db.get_value("Calendar Feed", filters, "name", for_update=True)
	if name:
		doc = frappe.get_doc("Calendar Feed", name)
		if not regenerate:
			return doc
		doc.new_secret()
		doc.save(ignore_permissions=True)
		return doc
	doc = frappe.get_doc({"doctype": "Calendar Feed", "feed_for": "Tutor" if tutor else "Staff", **filters})
	doc.insert(ignore_permissions=True)
	return doc
