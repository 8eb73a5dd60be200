"""The matching assistant on hand-built cases whose right answers are known."""

import itertools
import random

import frappe
import numpy as np
import pytest
from frappe.utils import add_years, today

from ciac_tutoring.pairing import matching, matching_candidates
from ciac_tutoring.pairing.matching import NoFreePlaceError, NotWaitingError
from ciac_tutoring.pairing.matching_plan import plan_assignment
from ciac_tutoring.pairing.report.matching_plan.matching_plan import execute as plan_report
from ciac_tutoring.tutoring.report.report_test_data import insert_raw, pairing_row

TOWN, NEIGHBOUR, FAR = "_TM Town", "_TM Neighbour", "_TM Far"
AREA_1, AREA_2 = "_TM Area 1", "_TM Area 2"


# --- the optimal assignment, on matrices -------------------------------------------------------


def total(scores, pairs):
	return sum(scores[b][t] for b, t in pairs)


def test_the_plan_beats_a_greedy_pick():
	# greedy takes 10 first and is left with 1 (11); the best plan is 9 + 8 = 17
	scores = np.array([[10.0, 9.0], [8.0, 1.0]])
	assert sorted(plan_assignment(scores, [1, 1], 0)) == [(0, 1), (1, 0)]


def test_a_tutor_takes_as_many_beneficiaries_as_its_free_places():
	scores = np.array([[9.0, 8.0], [9.0, 2.0], [9.0, 1.0]])
	pairs = plan_assignment(scores, [2, 1], 0)
	assert sorted(pairs) == [(0, 1), (1, 0), (2, 0)]
	assert total(scores, pairs) == 26


def test_a_pair_under_the_minimum_score_is_not_made():
	scores = np.array([[5.0, 50.0], [40.0, 3.0]])
	assert sorted(plan_assignment(scores, [1, 1], 20)) == [(0, 1), (1, 0)]
	assert plan_assignment(scores, [1, 0], 20) == [(1, 0)]  # the first beneficiary waits
	assert plan_assignment(scores, [0, 0], 0) == []


def best_by_brute_force(scores, free_places):
	"""Every way of giving each beneficiary one free place or none."""
	slots = [t for t, places in enumerate(free_places) for _ in range(places)]
	best = 0
	for choice in itertools.product(range(-1, len(slots)), repeat=len(scores)):
		taken = [slot for slot in choice if slot >= 0]
		if len(taken) == len(set(taken)):
			best = max(best, sum(scores[b][slots[s]] for b, s in enumerate(choice) if s >= 0))
	return best


def test_the_plan_is_optimal_on_random_small_programmes():
	rng = random.Random(14)
	for _case in range(25):
		n_beneficiaries, n_tutors = rng.randint(1, 5), rng.randint(1, 4)
		scores = np.array(
			[[rng.randint(0, 100) for _t in range(n_tutors)] for _b in range(n_beneficiaries)], dtype=float
		)
		free = [rng.randint(0, 2) for _t in range(n_tutors)]
		pairs = plan_assignment(scores, free, 0)
		assert len({b for b, _t in pairs}) == len(pairs)
		assert all(sum(1 for _b, t in pairs if t == tutor) <= free[tutor] for tutor in range(n_tutors))
		assert total(scores, pairs) == best_by_brute_force(scores, free)


# --- scores from the database ------------------------------------------------------------------


def tutor_row(name, phase="Presentation", languages=(), areas=(), **values):
	return insert_raw(
		"Tutor",
		name,
		tutor_type=values.pop("tutor_type", "Individual"),
		tutor_name=f"Tutor {name}",
		email=f"{name.lower()}@example.com",
		workflow_state=phase,
		privacy_consent=1,
		capacity=values.pop("capacity", 1),
		languages=[{"language": language, "level": level} for language, level in languages],
		support_areas=[{"support_area": area} for area in areas],
		**values,
	)


def waiting_row(name, languages=(), needs=(), **values):
	return insert_raw(
		"Beneficiary",
		name,
		first_name="Amina",
		last_name=name,
		full_name=f"Amina {name}",
		consent=1,
		status="Waiting",
		other_languages=[{"language": language, "level": level} for language, level in languages],
		needs=[{"support_area": area} for area in needs],
		**values,
	)


