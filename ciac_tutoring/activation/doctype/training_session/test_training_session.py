# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, add_to_date, now_datetime

from ciac_tutoring.activation.doctype.training_session.training_session import TrainingCapacityError


def make_training_session(**kwargs):
	"""A two-hour session that took place yesterday; any field can be overridden."""
	starts_on = add_to_date(now_datetime(), days=-1)
	values = {
		"doctype": "Training Session",
		"title": "Test training",
		"starts_on": starts_on,
		"ends_on": add_to_date(starts_on, hours=2),
		"status": "Planned",
	}
	values.update(kwargs)
	return frappe.get_doc(values).insert()


def training_hours(tutor):
	return frappe.db.get_value("Tutor", tutor, "training_hours")


def test_end_after_start():
	starts_on = now_datetime()
	with pytest.raises(frappe.ValidationError, match="end after it starts"):
		make_training_session(starts_on=starts_on, ends_on=add_to_date(starts_on, hours=-1))


def test_cannot_be_held_before_it_starts():
	starts_on = add_to_date(now_datetime(), days=2)
	with pytest.raises(frappe.ValidationError, match="before it starts"):
		make_training_session(starts_on=starts_on, ends_on=add_to_date(starts_on, hours=2), status="Held")


def test_capacity_and_one_row_per_tutor():
	from ciac_tutoring.tests.factory import make_tutor

	a, b = make_tutor(), make_tutor()
	with pytest.raises(TrainingCapacityError):
		make_training_session(capacity=1, attendees=[{"tutor": a.name}, {"tutor": b.name}])
	with pytest.raises(frappe.ValidationError, match="already registered"):
		make_training_session(attendees=[{"tutor": a.name}, {"tutor": a.name}])
	assert make_training_session(capacity=2, attendees=[{"tutor": a.name}, {"tutor": b.name}])


def test_held_adds_attended_hours_and_unmarking_takes_them_back():
	from ciac_tutoring.tests.factory import make_tutor

	a, b, c = make_tutor(), make_tutor(), make_tutor()
	session = make_training_session(
		attendees=[
			{"tutor": a.name, "attendance": "Attended"},  # hours default to the session's 2
			{"tutor": b.name, "attendance": "Attended", "hours": 1.5},
			{"tutor": c.name, "attendance": "Absent"},
		]
	)
	assert session.attendees[0].hours == 2
	assert (training_hours(a.name), training_hours(b.name)) == (0, 0)

	session.status = "Held"
	session.save()
	assert (training_hours(a.name), training_hours(b.name), training_hours(c.name)) == (2, 1.5, 0)

	other = make_training_session(
		status="Held", attendees=[{"tutor": a.name, "attendance": "Attended", "hours": 3}]
	)
	assert training_hours(a.name) == 5

	session.status = "Planned"
	session.save()
	assert (training_hours(a.name), training_hours(b.name)) == (3, 0)

	# removing a tutor's row and deleting a session take their hours back too
	other.attendees = []
	other.save()
	assert training_hours(a.name) == 0
	session.status = "Held"
	session.save()
	frappe.delete_doc("Training Session", session.name)
	assert (training_hours(a.name), training_hours(b.name)) == (0, 0)


def test_registered_on_defaults_to_today():
	from ciac_tutoring.tests.factory import make_tutor

	session = make_training_session(attendees=[{"tutor": make_tutor().name}])
	assert str(session.attendees[0].registered_on) == str(add_days(now_datetime().date(), 0))
