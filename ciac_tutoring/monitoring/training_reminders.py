"""Training reminders: every tutor registered to a Planned session hears the day before, once
(key training_reminder:<session>:<tutor>)."""

import frappe
from frappe.utils import add_days, format_datetime, getdate

from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder, queue_reminders
from ciac_tutoring.monitoring.reminder_parts import format_date_and_time, notice
from ciac_tutoring.tutoring.vocabulary import TRAINING_REMINDER


def send_training_reminders(today=None) -> int:
	"""Remind every tutor registered to a Planned session that starts tomorrow."""
	tomorrow = add_days(getdate(today or frappe.utils.today()), 1)
	rows = frappe.db.sql(
		"""
		SELECT s.name AS session, s.title, s.starts_on, s.ends_on, s.location, s.online_link,
			a.tutor, t.tutor_name, t.email, u.language
		FROM `tabTraining Session` s
		JOIN `tabTraining Attendance` a ON a.parent = s.name AND a.parenttype = 'Training Session'
			AND a.parentfield = 'attendees'
		JOIN `tabTutor` t ON t.name = a.tutor
		LEFT JOIN `tabUser` u ON u.name = t.user
		WHERE s.status = 'Planned' AND DATE(s.starts_on) = %(tomorrow)s AND a.attendance = 'Registered'
		ORDER BY s.name, a.idx
		""",
		{"tomorrow": tomorrow},
		as_dict=True,
	)
	if not rows:
		return 0
	renderer = TemplateRenderer()
	reminders = []
	for row in rows:
		language = renderer.language_for(row.language)
		content = renderer.prepare(
			"training_reminder",
			language,
			{
				"tutor_name": row.tutor_name,
				"title": row.title,
				"starts_on": format_date_and_time(row.starts_on),
				"ends_on": format_datetime(row.ends_on, "HH:mm") if row.ends_on else "",
				"location": row.location,
				"online_link": row.online_link,
			},
		)
		reminders.append(
			Reminder(
				key=f"training_reminder:{row.session}:{row.tutor}",
				rule=TRAINING_REMINDER,
				recipient=row.email,
				email=content,
				message=notice(
					renderer,
					TRAINING_REMINDER,
					language,
					row.title,
					format_date_and_time(row.starts_on),
				),
				period=str(tomorrow),
				tutor=row.tutor,
				reference_doctype="Training Session",
				reference_name=row.session,
			)
		)
	return len(queue_reminders(reminders))
