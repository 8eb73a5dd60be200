"""Run Frappe tests with plain pytest (Frappe v15 ships no pytest plugin).

Loaded by `addopts = -p ciac_tutoring.tests.pytest_plugin` in pyproject.toml. It connects
to the site named by $CIAC_SITE (default `test.localhost`) in the bench that holds the
imported Frappe, so both `FrappeTestCase` classes and plain test functions run against
a real site. Plain test functions are rolled back after each test; tests whose code
commits (HTTP and browser tests) clean up after themselves.
"""

import os
from pathlib import Path

import pytest


def _sites_path() -> Path:
	from frappe.utils import get_bench_path

	return Path(os.environ.get("CIAC_SITES_PATH") or Path(get_bench_path()) / "sites").resolve()


# True when pytest runs inside Frappe's own test runner (tests/test_pytest_suite.py), which has
# connected the site already: that connection is used and left open for the runner.
_INSIDE_FRAPPE_RUNNER = False


def pytest_configure(config):
	import frappe

	global _INSIDE_FRAPPE_RUNNER
	_INSIDE_FRAPPE_RUNNER = bool(getattr(frappe.local, "site", None) and getattr(frappe.local, "db", None))
	if _INSIDE_FRAPPE_RUNNER:
		site = frappe.local.site
	else:
		site = site_of_this_worker()
		sites_path = _sites_path()
		# Frappe logs to ../logs and resolves relative paths from the sites folder.
		os.chdir(sites_path)
		frappe.init(site=site, sites_path=str(sites_path))
		frappe.connect()
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(f"Site {site} does not allow tests (set allow_tests in its site_config.json)")
	frappe.flags.in_test = True
	frappe.clear_cache()
	frappe.utils.scheduler.disable_scheduler()
	frappe.set_user("Administrator")
	for hook in frappe.get_hooks("before_tests", app_name="ciac_tutoring"):
		frappe.get_attr(hook)()
	ensure_another_system_manager()
	frappe.db.commit()


def site_of_this_worker() -> str:
	"""$CIAC_SITE; under pytest-xdist (`dev/bench.py test` with CIAC_TEST_WORKERS), worker N's own
	site of $CIAC_TEST_SITES: tests commit data for their servers, so workers never share a site."""
	sites = [site for site in os.environ.get("CIAC_TEST_SITES", "").split(",") if site]
	worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
	if sites and worker.startswith("gw"):
		return sites[int(worker[2:]) % len(sites)]
	return os.environ.get("CIAC_SITE", "test.localhost")


def ensure_another_system_manager():
	"""Frappe makes a new desk user System Manager while the site has no other one than
	Administrator: staff users that tests make with narrower roles need one to exist."""
	import frappe

	email = "test-system-manager@ciac-test.example"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Test System Manager",
				"send_welcome_email": 0,
				"roles": [{"role": "System Manager"}],
			}
		).insert(ignore_permissions=True)


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "db", None):
		frappe.db.rollback()
		if not _INSIDE_FRAPPE_RUNNER:
			frappe.destroy()


@pytest.fixture(autouse=True)
def _frappe_transaction(request):
	"""Every plain test runs as Administrator and leaves nothing behind."""
	import frappe

	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	# No request outlives its test: with a GET request left on frappe.local, Frappe's access log
	# (printing, exports) commits the transaction mid-test and the test's data stays behind.
	forget_request()
	yield
	forget_request()
	if request.instance is None:  # FrappeTestCase classes manage their own transactions
		frappe.db.rollback()
	frappe.set_user("Administrator")


def forget_request():
	import frappe

	if hasattr(frappe.local, "request"):
		del frappe.local.request


@pytest.fixture(scope="session")
def site_server():
	"""A real Frappe web server on a free port, for HTTP and browser tests."""
	from ciac_tutoring.tests.server import FrappeServer

	with FrappeServer() as server:
		yield server
