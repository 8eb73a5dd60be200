"""Fixtures for browser tests: headless Chromium pages against the `site_server`.

    @pytest.mark.browser
    def test_something(site_server, browser_page, make_user):
        user = make_user("someone@example.com", roles=["CIAC Coordinator"])
        login(browser_page, site_server.url, user.email, user.password)

`browser_page` fails the test on any uncaught exception, console error or 5xx response of
the page (see browser.ConsoleWatch; `browser_page.console.ignore(regex)` accepts an expected
one), and saves a screenshot of the page in test-artifacts/ when the test fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import frappe
import pytest

from ciac_tutoring.tests import factory
from ciac_tutoring.tests.browser.browser import (
	CHROMIUM_ARGS,
	COORDINATOR,
	ConsoleWatch,
	api_login,
	chromium_path,
	delete_user,
	screenshot,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	"""Keep each phase's report on the test, for the screenshot-on-failure below."""
	outcome = yield
	report = outcome.get_result()
	setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
	executable = chromium_path()
	if not executable:
		pytest.skip("Chromium is not installed (Debian/Ubuntu: apt-get install chromium)")
	sync_api = pytest.importorskip("playwright.sync_api")
	with sync_api.sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
		yield browser
		browser.close()


@pytest.fixture(scope="session")
def desk_bundles():
	"""The desk's JS/CSS, built by dev/build_assets.py, on a site past the setup wizard."""
	from ciac_tutoring.setup.desk import complete_setup_wizard

	complete_setup_wizard()
	frappe.db.commit()
	assets_json = Path(frappe.utils.get_bench_path()) / "sites" / "assets" / "assets.json"
	built = assets_json.exists() and "desk.bundle.js" in frappe.parse_json(assets_json.read_text())
	if not built:
		if os.environ.get("CIAC_SKIP_ASSETS") == "1":
			pytest.skip("the desk's bundles are not built (CIAC_SKIP_ASSETS=1)")
		pytest.fail(f"the desk's bundles are not built ({assets_json}): run python3 dev/build_assets.py")


@pytest.fixture
def browser_page(request, chromium):
	"""A fresh page (own cookies) whose console is watched; fails the test on severe errors."""
	context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
	context.set_default_timeout(30_000)
	page = context.new_page()
	page.console = ConsoleWatch()
	page.console.attach(page)
	yield page
	report = getattr(request.node, "report_call", None)
	if report is None or report.failed:
		try:
			screenshot(page, f"FAILED-{request.node.name}")
		except Exception:  # a crashed page has no screenshot to give
			pass
	errors = page.console.take()
	context.close()
	if errors and report is not None and report.passed:
		pytest.fail("severe errors in the browser:\n  " + "\n  ".join(errors), pytrace=False)


@dataclass
class TestUser:
	email: str
	password: str


@pytest.fixture
def make_user():
	"""Create committed users for the server to log in (it reads the database in its own
	connections), and delete them after the test."""
	created = []

	def make(email: str, roles: list[str], first_name: str = "Test", password: str = "Br0wser-Test-Pass!"):
		delete_user(email)  # left over by an interrupted run
		user = factory.make_user(
			email, first_name=first_name, roles=tuple(roles), language="en", new_password=password
		)
		frappe.db.commit()
		created.append(user.name)
		return TestUser(user.name, password)

	yield make
	frappe.db.rollback()
	for name in created:
		delete_user(name)
	frappe.db.commit()


@pytest.fixture
def coordinator_page(site_server, desk_bundles, browser_page, make_user):
	"""A page logged in as a fresh CIAC Coordinator; the desk boots on the test's first route."""
	coordinator = make_user(COORDINATOR, roles=["CIAC Coordinator"], first_name="Chiara")
	api_login(browser_page, site_server.url, coordinator.email, coordinator.password)
	return browser_page


@pytest.fixture
def committed_docs():
	"""Documents the server must see (so committed), deleted after the test, last made first."""
	created: list[tuple[str, str]] = []
	yield created
	frappe.db.rollback()
	for doctype, name in reversed(created):
		if doctype == "User":
			delete_user(name)
		elif frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


@pytest.fixture
def phone(chromium):
	"""A cheap phone (360 px) whose browser speaks Arabic: the beneficiary's check-in page."""
	context = chromium.new_context(
		viewport={"width": 360, "height": 740}, locale="ar", is_mobile=True, has_touch=True
	)
	page = context.new_page()
	page.console = ConsoleWatch()
	page.console.attach(page)
	yield page
	errors = page.console.take()
	context.close()
	assert not errors, errors
