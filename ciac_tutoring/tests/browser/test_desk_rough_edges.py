"""The desk's rough edges, in headless Chromium: each report runs once when it opens, and the portal
fields' setting offers the fields a form can show."""

import frappe
import pytest

from ciac_tutoring.tests.browser.browser import api_login, screenshot, wait_for_desk
from ciac_tutoring.tests.browser.test_staff_journey import navigate
from ciac_tutoring.tests.browser.test_staff_journey import wait_for_report as wait_for_report_drawn
from ciac_tutoring.tests.test_portal_fields import YEARS_LABEL, admin_fields  # noqa: F401 (fixture)
from ciac_tutoring.tests.utils import PROGRAMME_MODULES

pytestmark = pytest.mark.browser

MANAGER = "browser.manager@ciac.example"
RUN = "frappe.desk.query_report.run"


def reports() -> list[str]:
	return sorted(
		frappe.get_all("Report", {"module": ("in", PROGRAMME_MODULES), "disabled": 0}, pluck="name")
	)


@pytest.fixture
def manager_page(site_server, desk_bundles, browser_page, make_user):
	manager = make_user(MANAGER, roles=["CIAC Manager"], first_name="Marta")
	api_login(browser_page, site_server.url, manager.email, manager.password)
	return browser_page


def test_each_report_runs_once_on_open(site_server, manager_page):
	page = manager_page
	runs: list[str] = []
	page.on("request", lambda request: runs.append(request.url) if RUN in request.url else None)
	counted = {}
	for report in reports():
		runs.clear()
		navigate(page, site_server, f"query-report/{report}")
		wait_for_report_drawn(page, report)
		page.wait_for_timeout(1500)  # the second run, when there was one, started within this
		counted[report] = len(runs)
		screenshot(page, f"report-{report}")
	# Matching Candidates waits for its required beneficiary; every other report runs exactly once.
	expected = {report: 0 if report == "Matching Candidates" else 1 for report in counted}
	assert counted == expected

	# A date the coordinator changes still runs it, once (Tutor Pipeline has a To Date filter).
	page.goto(f"{site_server.url}/app/query-report/Tutor Pipeline")
	wait_for_report(page)
	runs.clear()
	page.evaluate(
		"() => frappe.query_report.set_filter_value('to_date', frappe.datetime.add_days(frappe.datetime.get_today(), 3))"
	)
	wait_for_report(page)
	assert len(runs) == 1


def wait_for_report(page) -> None:
	wait_for_desk(page)
	page.wait_for_timeout(1500)  # the second run, when there was one, started within this


def test_the_portal_field_setting_offers_the_fields_of_the_form(site_server, manager_page, admin_fields):  # noqa: F811
	page = manager_page
	page.goto(f"{site_server.url}/app/tutoring-settings")
	wait_for_desk(page)
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'Tutoring Settings'")
	page.evaluate(
		"""() => {
			const row = cur_frm.add_child("portal_fields", { form: "Become a tutor" });
			cur_frm.refresh_field("portal_fields");
			cur_frm.fields_dict.portal_fields.grid.grid_rows_by_docname[row.name].toggle_view(true);
		}"""
	)
	field = page.locator('.grid-row-open .frappe-control[data-fieldname="fieldname"] input')
	field.click()
	option = page.locator(".grid-row-open .awesomplete li", has_text=YEARS_LABEL)
	option.wait_for(state="visible")
	assert not page.locator(".grid-row-open .awesomplete li", has_text="Interview Notes").count()
	option.click()
	assert page.evaluate("() => cur_frm.doc.portal_fields.at(-1).fieldname") == admin_fields.years
	screenshot(page, "tutoring-settings-portal-field")


CUSTOMISING_SCREENS = [
	("customize-form?doc_type=Tutor", "Customize Form"),
	("workflow/Tutor Activation", "Workflow"),
	("print-format/Tutoring Agreement", "Print Format"),
	("notification/new", "Notification"),
	("email-template/new", "Email Template"),
	("data-import/new", "Data Import"),
]


def test_a_manager_opens_the_customising_screens_in_the_desk(site_server, manager_page):
	"""One after the other in one desk, as a manager goes through them."""
	page = manager_page
	for route, doctype in CUSTOMISING_SCREENS:
		if "?" in route:  # a route with a query is loaded, not routed
			page.goto(f"{site_server.url}/app/{route}")
			wait_for_desk(page)
		else:
			navigate(page, site_server, route)
		page.wait_for_function(
			"(doctype) => window.cur_frm && cur_frm.doctype === doctype", arg=doctype, timeout=20_000
		)
		if doctype == "Customize Form":
			page.wait_for_function("() => cur_frm.doc.doc_type === 'Tutor' && cur_frm.doc.fields.length > 10")
		assert not page.locator(
			".page-container:visible .not-found, .page-container:visible .msg-box"
		).count(), f"{route} shows nothing"
		screenshot(page, f"customising-{doctype}")
