# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

"""The tutors in phase 5 or 6 who have not been present at a Held group supervision meeting for N
months (the filter, else Tutoring Settings' supervision_months), with the next meeting they are
invited to."""

import frappe
from frappe import _
from frappe.utils import add_months, cint, getdate, today

from ciac_tutoring.supervision.invitations import INVITED_PHASES
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings


def execute(filters=None):
	filters = frappe._dict(filters or {})
	months = cint(filters.months) if cint(filters.months) > 0 else get_settings().supervision_months
	return columns(), rows(max(months, 1))


def columns() -> list[dict]:
	return [
		{"fieldname": "tutor", "label": _("Tutor"), "fieldtype": "Link", "options": "Tutor", "width": 120},
		{"fieldname": "tutor_name", "label": _("Tutor Name"), "fieldtype": "Data", "width": 200},
		{"fieldname": "phase", "label": _("Phase"), "fieldtype": "Data", "width": 140},
		{"fieldname": "last_attended", "label": _("Last Attended"), "fieldtype": "Date", "width": 120},
		{
			"fieldname": "next_meeting",
			"label": _("Next Meeting"),
			"fieldtype": "Link",
			"options": "Supervision Meeting",
			"width": 140,
		},
		{
			"fieldname": "next_meeting_on",
			"label": _("Next Meeting On"),
			"fieldtype": "Datetime",
			"width": 160,
		},
		{"fieldname": "registered", "label": _("Registered"), "fieldtype": "Check", "width": 100},
	]


def rows(months: int, on=None) -> list[dict]:
	"""One query: each tutor's last presence and next invitation, kept when the presence is older
	than `months` (or never)."""
	since = add_months(getdate(on or today()), -months)
	data = frappe.db.sql(
		"""
		SELECT t.name AS tutor, t.tutor_name, t.workflow_state AS phase, last.attended AS last_attended,
			next.meeting AS next_meeting, next.starts_on AS next_meeting_on, next.registered
		FROM `tabTutor` t
		LEFT JOIN (
			SELECT a.tutor, MAX(DATE(m.starts_on)) AS attended
			FROM `tabSupervision Attendee` a
			JOIN `tabSupervision Meeting` m ON m.name = a.parent AND m.status = 'Held'
			WHERE a.parenttype = 'Supervision Meeting' AND a.parentfield = 'attendees' AND a.present = 1
			GROUP BY a.tutor
		) last ON last.tutor = t.name
		LEFT JOIN (
			SELECT a.tutor, m.name AS meeting, m.starts_on, a.registered,
				ROW_NUMBER() OVER (PARTITION BY a.tutor ORDER BY m.starts_on) AS n
			FROM `tabSupervision Attendee` a
			JOIN `tabSupervision Meeting` m ON m.name = a.parent AND m.status = 'Planned'
				AND m.starts_on >= %(today)s
			WHERE a.parenttype = 'Supervision Meeting' AND a.parentfield = 'attendees'
		) next ON next.tutor = t.name AND next.n = 1
		WHERE t.workflow_state IN %(phases)s AND (last.attended IS NULL OR last.attended < %(since)s)
		ORDER BY last.attended IS NOT NULL, last.attended, t.tutor_name
		""",
		{"phases": INVITED_PHASES, "since": since, "today": getdate(on or today())},
		as_dict=True,
	)
	for row in data:
		row.phase = _(row.phase)
	return data