@pytest.fixture
def programme():
	frappe.db.set_single_value("Tutoring Settings", "minimum_training_hours", 8)
	for part, weight in matching_candidates.DEFAULT_WEIGHTS.items():
		frappe.db.set_single_value("Tutoring Settings", f"weight_{part}", weight)
	frappe.db.set_single_value("Tutoring Settings", "matching_max_distance_km", 30)
	frappe.db.set_single_value("Tutoring Settings", "matching_minimum_score", 20)
	insert_raw("Municipality Distance", None, municipality=NEIGHBOUR, other_municipality=TOWN, distance_km=15)
	waiting_row(
		"_TM-BEN-1",
		languages=[("fr", "Intermediate")],
		needs=[AREA_1, AREA_2],
		mother_tongue="ar",
		italian_level="A2",
		municipality=TOWN,
		interests="football, Cooking",
		preferred_tutor_gender="Female",
		gender="Male",
		date_of_birth=add_years(today(), -30),
	)
	tutor_row(
		"_TM-TUT-1",
		languages=[("ar", "Fluent"), ("fr", "Native")],
		areas=[AREA_1],
		municipality=TOWN,
		gender="Female",
		interests="cooking\nmusic",
	)
	tutor_row(
		"_TM-TUT-2",
		phase="Tutoring Started",
		capacity=2,
		areas=[AREA_1, AREA_2],
		municipality=NEIGHBOUR,
		gender="Male",
		preferred_beneficiary_gender="Male",
		preferred_age_min=18,
		preferred_age_max=25,
	)
	tutor_row("_TM-TUT-3", phase="Training", training_hours=4)  # not ready for phase 4
	tutor_row("_TM-TUT-4", municipality=FAR)  # no free place: one Active pairing, capacity 1
	pairing_row("_TM-P-4", "_TM-TUT-4", "_TM-BEN-OTHER")
	tutor_row("_TM-TUT-5", phase="Training", training_hours=10)  # ready for phase 4
	tutor_row("_TM-TUT-6", phase="Interview")  # too early


def mine(rows, prefix="_TM-"):
	return [row for row in rows if row.tutor.startswith(prefix)]


def test_candidates_are_ranked_with_their_points_per_part(programme):
	candidates = mine(matching.rank_candidates("_TM-BEN-1", limit=1000))
	assert [row.tutor for row in candidates] == ["_TM-TUT-1", "_TM-TUT-2", "_TM-TUT-5"]
	first, second, third = candidates
	# languages: Arabic, Fluent on the tutor's side, 3 of 4; support areas: 1 of 2 needs; same
	# town; the one stated preference met (a woman); interests: cooking, 1 of 2
	assert (
		first.languages_points,
		first.support_areas_points,
		first.municipality_points,
		first.preferences_points,
		first.interests_points,
		first.score,
	) == (22.5, 12.5, 20.0, 15.0, 5.0, 75.0)
	# Italian only (A2 = Basic against a native tutor); both needs; 15 km of 30; 1 of 3 preferences
	# met (the tutor's gender and age wishes: gender yes, age no; the beneficiary's: no)
	assert (
		second.languages_points,
		second.support_areas_points,
		second.municipality_points,
		second.preferences_points,
		second.interests_points,
		second.score,
	) == (7.5, 25.0, 10.0, 5.0, 0.0, 47.5)
	assert third.score == 7.5 and third.phase == "Training"
	assert "same municipality" in first.why and "needs covered: 1 of 2" in first.why
	assert "Arabic (Fluent)" in first.why and "shared interests: cooking" in first.why
	assert "neighbouring municipality (_TM Neighbour)" in second.why


def test_the_weights_come_from_tutoring_settings(programme):
	frappe.db.set_single_value("Tutoring Settings", "weight_languages", 0)
	frappe.db.set_single_value("Tutoring Settings", "weight_interests", 0)
	candidates = {row.tutor: row for row in mine(matching.rank_candidates("_TM-BEN-1", limit=1000))}
	# out of 60: areas 25, municipality 20, preferences 15
	assert candidates["_TM-TUT-2"].score == round((25 * 1 + 20 * 0.5 + 15 / 3) * 100 / 60, 1)
	assert candidates["_TM-TUT-1"].languages_points == 0


def test_a_beneficiary_not_waiting_has_no_candidates(programme):
	with pytest.raises(NotWaitingError):
		matching.rank_candidates("_TM-BEN-OTHER")


