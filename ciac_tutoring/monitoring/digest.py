"""The coordinators' weekly digest: what they must act on, once per coordinator and ISO week
(key weekly_digest:<email>:<ISO week>)."""

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, get_url_to_form, getdate

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import TemplateRenderer
from ciac_tutoring.monitoring.mailer import Reminder, queue_reminders
from ciac_tutoring.monitoring.reminder_parts import get_coordinator_recipients, iso_week, notice
from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import expiring_permits, permit_window
from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.vocabulary import WEEKLY_DIGEST


def send_weekly_digest(today=None) -> int:
	settings = get_settings()
	if not settings.send_weekly_digest:
		return 0
	today = getdate(today or frappe.utils.today())
	recipients = get_coordinator_recipients(settings)
	if not recipients:
		return 0
	context = get_digest_context(today, settings)
	renderer = TemplateRenderer()
	period = iso_week(today)
	reminders = []
	for email, user_language in recipients:
		language = renderer.language_for(user_language)
		content = renderer.prepare("weekly_digest", language, _localised_digest(context, language))
		digest_notice = notice(renderer, WEEKLY_DIGEST, language, period)
		reminders.append(
			Reminder(
				key=f"weekly_digest:{email}:{period}",
				rule=WEEKLY_DIGEST,
				recipient=email,
				email=content,
				message=digest_notice,
				period=period,
			)
		)
	return len(queue_reminders(reminders))


@frappe.read_only()
def get_digest_context(today, settings) -> dict:
	"""The digest's five lists, one query each: on the read replica where the site has one (they
	decide nothing the job writes; a list a few seconds old is fine in a weekly email)."""
	values = compliance.sql_values(today, settings)
	values.update(
		waiting_since=add_days(today, -settings.interview_waiting_days),
		ending_until=add_days(today, settings.pairing_ending_window_days),
		monitoring_until=add_days(today, 7),
	)
	overdue = frappe.db.sql(
		"""
		SELECT name, tutor_name, beneficiary_name, late_commitments
		FROM `tabPairing` WHERE status = 'Active' AND compliance_status = 'Overdue' ORDER BY name
		""",
		as_dict=True,
	)
	waiting = frappe.db.sql(
		"""
		SELECT name, tutor_name, COALESCE(phase_changed_on, creation) AS since
		FROM `tabTutor`
		WHERE workflow_state = 'Availability Notified' AND COALESCE(phase_changed_on, creation) < %(waiting_since)s
		ORDER BY since
		""",
		values,
		as_dict=True,
	)
	monitoring_due = frappe.db.sql(
		f"""
		SELECT p.name, p.tutor_name, p.beneficiary_name, {compliance.due_date_sql(compliance.MONITORING)} AS due_date
		FROM `tabPairing` p
		WHERE p.status = 'Active' AND {compliance.due_date_sql(compliance.MONITORING)} <= %(monitoring_until)s
		ORDER BY due_date
		""",
		values,
		as_dict=True,
	)
	permits = expiring_permits(*permit_window(today, settings.permit_expiry_window_days))
	ending = frappe.db.sql(
		"""
		SELECT name, tutor_name, beneficiary_name, planned_end_date
		FROM `tabPairing`
		WHERE status = 'Active' AND planned_end_date BETWEEN %(today)s AND %(ending_until)s
		ORDER BY planned_end_date
		""",
		values,
		as_dict=True,
	)
	return {
		"week": iso_week(today),
		"interview_waiting_days": settings.interview_waiting_days,
		"permit_expiry_window_days": settings.permit_expiry_window_days,
		"pairing_ending_window_days": settings.pairing_ending_window_days,
		"overdue_pairings": overdue,
		"waiting_tutors": waiting,
		"monitoring_due": monitoring_due,
		"expiring_permits": permits,
		"ending_pairings": ending,
	}


def _localised_digest(context: dict, language: str) -> dict:
	def late(text):
		return ", ".join(_(line, language) for line in (text or "").splitlines() if line)

	return {
		**context,
		"overdue_pairings": [
			{**p, "url": get_url_to_form("Pairing", p.name), "late": late(p.late_commitments)}
			for p in context["overdue_pairings"]
		],
		"waiting_tutors": [
			{**t, "url": get_url_to_form("Tutor", t.name), "since": formatdate(t.since)}
			for t in context["waiting_tutors"]
		],
		"monitoring_due": [
			{**p, "url": get_url_to_form("Pairing", p.name), "due_date": formatdate(p.due_date)}
			for p in context["monitoring_due"]
		],
		"expiring_permits": [
			{
				**b,
				"url": get_url_to_form("Beneficiary", b.name),
				"expiry": formatdate(b.residence_permit_expiry),
			}
			for b in context["expiring_permits"]
		],
		"ending_pairings": [
			{
				**p,
				"url": get_url_to_form("Pairing", p.name),
				"planned_end_date": formatdate(p.planned_end_date),
			}
			for p in context["ending_pairings"]
		],
	}
