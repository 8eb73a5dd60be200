"""Matching, the people: candidate tutors with their free places and waiting beneficiaries, loaded
in a few set-based queries (ciac_tutoring/pairing/matching.py explains the scores)."""

import re

import frappe
from frappe.utils import cint, flt

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import (
	OPEN_PAIRING_STATUSES,
	PAIRING_ACTIVE_PHASES,
	TRAINING,
	WAITING,
	places_taken,
	tutor_capacity,
)

DEFAULT_WEIGHTS = {
	"languages": 30,
	"support_areas": 25,
	"municipality": 20,
	"preferences": 15,
	"interests": 10,
}


def settings_weights() -> dict[str, float]:
	settings = get_settings()
	return {
		part: flt(settings.get(f"weight_{part}"))
		if settings.get(f"weight_{part}") not in (None, "")
		else default
		for part, default in DEFAULT_WEIGHTS.items()
	}


def setting(fieldname: str, default: int) -> int:
	value = get_settings().get(fieldname)
	return default if value in (None, "") else cint(value)


def words(text: str | None) -> set[str]:
	return {word.strip().lower() for word in re.split(r"[,;\n]", text or "") if word.strip()}


def normalise(municipality: str | None) -> str:
	return (municipality or "").strip().lower()


def candidate_tutors() -> list[dict]:
	"""Tutors in phase 4 to 6, or ready for phase 4, with their free places (> 0)."""
	tutor = frappe.qb.DocType("Tutor")
	minimum_hours = flt(get_settings().minimum_training_hours)
	rows = (
		frappe.qb.from_(tutor)
		.select(
			tutor.name,
			tutor.tutor_name,
			tutor.tutor_type,
			tutor.workflow_state,
			tutor.capacity,
			tutor.municipality,
			tutor.gender,
			tutor.preferred_beneficiary_gender,
			tutor.preferred_age_min,
			tutor.preferred_age_max,
			tutor.interests,
		)
		.where(
			tutor.workflow_state.isin(PAIRING_ACTIVE_PHASES)
			| ((tutor.workflow_state == TRAINING) & (tutor.training_hours >= minimum_hours))
		)
		.orderby(tutor.name)
		.run(as_dict=True)
	)
	taken = places_taken([row.name for row in rows])
	for row in rows:
		row.free_places = tutor_capacity(row.capacity) - taken.get(row.name, 0)
	return [row for row in rows if row.free_places > 0]


def waiting_beneficiaries(names: list[str] | None = None) -> list[dict]:
	"""Beneficiaries Waiting with no pairing Proposed, Active or Suspended."""
	beneficiary = frappe.qb.DocType("Beneficiary")
	pairing = frappe.qb.DocType("Pairing")
	matched = (
		frappe.qb.from_(pairing).select(pairing.beneficiary).where(pairing.status.isin(OPEN_PAIRING_STATUSES))
	)
	query = (
		frappe.qb.from_(beneficiary)
		.select(
			beneficiary.name,
			beneficiary.full_name,
			beneficiary.gender,
			beneficiary.date_of_birth,
			beneficiary.municipality,
			beneficiary.mother_tongue,
			beneficiary.italian_level,
			beneficiary.interests,
			beneficiary.preferred_tutor_gender,
			beneficiary.preferred_tutor_type,
		)
		.where(beneficiary.status == WAITING)
		.where(beneficiary.name.notin(matched))
		.orderby(beneficiary.name)
	)
	if names:
		query = query.where(beneficiary.name.isin(names))
	return query.run(as_dict=True)


ROW_SEPARATOR, FIELD_SEPARATOR = "\x1e", "\x1f"


def child_rows(doctype: str, parenttype: str, parentfield: str, columns: list[str]) -> list[tuple]:
	"""(parent, *columns) for each child row, fetched as one row per parent (GROUP_CONCAT): the
	database driver's cost is per row fetched, and people have several rows each."""
	fields = ", CHAR(31), ".join(f"IFNULL(`{column}`, '')" for column in columns)
	rows = frappe.db.sql(
		f"""select parent, group_concat(concat({fields}) separator %s)
		from `tab{doctype}` where parenttype = %s and parentfield = %s group by parent""",
		(ROW_SEPARATOR, parenttype, parentfield),
	)
	return [
		(parent, *item.split(FIELD_SEPARATOR))
		for parent, packed in rows
		if packed
		for item in packed.split(ROW_SEPARATOR)
	]
