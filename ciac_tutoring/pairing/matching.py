"""The matching assistant: which tutor to present to which waiting beneficiary (phase 4).

A tutor scores for a beneficiary on five parts, each from 0 to 1, weighted in Tutoring Settings
and added up to a total out of 100:
- languages: the best language both speak, at the lower of the two levels (Basic 1 ... Native 4,
  out of 4). The beneficiary's mother tongue counts as Native, their Italian level (A1 ... C2) as
  Italian; a tutor who does not list Italian is taken as a native speaker of it;
- support areas: the share of the beneficiary's needs the tutor offers;
- municipality: 1 in the same municipality; in another one, less the farther it is (Municipality
  Distance, read both ways), nothing from Tutoring Settings' distance on or when unknown;
- preferences: the share of the stated preferences met (the beneficiary's on the tutor's gender
  and type, a person or a family; the tutor's on the beneficiary's gender and age); 1 when none;
- interests: the share of the beneficiary's interests the tutor shares.

Candidates are tutors in phase 4 to 6, or in Training with the minimum training hours (ready for
phase 4), with a free place: capacity minus their Proposed, Active and Suspended pairings.

The code, by concern: `matching_candidates` (who may be matched, loaded set-based),
`matching_scoring` (the five parts and the words that explain them), `matching_plan` (the whole
programme's plan); here, one beneficiary's ranking and the proposals.

Everything is set-based: a few queries load every candidate tutor, waiting beneficiary and child
row, and the scores of all pairs are numpy matrices. The whole-programme plan is an optimal
assignment (scipy's linear_sum_assignment) of beneficiaries to tutors' free places.
"""

import frappe
import numpy as np
from frappe import _

from ciac_tutoring.pairing.matching_candidates import candidate_tutors, waiting_beneficiaries
from ciac_tutoring.pairing.matching_scoring import PARTS, Matching, explain


class NotWaitingError(frappe.ValidationError):
	pass


class NoFreePlaceError(frappe.ValidationError):
	pass


# --- One beneficiary: ranked candidates with the why ------------------------------------------


def rank_candidates(beneficiary: str, limit: int = 20) -> list[dict]:
	"""The tutors for a waiting beneficiary, best first, each with its points per part and why."""
	matching = Matching.load([beneficiary])
	if not matching.beneficiaries.names:
		frappe.throw(
			_("{0} is not waiting for a tutor").format(frappe.bold(beneficiary)), exc=NotWaitingError
		)
	parts = matching.parts([0])
	points = matching.points(parts)
	total = sum(points.values())[0]
	order = np.argsort(-total, kind="stable")[:limit]
	tutors = matching.tutor_rows
	return [
		frappe._dict(
			tutor=tutors[index].name,
			tutor_name=tutors[index].tutor_name,
			phase=tutors[index].workflow_state,
			municipality=tutors[index].municipality,
			free_places=tutors[index].free_places,
			score=round(float(total[index]), 1),
			**{f"{part}_points": round(float(points[part][0, index]), 1) for part in PARTS},
			why=explain(matching, 0, int(index), {part: float(parts[part][0, index]) for part in PARTS}),
		)
		for index in order
	]


# --- Proposing --------------------------------------------------------------------------------


def check_can_propose() -> None:
	if not frappe.has_permission("Pairing", "create"):
		frappe.throw(_("You may not propose pairings"), frappe.PermissionError)


def create_proposal(beneficiary: str, tutor: str) -> str:
	"""A Proposed pairing, if the beneficiary still waits and the tutor still has a free place."""
	if not waiting_beneficiaries([beneficiary]):
		frappe.throw(
			_("{0} is not waiting for a tutor").format(frappe.bold(beneficiary)), exc=NotWaitingError
		)
	if tutor not in {row.name for row in candidate_tutors()}:
		frappe.throw(
			_("Tutor {0} has no free place or is not ready for a presentation").format(frappe.bold(tutor)),
			exc=NoFreePlaceError,
		)
	pairing = frappe.get_doc(
		{
			"doctype": "Pairing",
			"tutor": tutor,
			"beneficiary": beneficiary,
			"status": "Proposed",
			"coordinator": frappe.session.user if frappe.session.user != "Guest" else None,
		}
	).insert()
	return pairing.name


@frappe.whitelist()
def get_candidates(beneficiary: str) -> list[dict]:
	check_can_propose()
	return rank_candidates(beneficiary)


@frappe.whitelist(methods=["POST"])
def propose(beneficiary: str, tutor: str) -> str:
	check_can_propose()
	return create_proposal(beneficiary, tutor)


@frappe.whitelist(methods=["POST"])
def propose_plan(pairs: str | list) -> list[str]:
	"""Create the Proposed pairings of a reviewed plan: all of them or, on any refusal, none."""
	check_can_propose()
	pairs = frappe.parse_json(pairs) if isinstance(pairs, str) else pairs
	frappe.db.savepoint("propose_plan")
	try:
		return [create_proposal(pair["beneficiary"], pair["tutor"]) for pair in pairs]
	except Exception:
		frappe.db.rollback(save_point="propose_plan")
		raise
