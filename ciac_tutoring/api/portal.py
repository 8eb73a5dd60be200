"""The tutors' portal: the reads and writes behind the www pages, also callable as API.

Tutors have no DocPerm on the programme's DocTypes (docs/permissions.md): every function here
checks who is asking and that the rows are theirs, then reads only the fields a tutor may see (of a
beneficiary: first name, languages, contacts they agreed to share) or writes with
`ignore_permissions`. Every rule on the values written belongs to the DocTypes' controllers.
"""

from urllib.parse import quote, urlparse

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import (
	add_days,
	cint,
	flt,
	get_datetime,
	get_fullname,
	getdate,
	now_datetime,
	nowdate,
)
from jinja2 import BytecodeCache

from ciac_tutoring import portal_fields
from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import STAFF_ONLY_KINDS, is_staff_contact
from ciac_tutoring.permissions import is_own_pairing, is_visible_training_session
from ciac_tutoring.privacy.consent import record_web_consent
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.validation import InvalidFieldsError, select_options, throw_field_errors

PORTAL_LANGUAGES = ("it", "en")
OPEN_PAIRING_STATUSES = ("Proposed", "Active", "Suspended")
LOGGABLE_PAIRING_STATUSES = ("Active", "Suspended")
CONTACT_HISTORY_LIMIT = 30  # contacts per page of the history
NOTICE_LIMIT = 10
# Reminders addressed to the tutor (the others go to coordinators and stay in the desk).
TUTOR_NOTICE_RULES = ("Tutor reminder", "Training reminder")


# --- who is asking ---------------------------------------------------------------------------


def own_tutor_records() -> list[frappe._dict]:
	"""The logged-in user's Tutor records, the latest changed first. Read once per request (a page
	and the methods it calls ask several times); Frappe clears `frappe.local` between requests."""
	user = frappe.session.user
	cached = getattr(frappe.local, "ciac_own_tutors", None)
	if cached is None or cached[0] != user:
		Tutor = frappe.qb.DocType("Tutor")
		rows = (
			frappe.qb.from_(Tutor)
			.select(Tutor.name, Tutor.tutor_name, Tutor.email, Tutor.training_hours, Tutor.workflow_state)
			.where(Tutor.user == user)
			.orderby(Tutor.modified, order=frappe.qb.desc)
			.run(as_dict=True)
		)
		cached = frappe.local.ciac_own_tutors = (user, rows)
	return cached[1]


def own_tutor_names() -> list[str]:
	return [row.name for row in own_tutor_records()]


def require_tutor() -> frappe._dict:
	"""The Tutor record of the logged-in user, or a PermissionError."""
	if frappe.session.user == "Guest":
		frappe.throw(_("You need to be logged in to see this page."), frappe.PermissionError)
	tutors = own_tutor_records()
	if not tutors:
		frappe.throw(_("This page is for CIAC tutors only."), frappe.PermissionError)
	return frappe._dict(tutors[0])


def require_own_pairing(pairing: str) -> None:
	if not pairing or not is_own_pairing(pairing):
		frappe.throw(_("This pairing is not yours."), frappe.PermissionError)


# --- my tutoring -----------------------------------------------------------------------------


@frappe.whitelist()
def get_my_tutoring(page: int = 1) -> dict:
	"""The logged-in tutor's pairings, commitments, notices and a page of their contact history
	(`has_older`: another page follows)."""
	tutor = require_tutor()
	tutors = own_tutor_names()
	pairings = get_open_pairings(tutors)
	page = max(cint(page), 1)
	contacts = get_contact_history(
		tutors, limit=CONTACT_HISTORY_LIMIT + 1, start=(page - 1) * CONTACT_HISTORY_LIMIT
	)
	return {
		"tutor": tutor,
		"pairings": pairings,
		"contacts": contacts[:CONTACT_HISTORY_LIMIT],
		"contacts_page": page,
		"has_older": len(contacts) > CONTACT_HISTORY_LIMIT,
		"notices": get_notices(tutors),
	}


