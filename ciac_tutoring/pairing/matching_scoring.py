"""Matching, the scores: every (beneficiary, tutor) pair's five parts as numpy matrices, and the
words that explain one pair's score (ciac_tutoring/pairing/matching.py describes the parts)."""

from dataclasses import dataclass, field

import frappe
import numpy as np
from babel import Locale, UnknownLocaleError
from frappe import _
from frappe.utils import cint, flt, getdate, today

from ciac_tutoring.pairing.matching_candidates import (
	candidate_tutors,
	child_rows,
	normalise,
	setting,
	settings_weights,
	waiting_beneficiaries,
	words,
)

PARTS = ("languages", "support_areas", "municipality", "preferences", "interests")
PART_LABELS = {
	"languages": "Languages",
	"support_areas": "Support Areas",
	"municipality": "Municipality",
	"preferences": "Preferences",
	"interests": "Interests",
}
LEVELS = {"Basic": 1, "Intermediate": 2, "Fluent": 3, "Native": 4}
LEVEL_NAMES = {value: key for key, value in LEVELS.items()}
NATIVE = LEVELS["Native"]
ITALIAN = "it"
ITALIAN_LEVELS = {"A0": 0, "A1": 1, "A2": 1, "B1": 2, "B2": 2, "C1": 3, "C2": 4}


@dataclass
class Side:
	"""Tutors or beneficiaries as arrays, one row per person, in `names` order."""

	names: list[str]
	titles: list[str]
	municipality: np.ndarray  # index into Matching.municipalities, -1 when unknown
	languages: dict[str, np.ndarray] = field(default_factory=dict)  # language -> level per person
	areas: np.ndarray | None = None  # (people, areas) 0/1
	interests: np.ndarray | None = None  # (people, words) 0/1
	values: dict[str, np.ndarray] = field(default_factory=dict)  # other columns


