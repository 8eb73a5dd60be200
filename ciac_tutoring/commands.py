"""The app's bench commands (Frappe reads `commands` from `<app>.commands`)."""

import click
from frappe.commands import get_site, pass_context


@click.command("rebuild-contact-months")
@pass_context
def rebuild_contact_months(context):
	"""Recount Contact Activity's rollup (Contact Month) from every Contact Log: after contacts were
	written without their controller (an import in SQL, a restored table)."""
	import frappe

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		# Imported once the site is bound: the app's modules build queries at import.
		from ciac_tutoring.monitoring.doctype.contact_month.contact_month import rebuild

		rows = rebuild()
		frappe.db.commit()
		click.echo(f"{site}: {rows} Contact Month rows")
	finally:
		frappe.destroy()


commands = [rebuild_contact_months]
