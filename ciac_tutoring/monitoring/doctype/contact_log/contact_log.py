# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Max
from frappe.utils import get_link_to_form, getdate, today

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.compliance import update_compliance
from ciac_tutoring.permissions import is_own_pairing, is_staff
from ciac_tutoring.tutoring.vocabulary import HAPPENED, LOGGABLE_PAIRING_STATUSES, NO_ANSWER
from ciac_tutoring.validation import (
	CheckedInput,
	parse_date,
	parse_whole_number,
	select_options,
	strip_markup,
	throw_field_errors,
	value_errors,
)

CONTACT_KINDS = (
	"Phone or video call",
	"In-person meeting",
	"Message",
	"Activity or event together",
	"CIAC monitoring meeting",
)
# Which kinds of contact count for which commitment (docs/data-model.md, Contact Log).
PHONE_KINDS = ("Phone or video call",)
MEETING_KINDS = ("In-person meeting", "Activity or event together")
MONITORING_KINDS = compliance.MONITORING_CONTACT_KINDS
# A call or a message the beneficiary did not answer (vocabulary.NO_ANSWER) counts for no commitment.
NO_ANSWER_KINDS = ("Phone or video call", "Message")
# A tutor logs their own contacts; CIAC's monitoring meetings, and contacts CIAC started, staff log.
STAFF_ONLY_KINDS = MONITORING_KINDS
STAFF_ONLY_INITIATORS = ("CIAC",)
MAX_DURATION_MINUTES = 24 * 60
NOTES_MAX_LENGTH = 5000


class PairingNotOpenError(frappe.ValidationError):
	pass


