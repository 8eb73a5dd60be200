"""The WSGI application `benchmark_portal.py --http` serves with gunicorn: Frappe's own
`frappe.app.application`, with each request's time split by where it goes.

    gunicorn --preload --pythonpath benchmarks portal_timing:application   (cwd: the sites folder)

Loaded once before gunicorn forks its workers (`--preload`): it wraps, in place, the Frappe and
app functions below with timers (inclusive time, summed when called several times in a request)
and writes one JSON line per request (path, method, status, total ms, each part's ms, SQL
statements) to $CIAC_PORTAL_TIMING_DIR/<pid>.jsonl. Nothing else changes: the request runs
Frappe's code as a production bench runs it. A timer costs a few microseconds; the SQL timer runs
once per statement.
"""

import functools
import importlib
import json
import os
import sys
import time

import frappe
import frappe.app
import frappe.auth
import frappe.database.database
import frappe.desk.desktop
import frappe.website.page_renderers.template_page
import frappe.website.path_resolver
import frappe.website.router

# (part, module, attribute or Class.method). The tutor lookup is the app's, wherever the portal's
# code keeps it (ciac_tutoring/api/portal.py, or the ciac_tutoring/portal/ package once split).
PARTS = (
	("connect", "frappe", "connect"),
	("session", "frappe.auth", "HTTPRequest.__init__"),
	("route", "frappe.website.path_resolver", "PathResolver.resolve"),
	("route map", "frappe.website.router", "evaluate_dynamic_routes"),
	("page", "frappe.website.page_renderers.template_page", "TemplatePage.get_html"),
	("page context", "frappe.website.page_renderers.template_page", "TemplatePage.update_context"),
	("website settings", "frappe.website.doctype.website_settings.website_settings", "get_website_settings"),
	("desk sidebar", "frappe.desk.desktop", "get_workspace_sidebar_items"),
	("jinja", "frappe.website.page_renderers.template_page", "TemplatePage.render_template"),
	("commit", "frappe.app", "sync_database"),
)
# The app's modules need a site to import (module-level query builders): wrapped after a
# worker's first request, which is not measured.
APP_PARTS = (
	("tutor lookup", "ciac_tutoring.api.portal", "own_tutor_records"),
	("tutor lookup", "ciac_tutoring.portal.guard", "own_tutor_records"),
	# The portal's pages render their templates through the app's renderer (KeptTemplates).
	("jinja", "ciac_tutoring.portal.renderer", "PortalPage.render_template"),
)

_spent: dict[str, float] = {}
_statements = [0]


def timed(part: str, function):
	@functools.wraps(function)
	def wrapper(*args, **kwargs):
		started = time.perf_counter()
		try:
			return function(*args, **kwargs)
		finally:
			_spent[part] = _spent.get(part, 0.0) + time.perf_counter() - started

	wrapper.__timed__ = True
	return wrapper


def patch_everywhere(original, replacement) -> None:
	"""Replace a function in every loaded module that holds it (its own and any `from x import f`)."""
	for module in list(sys.modules.values()):
		namespace = getattr(module, "__dict__", None)
		if not namespace:
			continue
		for name, value in list(namespace.items()):
			if value is original:
				setattr(module, name, replacement)


def install(parts) -> list[str]:
	installed = []
	for part, module_name, attribute in parts:
		try:
			module = importlib.import_module(module_name)
		except ImportError:
			continue
		owner_name, _dot, name = attribute.rpartition(".")
		owner = getattr(module, owner_name) if owner_name else module
		original = getattr(owner, name, None)
		if original is None or getattr(original, "__timed__", False):
			continue
		replacement = timed(part, original)
		if owner_name:
			setattr(owner, name, replacement)
		else:
			patch_everywhere(original, replacement)
		installed.append(part)
	return installed


def install_sql_timer() -> None:
	sql = frappe.database.database.Database.sql

	@functools.wraps(sql)
	def counted_sql(self, *args, **kwargs):
		_statements[0] += 1
		started = time.perf_counter()
		try:
			return sql(self, *args, **kwargs)
		finally:
			_spent["sql"] = _spent.get("sql", 0.0) + time.perf_counter() - started

	frappe.database.database.Database.sql = counted_sql


install(PARTS)
install_sql_timer()
_output = None
_app_parts_installed = [False]


def application(environ, start_response):
	global _output
	_spent.clear()
	_statements[0] = 0
	status = []

	def recording_start_response(code, headers, *args):
		status.append(int(code.split()[0]))
		return start_response(code, headers, *args)

	started = time.perf_counter()
	response = frappe.app.application(environ, recording_start_response)
	total = time.perf_counter() - started
	if not _app_parts_installed[0] and getattr(frappe.local, "site", None):
		_app_parts_installed[0] = True  # the site is still bound until the response is closed
		install(APP_PARTS)
	if _output is None:
		folder = os.environ.get("CIAC_PORTAL_TIMING_DIR") or "."
		_output = open(os.path.join(folder, f"{os.getpid()}.jsonl"), "a", buffering=1)
	_output.write(
		json.dumps(
			{
				"at": time.time(),
				"path": environ.get("PATH_INFO"),
				"method": environ.get("REQUEST_METHOD"),
				"status": status[0] if status else None,
				"total": total * 1000,
				"statements": _statements[0],
				"parts": {part: seconds * 1000 for part, seconds in _spent.items()},
			}
		)
		+ "\n"
	)
	return response
