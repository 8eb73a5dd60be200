"""Tutoring Reminder Log no longer keeps each email's rendered HTML (`email_html`): it keeps the
template's values (`email_context`) and Frappe's Email Queue keeps what was sent. Frappe's model sync
leaves a removed column in place; this one held personal data that erasure would no longer reach."""

import frappe


def execute():
	frappe.db.sql_ddl("ALTER TABLE `tabTutoring Reminder Log` DROP COLUMN IF EXISTS `email_html`")
