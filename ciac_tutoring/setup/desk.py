"""The desk of a development site: Frappe's setup wizard marked done, the country's formats taken.

A site made by `new-site` has not run the setup wizard, so the desk sends every user to it,
and staff (who may not open it) get "No read permission for Page Setup Wizard" instead of
their workspace. The demo and the browser tests use a site nobody set up by hand.
"""

import frappe
from frappe.geo.country_info import get_country_info
from frappe.utils import cint


def complete_setup_wizard() -> None:
	"""What the wizard's last step does, with CIAC's regional settings; idempotent."""
	if cint(frappe.db.get_single_value("System Settings", "setup_complete")):
		return
	settings = frappe.get_single("System Settings")
	if not settings.country and frappe.db.exists("Country", "Italy"):
		settings.country = "Italy"
	settings.time_zone = settings.time_zone or "Europe/Rome"
	settings.setup_complete = 1
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	frappe.db.set_default("desktop:home_page", "workspace")
	frappe.clear_cache()


def use_the_countrys_formats() -> None:
	"""The dates, times, numbers and currency the setup wizard takes from the country
	(`update_system_settings`): on CIAC's bench a date reads 06/12/2026 and an amount € 1.234,50,
	so the demo's do too. Set only while the wizard's currency is unset, so an admin's choice stays."""
	settings = frappe.get_single("System Settings")
	if settings.currency or not settings.country:
		return
	country = get_country_info(settings.country)
	number_format = country.get("number_format") or settings.number_format
	# The wizard's mend: a currency's format without decimals is no format for hours.
	number_format = {"#.###": "#.###,##", "#,###": "#,###.##"}.get(number_format, number_format)
	date_format, time_format = frappe.db.get_value(
		"Country", settings.country, ["date_format", "time_format"]
	) or (None, None)
	settings.update(
		{
			"currency": country.get("currency"),
			"number_format": number_format,
			"date_format": date_format or settings.date_format,
			"time_format": time_format or settings.time_format,
		}
	)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	forget_the_formats_read()


def forget_the_formats_read() -> None:
	"""Frappe keeps the date and time formats it read in `frappe.local` for the whole process (a
	demo load, a test worker): read them again."""
	frappe.local.user_date_format = frappe.local.user_time_format = None


def name_the_site() -> None:
	"""The login page says "Login to CIAC Tutoring", not "Login to Frappe": the name is set in
	Website Settings only while it is empty, so an admin's own name stays."""
	if not frappe.db.get_single_value("Website Settings", "app_name"):
		frappe.db.set_single_value("Website Settings", "app_name", frappe.get_hooks("app_title")[-1])
