"""Scheduled monitoring of the programme's commitments: compliance status and reminders.

`compliance` sets every Active pairing's status in a constant number of statements,
`reminders` decides who is nudged (once per key, see Tutoring Reminder Log), `mailer`
queues the emails in bulk from the admin-editable Email Templates of `email_templates`.
"""