def get_open_pairings(tutors: list[str]) -> list[dict]:
	if not tutors:
		return []
	Pairing = frappe.qb.DocType("Pairing")
	Beneficiary = frappe.qb.DocType("Beneficiary")
	rows = (
		frappe.qb.from_(Pairing)
		.join(Beneficiary)
		.on(Beneficiary.name == Pairing.beneficiary)
		.select(
			Pairing.name,
			Pairing.status,
			Pairing.start_date,
			Pairing.presentation_date,
			Pairing.last_phone_contact,
			Pairing.last_meeting,
			Pairing.compliance_status,
			Pairing.phone_contacts_per_week,
			Pairing.meetings_per_month,
			Pairing.beneficiary,
			Pairing.coordinator,
			# Only what the tutor needs of the beneficiary: first name, languages, shared contacts.
			Beneficiary.first_name,
			Beneficiary.mother_tongue,
			Beneficiary.share_contact_with_tutor,
			Beneficiary.mobile,
			Beneficiary.email,
		)
		.where(Pairing.tutor.isin(tutors))
		.where(Pairing.status.isin(OPEN_PAIRING_STATUSES))
		.orderby(Pairing.start_date, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	languages = get_beneficiary_languages([row.beneficiary for row in rows])
	language_names = get_language_names(
		{row.mother_tongue for row in rows} | {code for codes in languages.values() for code in codes}
	)
	# A tutor keeps the weekly call and the monthly meeting; CIAC organises the monitoring.
	commitments = compliance.get_commitments(
		[row.name for row in rows], (compliance.PHONE, compliance.MEETING)
	)
	pairings = []
	for row in rows:
		shares = cint(row.share_contact_with_tutor)
		pairings.append(
			frappe._dict(
				name=row.name,
				status=row.status,
				start_date=row.start_date,
				presentation_date=row.presentation_date,
				compliance_status=row.compliance_status,
				first_name=row.first_name,
				languages=[
					language_names.get(code, code)
					for code in [row.mother_tongue, *languages.get(row.beneficiary, [])]
					if code
				],
				mobile=row.mobile if shares else None,
				email=row.email if shares else None,
				# the tutor's CIAC contact: whom to ask, by name (never their account)
				coordinator_name=get_fullname(row.coordinator) if row.coordinator else None,
				can_log=row.status in LOGGABLE_PAIRING_STATUSES,
				phone=commitment(commitments[row.name], compliance.PHONE),
				meeting=commitment(commitments[row.name], compliance.MEETING),
			)
		)
	return pairings


def commitment(pairing: dict, name: str) -> frappe._dict:
	"""One commitment of a pairing as the portal shows it, from its row of
	compliance.get_commitments: the last contact, and, while the pairing is Active, when the next
	one is due and whether that is soon or past."""
	prefix = compliance.alias(name)
	last, due, state = pairing[f"{prefix}_last"], pairing[f"{prefix}_due"], pairing[f"{prefix}_state"]
	return frappe._dict(
		last=last,
		days_since=pairing[f"{prefix}_since"] if last else None,
		next_due=getdate(due) if due else None,
		overdue=state == compliance.OVERDUE,
		due_soon=state == compliance.DUE_SOON,
	)


def get_beneficiary_languages(beneficiaries: list[str]) -> dict[str, list[str]]:
	if not beneficiaries:
		return {}
	SpokenLanguage = frappe.qb.DocType("Spoken Language")
	rows = (
		frappe.qb.from_(SpokenLanguage)
		.select(SpokenLanguage.parent, SpokenLanguage.language)
		.where(SpokenLanguage.parenttype == "Beneficiary")
		.where(SpokenLanguage.parentfield == "other_languages")
		.where(SpokenLanguage.parent.isin(beneficiaries))
		.orderby(SpokenLanguage.idx)
		.run(as_dict=True)
	)
	languages: dict[str, list[str]] = {}
	for row in rows:
		languages.setdefault(row.parent, []).append(row.language)
	return languages


def get_language_names(codes: set) -> dict[str, str]:
	codes = [code for code in codes if code]
	if not codes:
		return {}
	return dict(
		frappe.get_all(
			"Language", filters={"name": ("in", codes)}, fields=["name", "language_name"], as_list=True
		)
	)


def get_contact_history(tutors: list[str], limit: int = CONTACT_HISTORY_LIMIT, start: int = 0) -> list[dict]:
	"""The tutor's contacts, newest first, a page at a time; of those only staff log (CIAC's monitoring
	meetings), the date and the kind without the staff's notes and wellbeing (docs/permissions.md)."""
	if not tutors:
		return []
	ContactLog = frappe.qb.DocType("Contact Log")
	Pairing = frappe.qb.DocType("Pairing")
	contacts = (
		frappe.qb.from_(ContactLog)
		.join(Pairing)
		.on(Pairing.name == ContactLog.pairing)
		.select(
			ContactLog.name,
			ContactLog.pairing,
			ContactLog.contact_date,
			ContactLog.kind,
			ContactLog.duration_minutes,
			ContactLog.wellbeing,
			ContactLog.notes,
			ContactLog.initiated_by,
		)
		.where(ContactLog.tutor.isin(tutors))
		.where(Pairing.tutor.isin(tutors))
		.orderby(ContactLog.contact_date, order=frappe.qb.desc)
		.orderby(ContactLog.creation, order=frappe.qb.desc)
		.limit(limit)
		.offset(start)
		.run(as_dict=True)
	)
	for contact in contacts:
		if is_staff_contact(contact.kind, contact.pop("initiated_by")):
			contact.notes = contact.wellbeing = None
	return contacts


def get_notices(tutors: list[str], limit: int = NOTICE_LIMIT) -> list[dict]:
	"""Reminders the monitoring job left for the tutor (DocType Tutoring Reminder Log)."""
	if not tutors or not frappe.db.table_exists("Tutoring Reminder Log"):
		return []
	ReminderLog = frappe.qb.DocType("Tutoring Reminder Log")
	return (
		frappe.qb.from_(ReminderLog)
		.select(ReminderLog.message, ReminderLog.sent_on)
		.where(ReminderLog.tutor.isin(tutors))
		.where(ReminderLog.rule.isin(TUTOR_NOTICE_RULES))
		.where(ReminderLog.sent_on >= add_days(nowdate(), -30))
		.orderby(ReminderLog.sent_on, order=frappe.qb.desc)
		.limit(limit)
		.run(as_dict=True)
	)


# --- log a contact ---------------------------------------------------------------------------


def tutor_contact_kinds() -> list[str]:
	"""The kinds the log-contact form offers (the Contact Log controller decides what is allowed)."""
	return [kind for kind in select_options("Contact Log", "kind") if kind not in STAFF_ONLY_KINDS]


@frappe.whitelist(methods=["POST"])
def log_contact(
	pairing: str,
	contact_date: str,
	kind: str,
	wellbeing: str,
	duration_minutes: int | str | None = None,
	support_areas: list | str | None = None,
	notes: str | None = None,
	initiated_by: str | None = None,
	**admin_fields,
) -> str:
	"""Log a contact on one of the tutor's own pairings; returns the Contact Log's name. The
	admins' own fields of the form (Tutoring Settings → Portal Fields) are passed by fieldname,
	as the page posts them; any other argument is ignored."""
	return save_contact(
		frappe._dict(
			pairing=pairing,
			contact_date=contact_date,
			kind=kind,
			wellbeing=wellbeing,
			duration_minutes=duration_minutes,
			support_areas=parse_list(support_areas),
			notes=notes,
			initiated_by=initiated_by,
			portal_fields=portal_fields.read("Log a contact", admin_fields),
		)
	)


def save_contact(values: frappe._dict) -> str:
	"""The one write path of "log a contact" (the page's form and the API method).

	Checks who asks and that the pairing is theirs; every rule on the values belongs to the Contact
	Log controller, whose refusals (`InvalidFieldsError.errors`) the page shows next to the fields."""
	require_tutor()
	if values.pairing:  # none chosen: the controller says so next to the field
		require_own_pairing(values.pairing)
	refuse_if_over_page_limit("log-contact")
	throw_field_errors(
		portal_fields.validate("Log a contact", values.portal_fields or {}), title=_("Check the contact")
	)
	valid_areas = set(frappe.get_all("Support Area", filters={"enabled": 1}, pluck="name"))
	doc = frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": values.pairing,
			"contact_date": values.contact_date,
			"kind": values.kind,
			"wellbeing": values.wellbeing,
			"initiated_by": values.initiated_by or "Tutor",
			"duration_minutes": values.duration_minutes
			if values.duration_minutes not in ("", None)
			else None,
			"support_areas": [{"support_area": area} for area in values.support_areas if area in valid_areas],
			"notes": (values.notes or "").strip() if isinstance(values.notes, str) else values.notes,
		}
	)
	portal_fields.apply("Log a contact", doc, values.portal_fields or {})
	# A tutor has no DocPerm on Contact Log: the pairing was checked to be theirs just above.
	doc.insert(ignore_permissions=True)
	return doc.name