class ContactLog(CheckedInput, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.tutoring.doctype.support_area_item.support_area_item import SupportAreaItem

		beneficiary: DF.Link | None
		confirmed_by_beneficiary: DF.Check
		contact_date: DF.Date
		duration_minutes: DF.Int
		initiated_by: DF.Literal["Tutor", "Beneficiary", "CIAC"]
		kind: DF.Literal[
			"Phone or video call",
			"In-person meeting",
			"Message",
			"Activity or event together",
			"CIAC monitoring meeting",
		]
		logged_by: DF.Link | None
		name: DF.Int | None
		notes: DF.Text | None
		outcome: DF.Literal["Happened", "Tried, no answer"]
		pairing: DF.Link
		support_areas: DF.TableMultiSelect[SupportAreaItem]
		tutor: DF.Link | None
		wellbeing: DF.Literal["Fine", "Some concern", "Needs CIAC attention"]

	# end: auto-generated types
	def before_validate(self):
		self.set_parties_from_pairing(self.lock_pairing())
		self.set_logged_by()
		strip_markup(self)

	def validate(self):
		throw_field_errors(self.field_errors(), title=_("Check the contact"))
		self.validate_pairing_status()

	def on_trash(self):
		self.lock_pairing()

	def on_update(self):
		self.refresh_pairings()

	def after_delete(self):
		refresh_last_contacts([self.pairing])
		count_into_months([(self.pairing, self.contact_date)])

	def lock_pairing(self):
		"""Logs of one pairing are written one at a time: each then sets the pairing's last contacts
		from every committed log (two saves at once would deadlock on each other's new rows).
		Logs of any pairing are, too: each recounts its month in Contact Activity's rollup, and two
		recounts at once of neighbouring pairings' months deadlock on the rollup's index gaps
		(tested). The rollup's lock is taken first, always in the same order.
		Returns the pairing's tutor, beneficiary and status, read under that lock."""
		if self.pairing and isinstance(self.pairing, str):
			lock_contact_months()
			return frappe.db.get_value(
				"Pairing", self.pairing, ["tutor", "beneficiary", "status"], as_dict=True, for_update=True
			)

	def set_parties_from_pairing(self, pairing: dict | None):
		"""Tutor and beneficiary always follow the pairing: the portal and reports filter on them."""
		if self.pairing and isinstance(self.pairing, str):
			self.tutor, self.beneficiary = (pairing.tutor, pairing.beneficiary) if pairing else (None, None)
		self.flags.locked_pairing = (self.pairing, pairing.status if pairing else None)

	def set_logged_by(self):
		# Staff may record who logged a contact (an import of past logs); a tutor is who logs.
		if not self.logged_by or not is_staff():
			self.logged_by = frappe.session.user

	def field_errors(self) -> dict[str, str]:
		"""Every rule on a contact's values, for the desk, the portal, REST and imports alike."""
		staff = is_staff()
		errors = value_errors(self, {"notes": NOTES_MAX_LENGTH})
		if not self.pairing or not isinstance(self.pairing, str):
			errors["pairing"] = _("Choose the pairing.")
		elif not staff and not is_own_pairing(self.pairing):
			errors["pairing"] = _("Choose one of your pairings.")
		contact_date = parse_date(self.contact_date) if self.contact_date else None
		if not self.contact_date:
			errors["contact_date"] = _("Enter the date of the contact.")
		elif not contact_date:
			errors["contact_date"] = _("Enter a valid date.")
		elif contact_date > getdate(today()):
			errors["contact_date"] = _("The date cannot be in the future.")
		else:
			self.contact_date = contact_date
		kinds = select_options("Contact Log", "kind")
		if self.kind not in kinds or (not staff and self.kind in STAFF_ONLY_KINDS):
			errors["kind"] = _("Choose the kind of contact.")
		initiators = select_options("Contact Log", "initiated_by")
		if self.initiated_by and (
			self.initiated_by not in initiators or (not staff and self.initiated_by in STAFF_ONLY_INITIATORS)
		):
			errors["initiated_by"] = _("Choose who started the contact.")
		if not self.outcome:
			self.outcome = HAPPENED
		if self.outcome not in select_options("Contact Log", "outcome"):
			errors["outcome"] = _("Choose whether the contact happened.")
		elif self.outcome == NO_ANSWER and self.kind not in NO_ANSWER_KINDS:
			errors["outcome"] = _("Only a call or a message can go without an answer.")
		if self.wellbeing and self.wellbeing not in select_options("Contact Log", "wellbeing"):
			errors["wellbeing"] = _("Choose how the beneficiary is doing.")
		if self.duration_minutes in (None, ""):
			self.duration_minutes = None
		elif (duration := parse_whole_number(self.duration_minutes, 0, MAX_DURATION_MINUTES)) is None:
			errors["duration_minutes"] = _(
				"Enter the duration in minutes as a whole number up to {0}."
			).format(MAX_DURATION_MINUTES)
		else:
			self.duration_minutes = duration
		return errors

	def validate_pairing_status(self):
		# Checked when the log is written against a pairing; notes on an old log of a pairing
		# closed since stay editable.
		if not (self.is_new() or self.has_value_changed("pairing")):
			return
		locked_pairing, status = self.flags.locked_pairing or (None, None)
		if locked_pairing != self.pairing:  # not read under the pairing's lock (before_validate)
			status = frappe.db.get_value("Pairing", self.pairing, "status")
		if status not in LOGGABLE_PAIRING_STATUSES:
			frappe.throw(
				_("Contacts can be logged only on an Active or Suspended pairing; {0} is {1}").format(
					get_link_to_form("Pairing", self.pairing), _(status or "")
				),
				exc=PairingNotOpenError,
			)

	def refresh_pairings(self):
		pairings = {self.pairing}
		previous = self.get_doc_before_save()
		if previous and previous.pairing:
			pairings.add(previous.pairing)
		refresh_last_contacts(list(pairings))
		counted = [(self.pairing, self.contact_date)]
		if previous:
			counted.append((previous.pairing, previous.contact_date))
		count_into_months(counted)


def lock_contact_months() -> None:
	# Imported here: the rollup's module reads this one's kinds of contact.
	from ciac_tutoring.monitoring.doctype.contact_month.contact_month import lock

	lock()


def count_into_months(pairing_days: list[tuple]) -> None:
	"""Recount Contact Activity's rollup (Contact Month) for these (pairing, contact date) pairs."""
	# Imported here: the rollup's module reads this one's kinds of contact.
	from ciac_tutoring.monitoring.doctype.contact_month.contact_month import refresh

	refresh(pairing_days)


def is_staff_contact(kind: str | None, initiated_by: str | None) -> bool:
	"""A contact only staff may log (a CIAC monitoring meeting, a contact CIAC started): its notes are
	the staff's own, which a tutor does not see on the portal nor in their download (docs/permissions.md)."""
	return kind in STAFF_ONLY_KINDS or initiated_by in STAFF_ONLY_INITIATORS


def refresh_last_contacts(pairings: list[str]) -> None:
	"""Set the pairings' last phone contact, meeting and monitoring from their logs, in one
	UPDATE over a per-pairing aggregate (a pairing without logs gets empty dates), then their
	compliance status from those dates, in a second one: the number cards and the reports agree
	with the portal as soon as a contact is logged.

	The pairing's `modified` is left alone: these are derived values, and bumping it would make
	a coordinator's open Pairing form fail to save (Pairing recomputes them on its own save)."""
	pairings = [p for p in pairings if p]
	if not pairings:
		return
	pairing = frappe.qb.DocType("Pairing")
	last = last_contacts_query(pairings).as_("last")
	(
		frappe.qb.update(pairing)
		.left_join(last)
		.on(last.pairing == pairing.name)
		.set(pairing.last_phone_contact, last.phone)
		.set(pairing.last_meeting, last.meeting)
		.where(pairing.name.isin(pairings))
	).run()
	compliance.update_last_monitoring(pairings)
	update_compliance(pairings)


def get_last_contacts(pairing: str) -> dict:
	"""The pairing's last phone contact, meeting and monitoring dates (None when never)."""
	rows = last_contacts_query([pairing]).run(as_dict=True)
	row = rows[0] if rows else {}
	return {
		"last_phone_contact": row.get("phone"),
		"last_meeting": row.get("meeting"),
		"last_monitoring": compliance.get_last_monitoring(pairing),
	}


def last_contacts_query(pairings: list[str]):
	"""Per pairing, the latest contact date of the weekly call's and the monthly meeting's kinds (a
	conditional MAX each; a contact tried without an answer counts for neither). What counts as CIAC
	monitoring is the compliance module's rule (`compliance.last_monitoring_sql`)."""
	log = frappe.qb.DocType("Contact Log")

	def latest(kinds):
		return Max(
			Case().when(log.kind.isin(kinds) & (Coalesce(log.outcome, "") != NO_ANSWER), log.contact_date)
		)

	return (
		frappe.qb.from_(log)
		.select(
			log.pairing,
			latest(PHONE_KINDS).as_("phone"),
			latest(MEETING_KINDS).as_("meeting"),
		)
		.where(log.pairing.isin(pairings))
		.groupby(log.pairing)
	)


def on_doctype_update():
	# Serves refresh_last_contacts and the monitoring job's per-kind lookups.
	frappe.db.add_index("Contact Log", ["pairing", "kind", "contact_date"])
	# Contact Activity counts the days of a month cut by its date range from this index alone.
	frappe.db.add_index("Contact Log", ["contact_date", "kind", "initiated_by", "pairing", "tutor"])
	# The few contacts tried without an answer: the reminders' pause and the worklist's streaks.
	frappe.db.add_index("Contact Log", ["outcome", "pairing", "contact_date"])
	# The contacts the beneficiaries confirmed, per pairing (Beneficiary Voice's confirmed share).
	frappe.db.add_index("Contact Log", ["confirmed_by_beneficiary", "pairing"])
