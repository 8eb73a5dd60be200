import pytest

from ciac_tutoring.tests.browser.browser import login, screenshot, wait_for_desk

COORDINATOR = "browser.coordinator@ciac.example"


@pytest.mark.browser
def test_coordinator_logs_in_and_the_desk_boots(site_server, desk_bundles, browser_page, make_user):
	coordinator = make_user(COORDINATOR, roles=["CIAC Coordinator"], first_name="Chiara")
	page = browser_page
	login(page, site_server.url, coordinator.email, coordinator.password)
	wait_for_desk(page)
	screenshot(page, "desk-home")
	assert page.evaluate("frappe.session.user") == COORDINATOR