def test_the_programme_plan_pairs_every_waiting_beneficiary_it_can(programme):
	waiting_row("_TM-BEN-2", needs=[AREA_2], municipality=NEIGHBOUR)
	plan = {row.beneficiary: row for row in plan_report({})[1] if row.beneficiary.startswith("_TM-")}
	# TUT-1 is the first beneficiary's best (75 against 47.5); the second needs what TUT-2 offers
	assert {name: row.tutor for name, row in plan.items()} == {
		"_TM-BEN-1": "_TM-TUT-1",
		"_TM-BEN-2": "_TM-TUT-2",
	}
	assert plan["_TM-BEN-1"].score == 75.0


def test_propose_creates_a_proposed_pairing_and_refuses_what_no_longer_fits(programme):
	name = matching.propose("_TM-BEN-1", "_TM-TUT-1")
	pairing = frappe.get_doc("Pairing", name)
	assert (pairing.status, pairing.tutor, pairing.beneficiary) == ("Proposed", "_TM-TUT-1", "_TM-BEN-1")
	assert len(pairing.goals) == 6
	waiting_row("_TM-BEN-3")
	with pytest.raises(NotWaitingError):
		matching.propose("_TM-BEN-1", "_TM-TUT-2")
	with pytest.raises(NoFreePlaceError):  # its one place is taken by the proposal
		matching.propose("_TM-BEN-3", "_TM-TUT-1")
	with pytest.raises(NoFreePlaceError):
		matching.propose("_TM-BEN-3", "_TM-TUT-6")


def test_a_plan_is_proposed_whole_or_not_at_all(programme):
	waiting_row("_TM-BEN-2")
	with pytest.raises(NoFreePlaceError):
		matching.propose_plan(
			[
				{"beneficiary": "_TM-BEN-1", "tutor": "_TM-TUT-2"},
				{"beneficiary": "_TM-BEN-2", "tutor": "_TM-TUT-4"},
			]
		)
	assert not frappe.db.exists("Pairing", {"beneficiary": ("in", ["_TM-BEN-1", "_TM-BEN-2"])})
	names = matching.propose_plan(
		'[{"beneficiary": "_TM-BEN-1", "tutor": "_TM-TUT-2"}, {"beneficiary": "_TM-BEN-2", "tutor": "_TM-TUT-2"}]'
	)
	assert frappe.get_all("Pairing", {"name": ("in", names)}, pluck="tutor") == ["_TM-TUT-2"] * 2


def test_only_staff_who_may_create_pairings_propose(programme):
	from ciac_tutoring.tests.factory import make_user

	frappe.set_user(make_user(roles=("Tutor",)).name)
	try:
		with pytest.raises(frappe.PermissionError):
			matching.propose("_TM-BEN-1", "_TM-TUT-1")
		with pytest.raises(frappe.PermissionError):
			matching.get_candidates("_TM-BEN-1")
	finally:
		frappe.set_user("Administrator")
	assert not frappe.db.exists("Pairing", {"beneficiary": "_TM-BEN-1"})


# --- the two reports' columns --------------------------------------------------------------------

# The desk's report area on a 1366 px screen, less the sidebar and the row numbers.
VISIBLE_REPORT_WIDTH = 1200


@pytest.mark.parametrize("report", ["Matching Candidates", "Matching Plan"])
def test_each_column_has_its_own_label_and_why_is_on_screen(report):
	from ciac_tutoring.pairing.report.matching_candidates.matching_candidates import get_columns

	columns = get_columns() if report == "Matching Candidates" else plan_report()[0]
	labels = [column["label"] for column in columns]
	assert len(labels) == len(set(labels)), labels
	fieldnames = [column["fieldname"] for column in columns]
	why = fieldnames.index("why")
	assert sum(column["width"] for column in columns[: why + 1]) <= VISIBLE_REPORT_WIDTH
	assert all(column.get("precision") == 1 for column in columns if column["fieldtype"] == "Float")


def test_the_points_columns_say_so_in_italian():
	from ciac_tutoring.pairing.report.matching_candidates.matching_candidates import get_columns

	frappe.local.lang = "it"
	labels = {column["fieldname"]: column["label"] for column in get_columns()}
	assert (labels["municipality"], labels["municipality_points"]) == ("Comune", "Comune (punti)")
