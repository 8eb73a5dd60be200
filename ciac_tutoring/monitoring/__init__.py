"""Scheduled monitoring of the programme's commitments: compliance status and reminders.

The daily job stores every pairing's compliance with the programme's one commitment rule
(`ciac_tutoring.monitoring.compliance`), `reminders` decides who is nudged (once per key, see
Tutoring Reminder Log), `mailer` sends their emails through `frappe.sendmail` in the background,
from the admin-editable Email Templates of `email_templates`.
"""
