from ciac_tutoring.activation.report.tutor_pipeline import tutor_pipeline
from ciac_tutoring.activation.report.tutor_pipeline.tutor_pipeline import execute
from ciac_tutoring.tutoring.report.report_test_data import TOWN, tutor_row

AS_OF = "2026-06-30"


def change(from_phase, to_phase, changed_on, days):
	return {
		"from_phase": from_phase,
		"to_phase": to_phase,
		"changed_on": f"{changed_on} 10:00:00",
		"days_in_previous_phase": days,
	}


def build_tutors():
	created = change("", "Availability Notified", "2026-01-01", 0)
	tutor_row(
		"_TR-TUT-1",
		"Interview",
		phase_changed_on="2026-06-20 10:00:00",
		phase_history=[created, change("Availability Notified", "Interview", "2026-06-20", 5)],
	)
	tutor_row(
		"_TR-TUT-2",
		"Training",
		phase_changed_on="2026-06-10 10:00:00",
		phase_history=[
			created,
			change("Availability Notified", "Interview", "2026-05-20", 3),
			change("Interview", "Training", "2026-06-10", 21),
		],
	)
	tutor_row(
		"_TR-TUT-3",
		"Withdrawn",
		phase_changed_on="2026-06-15 10:00:00",
		phase_history=[
			change("Availability Notified", "Interview", "2026-05-01", 7),
			change("Interview", "Withdrawn", "2026-06-15", 45),
		],
	)
	tutor_row(
		"_TR-TUT-4",
		"Not Suitable",
		phase_changed_on="2026-04-03 10:00:00",
		phase_history=[
			change("Availability Notified", "Interview", "2026-04-01", 10),
			change("Interview", "Not Suitable", "2026-04-03", 2),
		],
	)
	tutor_row(
		"_TR-TUT-5",
		"Training",
		municipality="_Test Elsewhere",
		phase_changed_on="2026-06-01 10:00:00",
		phase_history=[change("Availability Notified", "Interview", "2026-05-01", 100)],
	)


def run(**filters):
	_columns, data, _message, chart, summary = execute({"municipality": TOWN, "as_of_date": AS_OF, **filters})
	return {row.phase_name: row for row in data}, chart, summary


def test_tutors_now_median_longest_and_drop_outs_per_phase():
	build_tutors()
	rows, chart, summary = run()

	assert [rows[p].tutors_now for p in ("Interview", "Training", "Withdrawn", "Not Suitable")] == [
		1,
		1,
		1,
		1,
	]
	assert rows["Training"].longest_current_days == 20
	notified = rows["Availability Notified"]
	assert (notified.left_phase, notified.median_days, notified.longest_days, notified.dropped_out) == (
		4,
		6.0,
		10,
		0,
	)
	interview = rows["Interview"]
	assert (interview.left_phase, interview.median_days, interview.longest_days) == (3, 21.0, 45)
	assert (interview.dropped_out, interview.drop_out_rate) == (2, 66.7)
	assert rows["Presentation"].left_phase == 0 and rows["Presentation"].median_days is None
	assert [row["value"] for row in summary] == [4, 2, 0, 2]
	assert chart["data"]["datasets"][0]["values"] == [0, 1, 1, 0, 0, 0]


def test_date_range_limits_the_phase_changes_counted():
	build_tutors()
	rows, _chart, _summary = run(from_date="2026-05-01", to_date="2026-06-15")
	assert (rows["Availability Notified"].left_phase, rows["Availability Notified"].median_days) == (2, 5.0)
	assert (rows["Interview"].left_phase, rows["Interview"].dropped_out) == (2, 1)


def test_municipality_filter_keeps_other_towns_out():
	build_tutors()
	rows, _chart, _summary = run(municipality="_Test Elsewhere")
	assert rows["Training"].tutors_now == 1
	assert rows["Availability Notified"].longest_days == 100
	assert rows["Interview"].tutors_now == 0


def test_without_tutor_filters_every_tutors_history_counts():
	before, _chart, _summary = run(municipality=None)
	build_tutors()
	after, _chart, _summary = run(municipality=None)
	assert after["Availability Notified"].left_phase - before["Availability Notified"].left_phase == 5
	assert after["Interview"].dropped_out - before["Interview"].dropped_out == 2


def test_the_median_from_counts_is_mariadbs_median():
	assert tutor_pipeline.median_of_counts([]) is None
	assert tutor_pipeline.median_of_counts([(7, 1)]) == 7
	assert tutor_pipeline.median_of_counts([(30, 2), (10, 1)]) == 30  # 10 30 30
	assert tutor_pipeline.median_of_counts([(4, 1), (10, 1), (1, 2)]) == 2.5  # 1 1 4 10
	assert tutor_pipeline.median_of_counts([(5, 3), (9, 3)]) == 7  # 5 5 5 9 9 9