def parse_list(value) -> list[str]:
	if not value:
		return []
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value) if value.startswith("[") else [value]
		except ValueError:
			value = [value]
	if not isinstance(value, list | tuple):
		value = [value]
	return [str(item) for item in value if item and isinstance(item, str | int)]


# --- training --------------------------------------------------------------------------------


@frappe.whitelist()
def get_training() -> dict:
	"""Upcoming sessions with free places, and the tutor's own training record."""
	tutor = require_tutor()
	tutors = own_tutor_names()
	return {
		"tutor": tutor,
		"upcoming": get_upcoming_sessions(tutors),
		"record": get_training_record(tutors),
		"hours": flt(tutor.training_hours),
		"minimum_hours": get_settings().minimum_training_hours,
	}


def get_upcoming_sessions(tutors: list[str]) -> list[dict]:
	Session = frappe.qb.DocType("Training Session")
	Attendance = frappe.qb.DocType("Training Attendance")
	sessions = (
		frappe.qb.from_(Session)
		.select(
			Session.name,
			Session.title,
			Session.topic,
			Session.starts_on,
			Session.ends_on,
			Session.location,
			Session.online_link,
			Session.capacity,
			Session.description,
		)
		.where(Session.status == "Planned")
		.where(Session.starts_on >= now_datetime())
		.orderby(Session.starts_on)
		.limit(50)
		.run(as_dict=True)
	)
	if not sessions:
		return []
	names = [session.name for session in sessions]
	counts = dict(
		frappe.qb.from_(Attendance)
		.select(Attendance.parent, Count("*"))
		.where(Attendance.parenttype == "Training Session")
		.where(Attendance.parentfield == "attendees")
		.where(Attendance.parent.isin(names))
		.where(Attendance.attendance != "Excused")
		.groupby(Attendance.parent)
		.run()
	)
	mine = set()
	if tutors:
		mine = {
			row[0]
			for row in frappe.qb.from_(Attendance)
			.select(Attendance.parent)
			.where(Attendance.parenttype == "Training Session")
			.where(Attendance.parentfield == "attendees")
			.where(Attendance.parent.isin(names))
			.where(Attendance.tutor.isin(tutors))
			.run()
		}
	for session in sessions:
		taken = cint(counts.get(session.name))
		session.registered = session.name in mine
		session.free_places = max(cint(session.capacity) - taken, 0) if cint(session.capacity) else None
		session.can_register = not session.registered and session.free_places != 0
	return sessions


