"""Insurance of the volunteers (D.Lgs. 117/2017 art. 18): injury and illness connected with the
activity, and civil liability towards third parties.

A tutor is covered on a day for a risk when an Insurance Policy covering that risk, valid on that
day, lists the tutor. The activation workflow asks `missing_insurance_cover` before a tutor reaches
Tutoring Started (hooks.py `tutor_phase_gates`, read by ciac_tutoring/activation/workflow_gates.py).
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate, today

POLICY = "Insurance Policy"
# The two covers the law requires, by the policy's field that says it covers them.
COVERS = {
	"covers_injury": "injury and illness",
	"covers_civil_liability": "civil liability",
}


def covered_tutors(cover_field: str, on_date=None, tutors: list[str] | None = None) -> set[str]:
	"""The tutors an in-force policy of this cover lists on `on_date` (today when not given)."""
	policy, row = DocType(POLICY), DocType("Insurance Policy Tutor")
	day = getdate(on_date or today())
	query = (
		frappe.qb.from_(row)
		.join(policy)
		.on((policy.name == row.parent) & (row.parenttype == POLICY))
		.select(row.tutor)
		.distinct()
		.where(policy[cover_field] == 1)
		.where(policy.valid_from <= day)
		.where(policy.valid_to >= day)
	)
	if tutors is not None:
		if not tutors:
			return set()
		query = query.where(row.tutor.isin(tutors))
	return {name for (name,) in query.run()}


def missing_covers(tutors: list[str], on_date=None) -> dict[str, list[str]]:
	"""For each tutor, the covers it lacks on that day (untranslated names of COVERS)."""
	missing = {tutor: [] for tutor in tutors}
	for field, cover in COVERS.items():
		covered = covered_tutors(field, on_date, tutors)
		for tutor in tutors:
			if tutor not in covered:
				missing[tutor].append(cover)
	return missing


def missing_insurance_cover(tutor) -> list[str]:
	"""Workflow gate of Tutoring Started: the reasons it is refused (translated), or none."""
	lacking = missing_covers([tutor.name])[tutor.name]
	return [_("no insurance policy in force covers the tutor for {0}").format(_(cover)) for cover in lacking]
