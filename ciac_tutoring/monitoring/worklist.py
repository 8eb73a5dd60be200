"""The coordinator's worklist: the pairings that need a staff action, each with why, until it is
done. Its rows come from the functions listed in the hook `ciac_worklist_sources` (hooks.py), each
`source(today, settings) -> [{"pairing", "reason", "detail", "due"}]`, one query each: a module adds
what its coordinators must act on there, and the report Coordinator Worklist shows them all."""

import frappe
from frappe import _
from frappe.utils import getdate

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings

# What a row's `detail` says, by its reason (translated when shown).
DETAIL_TEXTS = {
	"First month: staff contacts": "{done} of {required} logged",
	"Tries without answer in a row": "{tries} tries",
}


def get_worklist(today=None, coordinator: str | None = None) -> list[frappe._dict]:
	"""Every source's rows with their pairing's people, the earliest due first; only the pairings
	of `coordinator` when given."""
	today = getdate(today or frappe.utils.today())
	settings = get_settings()
	items = []
	for source in frappe.get_hooks("ciac_worklist_sources"):
		items += frappe.get_attr(source)(today, settings)
	if not items:
		return []
	filters = {"name": ["in", list({item["pairing"] for item in items})]}
	if coordinator:
		filters["coordinator"] = coordinator
	pairings = {
		p.name: p
		for p in frappe.get_all(
			"Pairing",
			filters=filters,
			fields=["name", "tutor", "tutor_name", "beneficiary_name", "coordinator"],
		)
	}
	rows = []
	for item in items:
		pairing = pairings.get(item["pairing"])
		if not pairing:
			continue
		detail = DETAIL_TEXTS.get(item["reason"])
		rows.append(
			frappe._dict(
				{
					**pairing,
					"pairing": pairing.name,
					"reason": _(item["reason"]),
					"reason_key": item["reason"],
					"detail": _(detail).format(**item["detail"]) if detail else "",
					"counts": item["detail"],
					"due": getdate(item["due"]) if item.get("due") else None,
				}
			)
		)
	return sorted(rows, key=lambda row: (row.due or today, row.pairing))