def get_training_record(tutors: list[str]) -> list[dict]:
	if not tutors:
		return []
	Session = frappe.qb.DocType("Training Session")
	Attendance = frappe.qb.DocType("Training Attendance")
	return (
		frappe.qb.from_(Attendance)
		.join(Session)
		.on(Session.name == Attendance.parent)
		.select(
			Session.name,
			Session.title,
			Session.starts_on,
			Session.status,
			Attendance.attendance,
			Attendance.hours,
		)
		.where(Attendance.parenttype == "Training Session")
		.where(Attendance.parentfield == "attendees")
		.where(Attendance.tutor.isin(tutors))
		.orderby(Session.starts_on, order=frappe.qb.desc)
		.run(as_dict=True)
	)


@frappe.whitelist(methods=["POST"])
def register_for_training(session: str) -> None:
	"""Register the logged-in tutor for a planned, future session with a free place."""
	register_tutor(session)


@frappe.whitelist(methods=["POST"])
def unregister_from_training(session: str) -> None:
	"""Remove the logged-in tutor's own registration from a session that has not happened yet."""
	unregister_tutor(session)


def register_tutor(session: str) -> None:
	"""The one write path of registering (the training page's button and the API method)."""
	tutor = require_tutor()
	refuse_if_over_page_limit("training")
	doc = get_session_for_update(session)
	if doc.status != "Planned" or get_datetime(doc.starts_on) < now_datetime():
		frappe.throw(_("Registration for this session is closed."))
	if any(row.tutor == tutor.name for row in doc.attendees):
		frappe.throw(_("You are already registered for this session."))
	taken = sum(1 for row in doc.attendees if row.attendance != "Excused")
	if cint(doc.capacity) and taken >= cint(doc.capacity):
		frappe.throw(_("This session is full."))
	doc.append("attendees", {"tutor": tutor.name, "registered_on": nowdate(), "attendance": "Registered"})
	# A tutor has no DocPerm on sessions: the checks above are the permission to add their row.
	doc.flags.ignore_permissions = True
	doc.save()


