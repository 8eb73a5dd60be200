from ciac_tutoring.activation.report.training_attendance.training_attendance import execute
from ciac_tutoring.tutoring.report.report_test_data import TOWN, insert_raw, make_settings, tutor_row

TOPIC = "_TR Topic"
YEAR_2026 = {"from_date": "2026-01-01", "to_date": "2026-12-31"}


def session(name, starts_on, status, attendees):
	return insert_raw(
		"Training Session",
		name,
		title=f"Session {name}",
		topic=TOPIC,
		starts_on=starts_on,
		ends_on=starts_on.replace("09:00", "13:00"),
		status=status,
		capacity=10,
		attendees=[
			{"tutor": tutor, "tutor_name": f"Tutor {tutor}", "attendance": attendance, "hours": hours}
			for tutor, attendance, hours in attendees
		],
	)


def build_sessions():
	make_settings(minimum_training_hours=8)
	for index in range(1, 5):
		tutor_row(f"_TR-TUT-{index}", "Training")
	tutor_row("_TR-TUT-5", "Training")  # in training, never registered
	tutor_row("_TR-TUT-6", "Tutoring Started")  # past training, never registered: not listed
	session(
		"_TR-TRN-1",
		"2026-03-01 09:00:00",
		"Held",
		[
			("_TR-TUT-1", "Attended", 3),
			("_TR-TUT-2", "Attended", 3),
			("_TR-TUT-3", "Absent", 0),
			("_TR-TUT-4", "Excused", 0),
		],
	)
	session(
		"_TR-TRN-2", "2026-04-01 09:00:00", "Held", [("_TR-TUT-1", "Attended", 4), ("_TR-TUT-2", "Absent", 0)]
	)
	session(
		"_TR-TRN-3",
		"2026-07-10 09:00:00",
		"Planned",
		[("_TR-TUT-1", "Registered", 0), ("_TR-TUT-2", "Registered", 0)],
	)
	session("_TR-TRN-4", "2025-01-01 09:00:00", "Held", [("_TR-TUT-2", "Attended", 5)])


def sessions(**filters):
	_columns, data, _message, chart, summary = execute({"view": "Sessions", "topic": TOPIC, **filters})
	return {row.session: row for row in data}, chart, summary


def tutors(**filters):
	_columns, data, _message, _chart, summary = execute({"view": "Tutors", "municipality": TOWN, **filters})
	return {row.tutor: row for row in data}, summary


def test_sessions_count_registered_attended_absent_and_excused():
	build_sessions()
	rows, chart, summary = sessions(**YEAR_2026)
	assert set(rows) == {"_TR-TRN-1", "_TR-TRN-2", "_TR-TRN-3"}
	first = rows["_TR-TRN-1"]
	assert (first.registered, first.attended, first.absent, first.excused) == (4, 2, 1, 1)
	assert (first.attendance_rate, first.hours_attended) == (50.0, 6.0)
	assert (rows["_TR-TRN-3"].registered, rows["_TR-TRN-3"].attended) == (2, 0)
	assert {item["label"]: item["value"] for item in summary} == {
		"Sessions": 3,
		"Registered": 8,
		"Attended": 3,
		"Absent": 2,
		"Attendance Rate %": 37.5,
	}
	assert chart["data"]["datasets"][0]["values"] == [2, 1, 0]


def test_session_filters_by_status_and_dates():
	build_sessions()
	assert set(sessions(status="Held")[0]) == {"_TR-TRN-1", "_TR-TRN-2", "_TR-TRN-4"}
	assert set(sessions(from_date="2026-04-01", to_date="2026-04-01")[0]) == {"_TR-TRN-2"}


def test_tutor_hours_against_the_minimum_count_only_held_sessions_in_the_range():
	build_sessions()
	rows, summary = tutors(**YEAR_2026)
	assert set(rows) == {"_TR-TUT-1", "_TR-TUT-2", "_TR-TUT-3", "_TR-TUT-4", "_TR-TUT-5"}
	t1, t2 = rows["_TR-TUT-1"], rows["_TR-TUT-2"]
	assert (t1.registered, t1.attended, t1.hours_attended, t1.hours_missing, t1.reached) == (
		3,
		2,
		7.0,
		1.0,
		False,
	)
	assert (t2.registered, t2.attended, t2.absent, t2.hours_attended, t2.hours_missing) == (3, 1, 1, 3.0, 5.0)
	assert (rows["_TR-TUT-5"].registered, rows["_TR-TUT-5"].hours_missing) == (0, 8.0)
	assert {item["label"]: item["value"] for item in summary}["Below Minimum"] == 5


def test_without_a_date_range_older_hours_count_and_reach_the_minimum():
	build_sessions()
	rows, _summary = tutors()
	assert (rows["_TR-TUT-2"].hours_attended, rows["_TR-TUT-2"].reached) == (8.0, True)
	assert "_TR-TUT-2" not in tutors(below_minimum=1)[0]
