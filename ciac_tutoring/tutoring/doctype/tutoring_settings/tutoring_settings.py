# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.document import Document
from frappe.utils import cast, validate_email_address

from ciac_tutoring import portal_fields

# Settings that divide time: zero would make every commitment due every day.
CADENCE_FIELDS = (
	"phone_contact_cadence_days",
	"meeting_cadence_days",
	"monitoring_cadence_days",
	"first_month_days",
	"staff_contact_cadence_days",
)


class TutoringSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.tutoring.doctype.portal_field.portal_field import PortalField

		closed_pairing_retention_years: DF.Int
		coordinator_after_days: DF.Int
		coordinator_email: DF.Data | None
		coordinator_role: DF.Link | None
		default_meetings_per_month: DF.Int
		default_phone_contacts_per_week: DF.Int
		default_project_months: DF.Int
		expense_daily_limit: DF.Currency
		expense_limits_apply_to: DF.Literal["Self-certified claims", "All claims"]
		expense_monthly_limit: DF.Currency
		expense_self_certification_allowed: DF.Check
		first_month_days: DF.Int
		first_month_staff_contacts: DF.Int
		grace_days: DF.Int
		interview_waiting_days: DF.Int
		last_email_problem: DF.SmallText | None
		last_email_problem_on: DF.Datetime | None
		matching_max_distance_km: DF.Int
		matching_minimum_score: DF.Int
		meeting_cadence_days: DF.Int
		minimum_training_hours: DF.Int
		monitoring_cadence_days: DF.Int
		no_answer_pause_days: DF.Int
		no_answer_worklist_count: DF.Int
		notify_coordinator_overdue: DF.Check
		pairing_ending_window_days: DF.Int
		permit_expiry_window_days: DF.Int
		phone_contact_cadence_days: DF.Int
		portal_fields: DF.Table[PortalField]
		remind_training_attendees: DF.Check
		remind_tutors: DF.Check
		second_reminder_after_days: DF.Int
		send_weekly_digest: DF.Check
		staff_contact_cadence_days: DF.Int
		summary_agreed_en: DF.SmallText | None
		summary_agreed_fr: DF.SmallText | None
		summary_agreed_it: DF.SmallText | None
		summary_ciac_en: DF.SmallText | None
		summary_ciac_fr: DF.SmallText | None
		summary_ciac_it: DF.SmallText | None
		summary_tutor_en: DF.SmallText | None
		summary_tutor_fr: DF.SmallText | None
		summary_tutor_it: DF.SmallText | None
		supervision_months: DF.Int
		unconverted_availability_retention_months: DF.Int
		weight_interests: DF.Int
		weight_languages: DF.Int
		weight_municipality: DF.Int
		weight_preferences: DF.Int
		weight_support_areas: DF.Int

	# end: auto-generated types
	def validate(self):
		self.validate_coordinator_email()
		self.validate_cadences()
		self.validate_portal_fields()

	def validate_cadences(self):
		for fieldname in CADENCE_FIELDS:
			if (self.get(fieldname) or 0) < 1:
				frappe.throw(
					_("{0} must be at least one day").format(_(self.meta.get_label(fieldname))),
					frappe.ValidationError,
				)
		if (self.grace_days or 0) < 0:
			frappe.throw(_("Grace Days cannot be negative"))
		if (self.coordinator_after_days or 0) <= (self.second_reminder_after_days or 0):
			frappe.throw(
				_("{0} must come after {1}").format(
					_(self.meta.get_label("coordinator_after_days")),
					_(self.meta.get_label("second_reminder_after_days")),
				),
				title=_(self.meta.get_label("coordinator_after_days")),
			)

	def validate_portal_fields(self):
		"""Each new row names a field its portal form can show. A saved row whose field was removed
		since is left alone (the portal skips it): other settings stay savable."""
		before = self.get_doc_before_save()
		saved = {(row.form, row.fieldname) for row in before.portal_fields} if before else set()
		for row in self.portal_fields:
			row.fieldname = (row.fieldname or "").strip()
			if (row.form, row.fieldname) in saved:
				continue
			refusal = portal_fields.refusal(row.form, row.fieldname)
			if refusal:
				frappe.throw(
					_("Portal Fields, row {0}, Field Name: {1}").format(row.idx, refusal),
					title=_("Field Name"),
				)

	def validate_coordinator_email(self):
		if self.coordinator_email:
			validate_email_address(self.coordinator_email, throw=True)


def get_settings(doctype: str = "Tutoring Settings") -> frappe._dict:
	"""The programme's settings (or another module's Single), the one reader every part of the app
	uses: one query, each value typed by its field, an unset value replaced by the field's default
	in the DocType (so an admin's Customize Form default counts too)."""
	# A plain query: Frappe's query builder took longer than the read itself (docs/benchmarks.md).
	stored = dict(frappe.db.sql("SELECT `field`, `value` FROM `tabSingles` WHERE `doctype` = %s", doctype))
	settings = frappe._dict()
	for df in frappe.get_meta(doctype).fields:
		if df.fieldtype in no_value_fields:
			continue
		value = stored.get(df.fieldname)
		if value in (None, ""):
			value = df.default
		settings[df.fieldname] = cast(df.fieldtype, value) if value not in (None, "") else value
	return settings


def users_with_role(role: str) -> list[tuple[str, str | None]]:
	"""(email, language) of the enabled users with `role` who have an email, by email."""
	users = frappe.db.sql(
		"""
		SELECT DISTINCT u.email, u.language
		FROM `tabUser` u
		JOIN `tabHas Role` r ON r.parent = u.name AND r.parenttype = 'User'
		WHERE r.role = %(role)s AND u.enabled = 1 AND u.name NOT IN ('Administrator', 'Guest')
			AND IFNULL(u.email, '') != ''
		ORDER BY u.email
		""",
		{"role": role},
	)
	return [(email, language) for email, language in users]


def get_coordinator_recipients(settings=None) -> list[tuple[str, str | None]]:
	"""(email, language) of every enabled user with the settings' coordinator role, plus the
	settings' extra address: whom the reminders and the phase notifications write to. Each address
	once, whatever its case (the reminders' keys hold it, and their index compares without case)."""
	settings = settings or get_settings()
	recipients = users_with_role(settings.coordinator_role)
	if settings.coordinator_email:
		recipients.append((settings.coordinator_email, None))
	unique = {}
	for email, language in recipients:
		unique.setdefault(email.lower(), (email, language))
	return list(unique.values())
