from ciac_tutoring.monitoring.report.programme_outcomes.programme_outcomes import execute
from ciac_tutoring.tutoring.report.report_test_data import TOWN, beneficiary_row, pairing_row, tutor_row

FIRST_HALF = {"from_date": "2026-01-01", "to_date": "2026-06-30", "municipality": TOWN}
MOVED, JOB = "_TR Moved away", "_TR Job found"


def goals(*progress):
	return [{"goal": f"_TR Goal {index}", "progress": value} for index, value in enumerate(progress, 1)]


def ratings(*pairs):
	"""Goal rows rated at the start and at closure: ratings((1, 3), (2, 2))."""
	return [
		{"goal": f"_TR Goal {index}", "initial_progress": start, "final_progress": final}
		for index, (start, final) in enumerate(pairs, 1)
	]


def build_pairings():
	tutor_row("_TR-TUT-1", capacity=10)
	for index in range(1, 8):
		beneficiary_row(f"_TR-BEN-{index}")
	pairing_row(
		"_TR-P1",
		"_TR-TUT-1",
		"_TR-BEN-1",
		start_date="2026-01-10",
		last_monitoring="2026-05-01",
		goals=goals(3, 0),
	)
	pairing_row(
		"_TR-P2",
		"_TR-TUT-1",
		"_TR-BEN-2",
		status="Closed",
		start_date="2026-01-20",
		closure_date="2026-03-20",
		closure_reason=MOVED,
		closure_initiated_by="Beneficiary",
		tutor_available_again=1,
		goals=ratings((1, 3), (2, 2)),
	)
	pairing_row(
		"_TR-P3",
		"_TR-TUT-1",
		"_TR-BEN-3",
		status="Closed",
		start_date="2026-02-05",
		closure_date="2026-05-05",
		closure_reason=MOVED,
		closure_initiated_by="Tutor",
		goals=ratings((1, 4), (0, 5)),
	)
	pairing_row(
		"_TR-P4",
		"_TR-TUT-1",
		"_TR-BEN-4",
		status="Closed",
		start_date="2025-06-01",
		closure_date="2026-02-01",
		closure_reason=JOB,
		closure_initiated_by="Beneficiary",
		tutor_available_again=1,
		goals=ratings((2, 1)),
	)
	pairing_row(
		"_TR-P5",
		"_TR-TUT-1",
		"_TR-BEN-5",
		start_date="2026-04-01",
		last_monitoring="2026-06-01",
		goals=goals(5, 2),
	)
	pairing_row("_TR-P6", "_TR-TUT-1", "_TR-BEN-6", status="Proposed")
	pairing_row(
		"_TR-P7",
		"_TR-TUT-1",
		"_TR-BEN-7",
		start_date="2025-01-01",
		last_monitoring="2025-12-01",
		goals=goals(1),
	)


def run(view, **filters):
	_columns, data, _message, chart, summary = execute({"view": view, **FIRST_HALF, **filters})
	return data, chart, summary


def test_started_closed_and_active_per_month():
	build_pairings()
	data, chart, summary = run("Per Period")
	assert [row.period for row in data] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
	assert [row.started for row in data] == [2, 1, 0, 1, 0, 0]
	assert [row.closed for row in data] == [0, 1, 1, 0, 1, 0]
	assert [row.active_at_end for row in data] == [4, 4, 3, 4, 3, 3]
	assert [row.average_duration for row in data] == [None, 245.0, 59.0, None, 89.0, None]
	assert [item["value"] for item in summary][:4] == [4, 3, 3, 131.0]
	# then the beneficiaries' check-ins (Beneficiary Voice), programme-wide
	assert [item["label"] for item in summary][4:] == ["Check-in Response Rate (%)", "Confirmed Contacts (%)"]
	assert chart["data"]["datasets"][0]["values"] == [2, 1, 0, 1, 0, 0]


def test_quarterly_periods_add_up_the_months():
	build_pairings()
	data, _chart, _summary = run("Per Period", periodicity="Quarterly")
	assert [(row.period, row.started, row.closed, row.active_at_end) for row in data] == [
		("2026 Q1", 3, 2, 3),
		("2026 Q2", 1, 1, 3),
	]


def test_closure_reasons_with_share_and_duration():
	build_pairings()
	data, chart, summary = run("Closure Reasons")
	assert [(row.reason, row.pairings, row.share, row.average_duration) for row in data] == [
		(MOVED, 2, 66.7, 74.0),
		(JOB, 1, 33.3, 245.0),
	]
	assert summary[0]["value"] == 3


def test_duration_distribution_of_closed_and_active_pairings():
	build_pairings()
	data, _chart, _summary = run("Duration")
	assert {row.bucket_name: (row.closed, row.active) for row in data} == {
		"Under 3 months": (2, 1),
		"3 to 6 months": (0, 1),
		"6 to 9 months": (1, 0),
		"9 to 12 months": (0, 0),
		"12 months or more": (0, 1),
	}


def test_goal_progress_at_the_last_monitoring_in_the_range():
	build_pairings()
	data, _chart, _summary = run("Goals")
	rows = {row.goal: row for row in data}
	assert set(rows) == {"_TR Goal 1", "_TR Goal 2"}
	first = rows["_TR Goal 1"]
	assert (first.pairings, first.rated, first.average_progress, first.level_3, first.level_5) == (
		2,
		2,
		4.0,
		1,
		1,
	)
	assert (rows["_TR Goal 2"].rated, rows["_TR Goal 2"].average_progress) == (1, 2.0)


def test_closure_reasons_with_who_initiated_the_final_rating_and_tutors_available_again():
	build_pairings()
	data, _chart, _summary = run("Closure Reasons")
	outcomes = {
		row.reason: (
			row.initiated_by_tutor,
			row.initiated_by_beneficiary,
			row.initiated_by_both,
			row.initiated_by_ciac,
			row.average_final_rating,
			row.tutors_available_again,
		)
		for row in data
	}
	assert outcomes == {MOVED: (1, 1, 0, 0, 3.5, 1), JOB: (0, 1, 0, 0, 1.0, 1)}


def test_goal_ratings_from_start_to_closure():
	build_pairings()
	data, chart, _summary = run("Goals at Closure")
	rows = {
		row.goal: (
			row.pairings,
			row.average_at_start,
			row.average_at_closure,
			row.rated_both,
			row.average_change,
			row.improved,
		)
		for row in data
	}
	assert rows == {
		"_TR Goal 1": (3, 1.3, 2.7, 3, 1.3, 2),
		"_TR Goal 2": (2, 2.0, 3.5, 1, 0.0, 0),
	}
	assert chart["data"]["datasets"][1]["values"] == [2.7, 3.5]
	# a closure outside the date range is left out
	data, _chart, _summary = run("Goals at Closure", from_date="2026-03-01")
	assert {row.goal: row.pairings for row in data} == {"_TR Goal 1": 2, "_TR Goal 2": 2}
