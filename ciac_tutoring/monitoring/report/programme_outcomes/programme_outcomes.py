"""Programme Outcomes: how pairings start, last and end, and how far they get on the six goals.

One report, five views (filter "View"):
- Per Period: pairings started and closed per month, quarter or year, active at the period's end;
- Closure Reasons: pairings closed in the date range, per reason, with their average duration;
- Duration: how long closed pairings lasted and active pairings have lasted so far;
- Goals: per programme goal, the progress (1 to 5) recorded at the pairings' last monitoring,
  for pairings whose last CIAC monitoring falls in the date range;
- Goals at Closure: per goal, the rating at the start and the final rating of the pairings closed
  in the date range, and how much they moved.
Closure Reasons also shows who initiated the closures, the average final rating and how many
tutors were available again.
"""

import frappe

from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_closures import closure_reasons, durations
from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_goals import goals, goals_at_closure
from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_per_period import per_period

PER_PERIOD, CLOSURE_REASONS, DURATION, GOALS = "Per Period", "Closure Reasons", "Duration", "Goals"
GOALS_AT_CLOSURE = "Goals at Closure"


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	view = filters.get("view") or PER_PERIOD
	builders = {
		PER_PERIOD: per_period,
		CLOSURE_REASONS: closure_reasons,
		DURATION: durations,
		GOALS: goals,
		GOALS_AT_CLOSURE: goals_at_closure,
	}
	return builders[view](filters)
