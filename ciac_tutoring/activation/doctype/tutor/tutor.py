# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_link_to_form, getdate, today, validate_email_address

from ciac_tutoring.activation import workflow_gates
from ciac_tutoring.activation.doctype.training_session.training_session import get_training_hours
from ciac_tutoring.tutoring.doctype.support_area.support_area import enabled_support_areas
from ciac_tutoring.tutoring.vocabulary import places_taken
from ciac_tutoring.validation import (
	CheckedInput,
	select_options,
	strip_markup,
	throw_field_errors,
	value_errors,
)

# What a person writes about themselves, at most (a MariaDB TEXT column would hold more).
TEXT_LIMITS = {"address": 500, "availability_notes": 2000, "motivation": 5000}
# Separators people type in a phone number (those Frappe's Phone check accepts too); the digits
# left are counted.
PHONE_SEPARATORS = str.maketrans("", "", " -.()")
PHONE_DIGITS = range(6, 16)  # E.164 allows at most 15


class DuplicateTutorError(frappe.ValidationError):
	pass


class Tutor(CheckedInput, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ciac_tutoring.activation.doctype.tutor_phase_history.tutor_phase_history import TutorPhaseHistory
		from ciac_tutoring.tutoring.doctype.spoken_language.spoken_language import SpokenLanguage
		from ciac_tutoring.tutoring.doctype.support_area_item.support_area_item import SupportAreaItem

		address: DF.SmallText | None
		anonymised_on: DF.Datetime | None
		availability_notes: DF.SmallText | None
		capacity: DF.Int
		contact_person: DF.Data | None
		email: DF.Data
		gender: DF.Literal["", "Female", "Male", "Non-binary", "Prefer not to say"]
		heard_about: DF.Literal[
			"", "Word of mouth", "CIAC website", "Social media", "Event", "Press", "Other"
		]
		interests: DF.SmallText | None
		interview_date: DF.Date | None
		interview_notes: DF.Text | None
		interview_outcome: DF.Literal["", "Suitable", "Not suitable"]
		interviewer: DF.Link | None
		languages: DF.Table[SpokenLanguage]
		mobile: DF.Data | None
		motivation: DF.SmallText | None
		municipality: DF.Data | None
		phase_changed_on: DF.Datetime | None
		phase_history: DF.Table[TutorPhaseHistory]
		preferred_age_max: DF.Int
		preferred_age_min: DF.Int
		preferred_beneficiary_gender: DF.Literal["", "Female", "Male"]
		privacy_consent: DF.Check
		privacy_consent_date: DF.Date | None
		support_areas: DF.TableMultiSelect[SupportAreaItem]
		training_hours: DF.Float
		tutor_name: DF.Data
		tutor_type: DF.Literal["Individual", "Family", "Group", "Association"]
		user: DF.Link | None
		workflow_state: DF.Link | None

	# end: auto-generated types
	def before_validate(self):
		strip_markup(self)
		self.normalise_email()
		self.set_privacy_consent_date()
		self.set_training_hours()

	def validate(self):
		throw_field_errors(self.field_errors(), title=_("Check the tutor"))
		self.validate_unique_email()
		self.validate_privacy_consent_date()
		self.validate_capacity()
		self.validate_dates()
		workflow_gates.validate_phase_change(self)

	def on_update(self):
		workflow_gates.apply_phase_effects(self)

	def normalise_email(self):
		if self.email:
			self.email = self.email.strip().lower()

	def set_privacy_consent_date(self):
		if self.privacy_consent and not self.privacy_consent_date:
			self.privacy_consent_date = today()

	def set_training_hours(self):
		"""Derived from attendance: a form opened before a session was marked Held must not
		save its stale total back."""
		if not self.is_new():
			self.training_hours = get_training_hours(self.name)

	def field_errors(self) -> dict[str, str]:
		"""Every rule on the tutor's own values, by field: the desk, REST and the public
		availability form refuse on these same ones (the form shows each next to its field). A
		tutor offering availability on the form (`flags.availability_form`) is asked more."""
		errors = self.value_field_errors()
		if self.flags.availability_form:
			errors.update(self.availability_form_errors())
		return errors

	def value_field_errors(self) -> dict[str, str]:
		errors = value_errors(self, TEXT_LIMITS)
		if errors:  # before slower checks on a value of 100 kB
			return errors
		if self.email and not validate_email_address(self.email):
			errors["email"] = _("Enter a valid email address.")
		# A number stored before this rule keeps saving until someone changes it.
		if self.mobile and self.has_value_changed("mobile") and not is_valid_mobile(self.mobile):
			errors["mobile"] = _("Enter a valid mobile number: 6 to 15 digits, optionally starting with +.")
		if self.tutor_type and self.tutor_type != "Individual" and not self.contact_person:
			errors["contact_person"] = _("Families, groups and associations need a contact person")
		if not self.privacy_consent:
			errors["privacy_consent"] = _("The tutor's privacy consent is required")
		return errors

	def availability_form_errors(self) -> dict[str, str]:
		"""What the become-a-tutor form asks of every volunteer: who they are, how to reach them,
		a language and a way to help, each chosen from CIAC's lists."""
		errors = {}
		if self.tutor_type not in select_options("Tutor", "tutor_type"):
			errors["tutor_type"] = _("Choose who is offering availability.")
		if not self.tutor_name:
			errors["tutor_name"] = _("Enter your name (or the name of your family, group or association).")
		if not self.email:
			errors["email"] = _("Enter your email address.")
		if not self.mobile:
			errors["mobile"] = _("Enter a mobile number we can call.")
		if not self.municipality:
			errors["municipality"] = _("Enter your municipality.")
		languages = [row for row in self.languages if row.language]
		if not languages:
			errors["languages"] = _("Enter at least one language you speak.")
		elif not {row.language for row in languages} <= set(frappe.get_all("Language", pluck="name")):
			errors["languages"] = _("Choose languages from the list.")
		elif any(
			row.level and row.level not in select_options("Spoken Language", "level") for row in languages
		):
			errors["languages"] = _("Choose a level from the list.")
		areas = {row.support_area for row in self.support_areas}
		if not areas:
			errors["support_areas"] = _("Choose at least one way you would like to help.")
		elif not areas <= enabled_support_areas(areas):
			errors["support_areas"] = _("Choose from the areas listed.")
		if self.heard_about and self.heard_about not in select_options("Tutor", "heard_about"):
			errors["heard_about"] = _("Choose from the list.")
		return errors

	def validate_unique_email(self):
		existing = frappe.db.get_value("Tutor", {"email": self.email, "name": ("!=", self.name)})
		if existing:
			frappe.throw(
				_("A tutor with email {0} already exists: {1}").format(
					frappe.bold(self.email), get_link_to_form("Tutor", existing)
				),
				exc=DuplicateTutorError,
				title=_("Duplicate Tutor"),
			)

	def validate_privacy_consent_date(self):
		if getdate(self.privacy_consent_date) > getdate(today()):
			frappe.throw(_("The privacy consent date cannot be in the future"))

	def validate_capacity(self):
		if (self.capacity or 0) < 1:
			frappe.throw(_("Capacity must be at least 1"))
		# On a change only: a tutor proposed over capacity before proposals counted stays editable.
		if self.is_new() or not self.has_value_changed("capacity"):
			return
		taken = places_taken([self.name]).get(self.name, 0)
		if taken > self.capacity:
			frappe.throw(
				_("This tutor holds {0} open pairings: capacity cannot be lower than that").format(taken)
			)

	def validate_dates(self):
		if self.interview_date and getdate(self.interview_date) > getdate(today()):
			frappe.throw(_("The interview date cannot be in the future"))

	@frappe.whitelist()
	def activate_portal_user(self, send_welcome_email: bool = True) -> str:
		"""Give the tutor a portal login: a Website User with role Tutor, linked here. Idempotent."""
		self.check_permission("write")
		user = frappe.db.get_value("User", {"email": self.email}) or self.create_portal_user(
			send_welcome_email
		)
		self.validate_user_not_linked_elsewhere(user)
		if "Tutor" not in frappe.get_roles(user):
			frappe.get_doc("User", user).add_roles("Tutor")
		if self.user != user:
			self.db_set("user", user)
		return user

	def create_portal_user(self, send_welcome_email: bool) -> str:
		first_name = self.contact_person if self.tutor_type != "Individual" else self.tutor_name
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": self.email,
				"first_name": first_name or self.tutor_name,
				"mobile_no": self.mobile,
				"user_type": "Website User",
				"send_welcome_email": 1 if send_welcome_email and can_send_email() else 0,
				"roles": [{"role": "Tutor"}],
			}
		)
		# Staff may activate tutors without rights on User: write on this Tutor was checked above.
		user.insert(ignore_permissions=True)
		return user.name

	def validate_user_not_linked_elsewhere(self, user: str):
		other = frappe.db.get_value("Tutor", {"user": user, "name": ("!=", self.name)})
		if other:
			frappe.throw(
				_("User {0} is already the portal user of tutor {1}").format(
					frappe.bold(user), get_link_to_form("Tutor", other)
				)
			)


def can_send_email() -> bool:
	"""Without an outgoing account Frappe fails to build the welcome mail, which would undo the
	activation; the tutor can still be sent a password reset once email is set up."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	account = EmailAccount.find_default_outgoing()
	return bool(account and account.email_id)


def is_valid_mobile(number: str) -> bool:
	"""6 to 15 digits, written with spaces, dashes, dots or brackets as people do, and at most a
	leading + ("+39 333 123-4567", "(0521) 123456")."""
	digits = number.strip().translate(PHONE_SEPARATORS)
	digits = digits.removeprefix("+")
	return digits.isdigit() and digits.isascii() and len(digits) in PHONE_DIGITS
