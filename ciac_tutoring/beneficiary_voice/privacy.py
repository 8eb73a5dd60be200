"""Check-ins and relationship-health questionnaires in the privacy rules: the beneficiary's export
has her own, the tutor's never has either (privacy/export.py), and anonymisation empties what she
wrote and Frappe's copies (privacy/retention.py)."""

import frappe

CHECK_IN = "Beneficiary Check-in"
EXPORTED_FIELDS = (
	"pairing", "period", "submitted_on", "channel", "language", "heard_from_tutor", "met_this_month",
	"mood", "suggestion", "message_to_ciac", "wants_to_talk",
)  # fmt: skip


def check_ins_of(beneficiary: str) -> list[dict]:
	return frappe.get_all(
		CHECK_IN,
		filters={"beneficiary": beneficiary, "submitted_on": ("is", "set")},
		fields=list(EXPORTED_FIELDS),
		order_by="period",
	)


def anonymise_check_ins(pairings: list[str]) -> list[str]:
	"""Empty her free text on the pairings' check-ins; return their names (for remove_traces)."""
	names = frappe.get_all(CHECK_IN, filters={"pairing": ("in", pairings or [""])}, pluck="name")
	if names:
		check_in = frappe.qb.DocType(CHECK_IN)
		frappe.qb.update(check_in).set(check_in.suggestion, None).set(check_in.message_to_ciac, None).set(
			check_in._comments, None
		).where(check_in.name.isin(names)).run()
	return names


HEALTH = "Relationship Health"


def health_answers_of(beneficiary: str) -> list[dict]:
	"""Her own side of the relationship-health questionnaires (never the tutor's side)."""
	records = frappe.get_all(
		HEALTH,
		filters={"beneficiary": beneficiary, "side": "Beneficiary", "submitted_on": ("is", "set")},
		fields=["name", "pairing", "period", "submitted_on", "language", "score"],
		order_by="period",
	)
	answers = frappe.get_all(
		"Relationship Health Answer",
		filters={"parenttype": HEALTH, "parent": ("in", [r.name for r in records] or [""])},
		fields=["parent", "question", "answer"],
		order_by="idx",
	)
	for record in records:
		record["answers"] = [
			{"question": a.question, "answer": a.answer} for a in answers if a.parent == record.name
		]
		del record["name"]
	return records


def health_records_of(pairings: list[str]) -> list[str]:
	"""The pairings' questionnaires: scores only, no free text, kept for the programme's statistics
	once the people are anonymised; their names let remove_traces clear Frappe's copies (versions,
	the alerts' notifications that named her)."""
	return frappe.get_all(HEALTH, filters={"pairing": ("in", pairings or [""])}, pluck="name")
