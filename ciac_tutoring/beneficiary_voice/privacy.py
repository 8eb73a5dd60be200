"""Check-ins in the privacy rules: the beneficiary's export has them, the tutor's never does
(privacy/export.py), and anonymisation empties what she wrote (privacy/retention.py)."""

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