def unregister_tutor(session: str) -> None:
	tutor = require_tutor()
	refuse_if_over_page_limit("training")
	doc = get_session_for_update(session)
	rows = [row for row in doc.attendees if row.tutor == tutor.name]
	if not rows:
		frappe.throw(_("You are not registered for this session."))
	if doc.status != "Planned" or get_datetime(doc.starts_on) < now_datetime():
		frappe.throw(_("This session has already started: ask CIAC to change your registration."))
	if any(row.attendance != "Registered" for row in rows):
		frappe.throw(_("Your attendance is already recorded: ask CIAC to change it."))
	for row in rows:
		doc.remove(row)
	doc.flags.ignore_permissions = True
	doc.save()


def get_session_for_update(session: str):
	if not session or not isinstance(session, str) or not is_visible_training_session(session):
		frappe.throw(_("This training session does not exist."), frappe.DoesNotExistError)
	# Lock the row: two tutors taking the last place must not both get it.
	frappe.db.get_value("Training Session", session, "name", for_update=True)
	return frappe.get_doc("Training Session", session)


# --- become a tutor (public) -----------------------------------------------------------------

AVAILABILITY_FIELDS = (
	"tutor_type",
	"tutor_name",
	"contact_person",
	"email",
	"mobile",
	"address",
	"municipality",
	"availability_notes",
	"motivation",
	"heard_about",
)
AVAILABILITY_LIMIT = 5
AVAILABILITY_WINDOW_SECONDS = 60 * 60
MAX_LANGUAGES = 3


def clean_availability(form: dict) -> frappe._dict:
	"""Keep only the form's known fields, trimmed."""
	values = frappe._dict({field: text(form.get(field)) for field in AVAILABILITY_FIELDS})
	values.email = values.email.lower()
	values.privacy_consent = 1 if form.get("privacy_consent") in ("1", "on", 1, True) else 0
	values.privacy_notice = text(form.get("privacy_notice"))
	values.portal_fields = portal_fields.read("Become a tutor", form)
	values.support_areas = parse_list(form.get("support_areas"))
	values.languages = []
	for index in range(MAX_LANGUAGES):
		language = text(form.get(f"language_{index}"))
		level = text(form.get(f"level_{index}"))
		values.languages.append(frappe._dict(language=language, level=level))
	return values


def text(value) -> str:
	return value.strip() if isinstance(value, str) else ""


def validate_availability(values: frappe._dict) -> dict[str, str]:
	"""Field errors ({fieldname: message}) of the become-a-tutor form: the Tutor's own rules, then
	what the form asks of every volunteer (a mobile number, a language, a way to help)."""
	errors = availability_tutor(values).field_errors()
	if values.tutor_type not in select_options("Tutor", "tutor_type"):
		errors["tutor_type"] = _("Choose who is offering availability.")
	if not values.tutor_name:
		errors["tutor_name"] = _("Enter your name (or the name of your family, group or association).")
	if not values.email:
		errors["email"] = _("Enter your email address.")
	if not values.mobile:
		errors["mobile"] = _("Enter a mobile number we can call.")
	if not values.municipality:
		errors["municipality"] = _("Enter your municipality.")
	if not any(row.language for row in values.languages):
		errors["languages"] = _("Enter at least one language you speak.")
	else:
		known = set(frappe.get_all("Language", pluck="name"))
		if any(row.language and row.language not in known for row in values.languages):
			errors["languages"] = _("Choose languages from the list.")
		elif any(
			row.level and row.level not in select_options("Spoken Language", "level")
			for row in values.languages
		):
			errors["languages"] = _("Choose a level from the list.")
	known_areas = set(frappe.get_all("Support Area", filters={"enabled": 1}, pluck="name"))
	if not values.support_areas:
		errors["support_areas"] = _("Choose at least one way you would like to help.")
	elif not set(values.support_areas) <= known_areas:
		errors["support_areas"] = _("Choose from the areas listed.")
	if values.heard_about and values.heard_about not in select_options("Tutor", "heard_about"):
		errors["heard_about"] = _("Choose from the list.")
	errors.update(portal_fields.validate("Become a tutor", values.portal_fields))
	return errors


