"""Drive Debian's headless Chromium with Playwright against the test server.

Generic: the desk journeys (tests/browser) and the portal's use it alike, through the
fixtures of conftest.py beside this file. Playwright never downloads a browser here: it
drives /usr/bin/chromium (or $CIAC_CHROMIUM).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

# The desk journeys' coordinator (conftest.py `coordinator_page`).
COORDINATOR = "browser.coordinator@ciac.example"

CHROMIUM_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-background-networking",
	"--disable-component-update",
	"--no-first-run",
]

# Console errors that say nothing about the app: the test server runs no realtime (socket.io)
# server, so the desk's attempts to reach it fail; the browser asks for a favicon on its own;
# frappe-charts redraws, on every resize, charts whose container a later render replaced
# (Frappe's own bug, seen on any report with a chart when the window changes size); a query
# report whose required filter is still empty says "Please set filters" and throws "Filter
# missing" uncaught (Frappe's query_report.js `get_filter_values`, on every such report).
IGNORED_CONSOLE_ERRORS = [
	re.compile(r"socket\.io", re.I),
	re.compile(r"WebSocket connection", re.I),
	re.compile(r"favicon\.ico", re.I),
	re.compile(r"removeChild.*not a child of this node[\s\S]*boundDrawFn"),
	re.compile(r"^uncaught : Filter missing$"),
]


def chromium_path() -> str | None:
	candidate = os.environ.get("CIAC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
	return candidate if candidate and Path(candidate).exists() else None


def artifacts_dir() -> Path:
	"""Screenshots go to <repo>/test-artifacts (git-ignored), or $CIAC_TEST_ARTIFACTS."""
	default = Path(__file__).resolve().parents[3] / "test-artifacts"
	path = Path(os.environ.get("CIAC_TEST_ARTIFACTS", default))
	path.mkdir(parents=True, exist_ok=True)
	return path


def safe_name(name: str) -> str:
	return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:120]


@dataclass
class ConsoleWatch:
	"""Collects what a page reports as broken: uncaught exceptions, console errors and
	server errors (5xx) of its requests."""

	errors: list[str] = field(default_factory=list)
	ignored: list[re.Pattern] = field(default_factory=lambda: list(IGNORED_CONSOLE_ERRORS))

	def attach(self, page) -> None:
		page.on("pageerror", self._on_page_error)
		page.on("console", self._on_console)
		page.on("response", self._on_response)

	def _on_page_error(self, error) -> None:
		# The first frames of the stack say where (the bundles carry source maps for humans).
		stack = "\n      ".join((error.stack or "").splitlines()[1:4])
		self._add(f"uncaught {error.name}: {error.message}\n      {stack}".rstrip())

	def _on_console(self, message) -> None:
		if message.type == "error":
			location = message.location or {}
			self._add(f"console.error: {message.text} ({location.get('url', '')})")

	def _on_response(self, response) -> None:
		if response.status >= 500:
			self._add(f"HTTP {response.status} {response.request.method} {response.url}")

	def _add(self, text: str) -> None:
		if not any(pattern.search(text) for pattern in self.ignored):
			self.errors.append(text)

	def ignore(self, pattern: str) -> None:
		"""Accept an expected error (say, a server refusal the test provokes on purpose)."""
		self.ignored.append(re.compile(pattern, re.I))

	def take(self) -> list[str]:
		errors, self.errors = self.errors, []
		return errors


def screenshot(page, name: str) -> Path:
	"""The whole page: the desk scrolls its body, so grow the viewport to the content first."""
	path = artifacts_dir() / f"{safe_name(name)}.png"
	viewport = page.viewport_size
	height = page.evaluate("Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
	if not viewport or height <= viewport["height"]:
		page.screenshot(path=str(path), full_page=True)
		return path
	page.set_viewport_size({"width": viewport["width"], "height": min(height, 4000)})
	try:
		page.screenshot(path=str(path), full_page=True)
	finally:
		page.set_viewport_size(viewport)
	return path


def assert_fits_the_screen(page) -> None:
	"""No sideways scrolling on a phone. Measured against the screen's width: an emulated phone
	zooms out to fit a wider page, and `window.innerWidth` grows with it. The caller waits for the
	page it means (a navigation under way has no document to measure yet)."""
	page.wait_for_load_state("load")
	overflow = page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]
	assert overflow <= 1, f"the page is {overflow} px wider than the screen"


def login(page, base_url: str, user: str, password: str) -> None:
	"""Log in through the real /login page; desk users land on /app, website users on /me."""
	page.goto(f"{base_url}/login")
	page.fill("#login_email", user)
	page.fill("#login_password", password)
	page.click(".form-login .btn-login")
	page.wait_for_url(re.compile(r"/(app|me)\b"), timeout=30_000)


def api_login(page, base_url: str, user: str, password: str) -> None:
	"""Log the page's browser context in through Frappe's login API (the cookies are the
	context's): a test that opens its own route first saves booting the desk twice. The login
	page itself is walked by `login` (test_staff_journey.py's first test)."""
	response = page.context.request.post(f"{base_url}/api/method/login", form={"usr": user, "pwd": password})
	assert response.ok, f"login of {user}: HTTP {response.status} {response.text()[:200]}"


def wait_for_desk(page, timeout: float = 30_000) -> None:
	"""The desk has booted its bundles and finished routing."""
	page.wait_for_function(
		"() => window.frappe && frappe.boot && frappe.router && frappe.container && !frappe.dom.freeze_count",
		timeout=timeout,
	)
	page.wait_for_load_state("networkidle")


def delete_user(name: str) -> None:
	"""Remove a test user's rows. `frappe.delete_doc` refuses every user on a site whose only
	System Manager is Administrator ("There should remain at least one System Manager")."""
	import frappe
	from frappe.utils.password import delete_all_passwords_for

	if not frappe.db.exists("User", name):
		return
	for table in frappe.get_meta("User").get_table_fields():
		frappe.db.delete(table.options, {"parent": name, "parenttype": "User"})
	frappe.db.delete("Sessions", {"user": name})
	frappe.db.delete("User", {"name": name})
	delete_all_passwords_for("User", name)
	frappe.clear_cache(user=name)
