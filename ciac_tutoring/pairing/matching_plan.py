"""Matching, the whole programme: an optimal assignment of waiting beneficiaries to the tutors'
free places (scipy's linear_sum_assignment), for review before proposing."""

import frappe
import numpy as np

from ciac_tutoring.pairing.matching_candidates import setting
from ciac_tutoring.pairing.matching_scoring import PARTS, Matching, explain


def plan_assignment(
	scores: np.ndarray, free_places: list[int], minimum_score: float
) -> list[tuple[int, int]]:
	"""(beneficiary, tutor) index pairs maximising the total score, each tutor taking at most its
	free places and each beneficiary at most one tutor; a pair under `minimum_score` is never made
	(the beneficiary waits instead)."""
	from scipy.optimize import linear_sum_assignment

	if not scores.size or not sum(free_places):
		return []
	slots = np.repeat(np.arange(len(free_places)), free_places)  # one column per free place
	gain = scores[:, slots].astype(np.float64)
	gain[gain < minimum_score] = 0  # as good as no pair, so never chosen over one worth making
	rows, columns = linear_sum_assignment(gain, maximize=True)
	return [
		(int(row), int(slots[column]))
		for row, column in zip(rows, columns, strict=True)
		if gain[row, column] > 0
	]


def programme_plan() -> list[dict]:
	"""The optimal plan for every waiting beneficiary, best pairs first, for review."""
	matching = Matching.load()
	if not matching.beneficiaries.names or not matching.tutors.names:
		return []
	parts = matching.parts()
	points = matching.points(parts)
	scores = sum(points.values())
	tutors = matching.tutor_rows
	pairs = plan_assignment(
		scores, [row.free_places for row in tutors], setting("matching_minimum_score", 20)
	)
	plan = [
		frappe._dict(
			beneficiary=matching.beneficiaries.names[b],
			beneficiary_name=matching.beneficiaries.titles[b],
			tutor=tutors[t].name,
			tutor_name=tutors[t].tutor_name,
			phase=tutors[t].workflow_state,
			score=round(float(scores[b, t]), 1),
			**{f"{part}_points": round(float(points[part][b, t]), 1) for part in PARTS},
			why=explain(matching, b, t, {part: float(parts[part][b, t]) for part in PARTS}),
		)
		for b, t in pairs
	]
	return sorted(plan, key=lambda row: -row.score)
