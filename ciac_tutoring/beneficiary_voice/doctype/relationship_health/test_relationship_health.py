"""The questionnaire's periods and score (beneficiary_voice/health.py); the pages, alerts and
exports are tested over HTTP in beneficiary_voice/tests/test_relationship_health_http.py."""

import frappe
from frappe.utils import getdate

from ciac_tutoring.beneficiary_voice import health


def test_nothing_is_asked_in_the_first_quarter_then_each_quarter_starts_n_months_on():
	started = "2026-01-31"
	assert health.quarter_start(started, "2026-04-29", 3) is None
	assert health.quarter_start(started, "2026-04-30", 3) == getdate("2026-04-30")  # month end kept
	assert health.quarter_start(started, "2026-07-30", 3) == getdate("2026-04-30")
	assert health.quarter_start(started, "2026-07-31", 3) == getdate("2026-07-31")
	assert health.quarter_start("2026-03-10", "2026-05-09", 1) == getdate("2026-04-10")


def test_the_score_is_the_mean_on_0_100_with_negative_statements_reversed():
	def answers(*pairs):
		return [frappe._dict(answer=a, reverse_scored=r) for a, r in pairs]

	assert health.score_of(answers((5, 0), (1, 1))) == 100.0
	assert health.score_of(answers((1, 0), (5, 1))) == 0.0
	assert health.score_of(answers((4, 0), (2, 1), (3, 0))) == 66.7
	assert health.score_of([]) == 0


def test_the_shipped_questions_cover_both_sides():
	assert {side for side, _question, _reverse in health.DEFAULT_QUESTIONS} == {"Tutor", "Beneficiary"}
	assert len(health.questions_for("Tutor")) >= 1 and len(health.questions_for("Beneficiary")) >= 1