def availability_tutor(values: frappe._dict):
	"""The Tutor the form describes: checked by validate_availability, inserted by create_availability."""
	tutor = frappe.get_doc(
		{
			"doctype": "Tutor",
			**{field: values[field] or None for field in AVAILABILITY_FIELDS},
			"privacy_consent": values.privacy_consent,
			"languages": [
				{"language": row.language, "level": row.level or None}
				for row in values.languages
				if row.language
			],
			"support_areas": [{"support_area": area} for area in values.support_areas],
		}
	)
	if tutor.tutor_type == "Individual":
		tutor.contact_person = None
	return tutor


def email_is_known(email: str) -> bool:
	return bool(email) and bool(frappe.db.exists("Tutor", {"email": email}))


def create_availability(values: frappe._dict) -> str:
	"""Create the Tutor in phase 1 ("Availability Notified"); the workflow's notifications
	thank the tutor and tell the coordinators."""
	doc = availability_tutor(values)
	portal_fields.apply("Become a tutor", doc, values.portal_fields)
	# Guests may not create records: the checks above are the permission.
	doc.insert(ignore_permissions=True)
	record_web_consent("Tutor", doc.name, values.privacy_notice, frappe.local.lang)
	return doc.name


# Page POSTs carry no `cmd`, so frappe.rate_limiter.rate_limit (which keys on it) would put every
# page of the site in one bucket: pages count their own attempts, per IP or per user.
PAGE_ACTION_LIMIT = 120
PAGE_ACTION_WINDOW_SECONDS = 60 * 60


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


def refuse_if_over_page_limit(action: str) -> None:
	"""The logged-in user's attempts at a page action (log a contact, register...), per hour."""
	if hit_rate_limit(action, PAGE_ACTION_LIMIT, PAGE_ACTION_WINDOW_SECONDS, identity=frappe.session.user):
		frappe.throw(_("Too many requests from your connection. Please try again in an hour."))


def email_known_message() -> str:
	# Says only that the address is known: nothing about the record, its phase or its owner.
	return _(
		"This email address is already registered with us. CIAC will be in touch; to change your details, write to CIAC."
	)


# --- language --------------------------------------------------------------------------------


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


# --- page helpers (www/) ---------------------------------------------------------------------


class CompiledTemplates(BytecodeCache):
	"""Jinja bytecode kept in the worker's memory, keyed by template name and source checksum.

	This Frappe build makes a new Jinja environment per request, so the base templates, navbar,
	footer and our includes were parsed and compiled on every page view (most of a page's server
	time). Jinja reuses the bytecode only when a template's source is unchanged."""

	def __init__(self):
		self.buckets: dict[str, bytes] = {}

	def load_bytecode(self, bucket) -> None:
		code = self.buckets.get(bucket.key)
		if code is not None:
			bucket.bytecode_from_string(code)

	def dump_bytecode(self, bucket) -> None:
		self.buckets[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def prepare_page(context, title: str, login_required: bool = True) -> None:
	"""What every portal page sets first: no caching, the visitor's language, the CSRF token."""
	frappe.get_jenv().bytecode_cache = COMPILED_TEMPLATES
	context.no_cache = 1
	context.show_sidebar = 0
	context.no_breadcrumbs = 1
	context.title = title
	if login_required and frappe.session.user == "Guest":
		redirect("/login?redirect-to=" + quote(frappe.request.path if frappe.request else "/"))
	apply_language_choice()
	context.lang = frappe.local.lang
	context.portal_languages = PORTAL_LANGUAGES
	context.csrf_token = frappe.sessions.get_csrf_token() if frappe.session.user != "Guest" else ""
	context.is_post = bool(frappe.request and frappe.request.method == "POST")


def redirect(location: str) -> None:
	frappe.local.flags.redirect_location = location
	raise frappe.Redirect


def show_refusal(context, refusal: Exception) -> None:
	"""A refusal raised while saving, on the page: next to the fields when the controller named them."""
	if isinstance(refusal, InvalidFieldsError):
		frappe.db.rollback()
		frappe.clear_messages()
		context.errors = refusal.errors
		context.form_error = _("Please check the fields marked below.")
	else:
		context.form_error = form_errors_from(refusal)


def form_errors_from(exception: Exception) -> str:
	"""Turn a refusal raised while saving into one message for the page, undoing any writes."""
	frappe.db.rollback()
	frappe.clear_messages()
	return frappe.utils.strip_html(str(exception)) or _("Something went wrong. Please try again.")
