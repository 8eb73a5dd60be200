"""My tutoring: the tutor's open pairings with their commitments, contact history and notices."""

import frappe
from frappe.utils import add_days, cint, get_fullname, getdate, nowdate

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.doctype.contact_log.contact_log import is_staff_contact
from ciac_tutoring.portal.guard import current_tutor, own_tutor_names, tutor_only
from ciac_tutoring.tutoring.vocabulary import (
	LOGGABLE_PAIRING_STATUSES,
	OPEN_PAIRING_STATUSES,
	TUTOR_NOTICE_RULES,
)

CONTACT_HISTORY_LIMIT = 30  # contacts per page of the history
NOTICE_LIMIT = 10


@frappe.whitelist()
@tutor_only
def get_my_tutoring(page: int = 1) -> dict:
	"""The logged-in tutor's pairings, commitments, notices and a page of their contact history
	(`has_older`: another page follows)."""
	tutor = current_tutor()
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
	Language = frappe.qb.DocType("Language")
	return dict(
		frappe.qb.from_(Language)
		.select(Language.name, Language.language_name)
		.where(Language.name.isin(codes))
		.run()
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