class Matching:
	"""Scores every (beneficiary, tutor) pair of the given people."""

	def __init__(self, beneficiaries: list[dict], tutors: list[dict], distances: list[tuple], settings: dict):
		self.beneficiary_rows, self.tutor_rows = beneficiaries, tutors
		self.weights = settings["weights"]
		self.max_distance = settings["max_distance_km"]
		self.municipalities: dict[str, int] = {}
		self.distances = distances
		self.tutors = self.side(tutors, "tutor_name")
		self.beneficiaries = self.side(beneficiaries, "full_name")

	@classmethod
	def load(cls, beneficiary_names: list[str] | None = None) -> "Matching":
		frappe.db.sql("set session group_concat_max_len = 1048576")  # for child_rows
		tutors = candidate_tutors()
		beneficiaries = waiting_beneficiaries(beneficiary_names)
		matching = cls(
			beneficiaries,
			tutors,
			frappe.get_all(
				"Municipality Distance",
				fields=["municipality", "other_municipality", "distance_km"],
				as_list=True,
			),
			{
				"weights": settings_weights(),
				"max_distance_km": setting("matching_max_distance_km", 30),
			},
		)
		matching.add_children(
			tutor_languages=child_rows("Spoken Language", "Tutor", "languages", ["language", "level"]),
			beneficiary_languages=child_rows(
				"Spoken Language", "Beneficiary", "other_languages", ["language", "level"]
			),
			tutor_areas=child_rows("Support Area Item", "Tutor", "support_areas", ["support_area"]),
			beneficiary_needs=child_rows("Support Area Item", "Beneficiary", "needs", ["support_area"]),
		)
		return matching

	def side(self, rows: list[dict], title: str) -> Side:
		return Side(
			names=[row.name for row in rows],
			titles=[row.get(title) or row.name for row in rows],
			municipality=np.array(
				[self.municipality_index(row.municipality) for row in rows], dtype=np.int32
			),
		)

	def municipality_index(self, municipality: str | None) -> int:
		key = normalise(municipality)
		if not key:
			return -1
		return self.municipalities.setdefault(key, len(self.municipalities))

	def add_children(self, tutor_languages, beneficiary_languages, tutor_areas, beneficiary_needs):
		tutors, beneficiaries = self.tutors, self.beneficiaries
		tutor_at = {name: index for index, name in enumerate(tutors.names)}
		beneficiary_at = {name: index for index, name in enumerate(beneficiaries.names)}

		# Languages: one level vector per language (0 = not spoken).
		def level_vector(language: str, side: Side, size: int) -> np.ndarray:
			return side.languages.setdefault(language, np.zeros(size, dtype=np.int8))

		n_tutors, n_beneficiaries = len(tutors.names), len(beneficiaries.names)
		for parent, language, level in tutor_languages:
			if parent in tutor_at and language:
				vector = level_vector(language, tutors, n_tutors)
				vector[tutor_at[parent]] = max(vector[tutor_at[parent]], LEVELS.get(level, 1))
		# Tutors who do not list Italian speak it natively.
		italian = level_vector(ITALIAN, tutors, n_tutors)
		italian[italian == 0] = NATIVE
		for parent, language, level in beneficiary_languages:
			if parent in beneficiary_at and language:
				vector = level_vector(language, beneficiaries, n_beneficiaries)
				vector[beneficiary_at[parent]] = max(vector[beneficiary_at[parent]], LEVELS.get(level, 1))
		for index, row in enumerate(self.beneficiary_rows):
			if row.mother_tongue:
				level_vector(row.mother_tongue, beneficiaries, n_beneficiaries)[index] = NATIVE
			if row.italian_level and row.mother_tongue != ITALIAN:
				vector = level_vector(ITALIAN, beneficiaries, n_beneficiaries)
				vector[index] = max(vector[index], ITALIAN_LEVELS.get(row.italian_level, 0))

		# Support areas: 0/1 matrices over the areas either side names.
		areas: dict[str, int] = {}
		for _parent, area in [*tutor_areas, *beneficiary_needs]:
			areas.setdefault(area, len(areas))
		self.area_names = list(areas)
		tutors.areas = np.zeros((n_tutors, len(areas)), dtype=np.float32)
		beneficiaries.areas = np.zeros((n_beneficiaries, len(areas)), dtype=np.float32)
		for parent, area in tutor_areas:
			if parent in tutor_at:
				tutors.areas[tutor_at[parent], areas[area]] = 1
		for parent, area in beneficiary_needs:
			if parent in beneficiary_at:
				beneficiaries.areas[beneficiary_at[parent], areas[area]] = 1

		# Interests: 0/1 matrices over the words either side uses.
		tutor_words = [words(row.interests) for row in self.tutor_rows]
		beneficiary_words = [words(row.interests) for row in self.beneficiary_rows]
		vocabulary: dict[str, int] = {}
		for word_set in [*tutor_words, *beneficiary_words]:
			for word in word_set:
				vocabulary.setdefault(word, len(vocabulary))
		self.vocabulary = list(vocabulary)
		tutors.interests = self.word_matrix(tutor_words, vocabulary)
		beneficiaries.interests = self.word_matrix(beneficiary_words, vocabulary)

		# Preferences and their subjects, as small integer codes (0 = not stated) so that comparing
		# every pair is integer work.
		codes: dict[str, int] = {"": 0}

		def coded(values) -> np.ndarray:
			return np.array([codes.setdefault(value or "", len(codes)) for value in values], dtype=np.int16)

		today_date = getdate(today())
		tutors.values = {
			"gender": coded(row.gender for row in self.tutor_rows),
			"type": coded(row.tutor_type for row in self.tutor_rows),
			"wants_gender": coded(row.preferred_beneficiary_gender for row in self.tutor_rows),
			"age_min": np.array([cint(row.preferred_age_min) for row in self.tutor_rows], dtype=np.int32),
			"age_max": np.array([cint(row.preferred_age_max) for row in self.tutor_rows], dtype=np.int32),
		}
		beneficiaries.values = {
			"gender": coded(row.gender for row in self.beneficiary_rows),
			"wants_gender": coded(row.preferred_tutor_gender for row in self.beneficiary_rows),
			"wants_type": coded(row.preferred_tutor_type for row in self.beneficiary_rows),
			"age": np.array(
				[age_on(row.date_of_birth, today_date) for row in self.beneficiary_rows], dtype=np.int32
			),
		}

	@staticmethod
	def word_matrix(word_sets: list[set[str]], vocabulary: dict[str, int]) -> np.ndarray:
		matrix = np.zeros((len(word_sets), len(vocabulary)), dtype=np.float32)
		for index, word_set in enumerate(word_sets):
			matrix[index, [vocabulary[word] for word in word_set]] = 1
		return matrix

	# --- The five parts, each a (beneficiaries, tutors) matrix from 0 to 1 -------------------

	def parts(self, rows: slice | list[int] = slice(None)) -> dict[str, np.ndarray]:
		return {
			"languages": self.language_part(rows),
			"support_areas": self.share_part(self.beneficiaries.areas[rows], self.tutors.areas),
			"municipality": self.municipality_part(rows),
			"preferences": self.preference_part(rows),
			"interests": self.share_part(self.beneficiaries.interests[rows], self.tutors.interests),
		}

	def language_part(self, rows) -> np.ndarray:
		n_rows = len(self.beneficiaries.names[rows] if isinstance(rows, slice) else rows)
		best = np.zeros((n_rows, len(self.tutors.names)), dtype=np.int8)
		for language, beneficiary_levels in self.beneficiaries.languages.items():
			tutor_levels = self.tutors.languages.get(language)
			if tutor_levels is None:
				continue
			np.maximum(best, np.minimum.outer(beneficiary_levels[rows], tutor_levels), out=best)
		return best.astype(np.float32) / NATIVE

	@staticmethod
	def share_part(needed: np.ndarray, offered: np.ndarray) -> np.ndarray:
		"""The share of what a beneficiary names (needs, interests) the tutor also names."""
		shared = needed @ offered.T
		counts = needed.sum(axis=1, keepdims=True)
		return np.divide(shared, counts, out=np.zeros_like(shared), where=counts > 0)

	def municipality_part(self, rows) -> np.ndarray:
		size = len(self.municipalities) + 1  # the last index stands for "unknown"
		closeness = np.zeros((size, size), dtype=np.float32)
		np.fill_diagonal(closeness, 1)
		closeness[-1, -1] = 0
		if self.max_distance > 0:
			for first, second, km in self.distances:
				a, b = self.municipalities.get(normalise(first)), self.municipalities.get(normalise(second))
				if a is not None and b is not None and a != b:
					closeness[a, b] = closeness[b, a] = max(0.0, 1 - flt(km) / self.max_distance)
		return closeness[self.beneficiaries.municipality[rows][:, None], self.tutors.municipality[None, :]]

	def preference_part(self, rows) -> np.ndarray:
		"""Met preferences over stated ones (1 when none is stated)."""
		tutor, beneficiary = self.tutors.values, self.beneficiaries.values
		wants_gender = beneficiary["wants_gender"][rows][:, None]
		wants_type = beneficiary["wants_type"][rows][:, None]
		gender = beneficiary["gender"][rows][:, None]
		age = beneficiary["age"][rows][:, None]
		# (stated, met) per preference; a Family or Individual wish is met by that tutor type only
		stated = [
			(wants_gender > 0, wants_gender == tutor["gender"][None, :]),
			(wants_type > 0, wants_type == tutor["type"][None, :]),
			(tutor["wants_gender"][None, :] > 0, tutor["wants_gender"][None, :] == gender),
			(
				((tutor["age_min"] > 0) | (tutor["age_max"] > 0))[None, :] & (age >= 0),
				(age >= tutor["age_min"][None, :])
				& ((tutor["age_max"][None, :] == 0) | (age <= tutor["age_max"][None, :])),
			),
		]
		shape = (len(wants_gender), len(self.tutors.names))
		applicable, met = np.zeros(shape, dtype=np.int8), np.zeros(shape, dtype=np.int8)
		for is_stated, is_met in stated:
			applicable += is_stated
			met += is_stated & is_met
		return np.divide(
			met, applicable, out=np.ones(shape, dtype=np.float32), where=applicable > 0, dtype=np.float32
		)

	def points(self, parts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
		"""Each part's points out of 100, by its share of the weights."""
		total_weight = sum(self.weights.values()) or 1
		return {part: parts[part] * (100.0 * self.weights[part] / total_weight) for part in PARTS}

	def scores(self, rows=slice(None)) -> np.ndarray:
		return sum(self.points(self.parts(rows)).values())


def age_on(date_of_birth, on) -> int:
	if not date_of_birth:
		return -1
	born = getdate(date_of_birth)
	return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def language_name(code: str) -> str:
	"""A language as the reader names it ("Arabic", "arabo"), not its code: the explanation is read
	by staff in their own language. Frappe's Language records name each in itself ("العربية")."""
	try:
		name = Locale.parse(frappe.local.lang or "en").languages.get(code.split("-")[0])
	except (ValueError, UnknownLocaleError):
		name = None
	return name or frappe.get_cached_value("Language", code, "language_name") or code


def explain(matching: Matching, row: int, column: int, parts: dict[str, float]) -> str:
	"""In words, why a tutor scored what it did for a beneficiary."""
	beneficiary, tutor = matching.beneficiaries, matching.tutors
	reasons = []
	shared = [
		(language, int(min(levels[row], tutor.languages[language][column])))
		for language, levels in beneficiary.languages.items()
		if language in tutor.languages and min(levels[row], tutor.languages[language][column]) > 0
	]
	if shared:
		reasons.append(
			_("languages: {0}").format(
				", ".join(
					f"{language_name(language)} ({_(LEVEL_NAMES[level])})"
					for language, level in sorted(shared)
				)
			)
		)
	else:
		reasons.append(_("no shared language"))
	needs = beneficiary.areas[row] > 0
	covered = [matching.area_names[i] for i in np.flatnonzero(needs & (tutor.areas[column] > 0))]
	if needs.any():
		reasons.append(
			_("needs covered: {0} of {1}").format(len(covered), int(needs.sum()))
			+ (f" ({', '.join(_(area) for area in covered)})" if covered else "")
		)
	else:
		reasons.append(_("no needs recorded"))
	tutor_row, beneficiary_row = matching.tutor_rows[column], matching.beneficiary_rows[row]
	if parts["municipality"] >= 1:
		reasons.append(_("same municipality"))
	elif parts["municipality"] > 0:
		reasons.append(_("neighbouring municipality ({0})").format(tutor_row.municipality))
	else:
		reasons.append(_("municipality far or unknown"))
	reasons.append(_("preferences met: {0}%").format(round(parts["preferences"] * 100)))
	common = sorted(words(beneficiary_row.interests) & words(tutor_row.interests))
	if common:
		reasons.append(_("shared interests: {0}").format(", ".join(common)))
	return "; ".join(reasons)
