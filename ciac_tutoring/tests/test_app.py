import json
from pathlib import Path

import frappe
import pytest
import requests
from frappe.core.doctype.report.report import get_report_module_dotted_path
from frappe.model.base_document import get_controller
from frappe.model.sync import IMPORTABLE_DOCTYPES

from ciac_tutoring.tests.utils import PROGRAMME_MODULES, CIACTestCase


class TestAppIsInstalled(CIACTestCase):
	def test_app_is_installed_on_the_site(self):
		self.assertIn("ciac_tutoring", frappe.get_installed_apps())

	def test_every_module_is_registered(self):
		for module in frappe.get_module_list("ciac_tutoring"):
			self.assertEqual(frappe.db.get_value("Module Def", module, "app_name"), "ciac_tutoring")


def test_every_document_of_the_app_belongs_to_the_module_whose_folder_holds_it():
	"""Frappe finds a controller, a report's code and a print format's template in the folder of
	the record's module: a JSON file moved to another module's folder needs its `module` (and the
	site's record, through a patch) to follow, or migrate loses the controller."""
	app = Path(frappe.get_app_path("ciac_tutoring"))
	seen = 0
	for module in frappe.get_module_list("ciac_tutoring"):
		for _, folder in IMPORTABLE_DOCTYPES:
			for path in (app / frappe.scrub(module) / folder).glob("*/*.json"):
				if path.stem != path.parent.name:
					continue
				record = json.loads(path.read_text())
				assert record["module"] == module, path
				assert frappe.db.get_value(record["doctype"], record["name"], "module") == module, path
				seen += 1
	assert seen > 40
	# and no module's folder holds a document of this kind outside its own subfolder
	stray = {
		path.relative_to(app)
		for path in app.glob("*/*/*/*.json")
		if path.parts[-3] in {folder for _, folder in IMPORTABLE_DOCTYPES}
		and path.parts[-4] not in {frappe.scrub(m) for m in frappe.get_module_list("ciac_tutoring")}
	}
	assert not stray


def test_every_doctype_and_report_of_the_app_loads_its_code_from_its_module():
	for doctype in frappe.get_all(
		"DocType", {"module": ("in", PROGRAMME_MODULES), "custom": 0}, pluck="name"
	):
		controller = get_controller(doctype)
		module = frappe.scrub(frappe.db.get_value("DocType", doctype, "module"))
		assert controller.__module__.startswith(f"ciac_tutoring.{module}.doctype."), doctype
	for report in frappe.get_all(
		"Report", {"module": ("in", PROGRAMME_MODULES), "is_standard": "Yes"}, pluck="name"
	):
		module = frappe.db.get_value("Report", report, "module")
		assert callable(frappe.get_module(get_report_module_dotted_path(module, report)).execute), report


def test_hooks_are_visible_through_frappe():
	assert frappe.get_hooks("app_title", app_name="ciac_tutoring") == ["CIAC Tutoring"]
	assert "ciac_tutoring" in frappe.get_hooks("app_name")


def test_plain_test_functions_are_rolled_back():
	frappe.get_doc({"doctype": "ToDo", "description": "pytest rollback probe"}).insert()
	assert frappe.db.exists("ToDo", {"description": "pytest rollback probe"})


def test_previous_test_left_nothing_behind():
	assert not frappe.db.exists("ToDo", {"description": "pytest rollback probe"})


@pytest.mark.http
def test_server_answers_ping_login_and_rest(site_server):
	assert requests.get(f"{site_server.url}/api/method/ping", timeout=10).json() == {"message": "pong"}
	session = site_server.session("Administrator")
	assert (
		session.get(f"{site_server.url}/api/method/frappe.auth.get_logged_user").json()["message"]
		== "Administrator"
	)
	users = session.get(
		f"{site_server.url}/api/resource/User",
		params={"filters": '[["name", "=", "Administrator"]]', "limit_page_length": 5},
	).json()["data"]
	assert users == [{"name": "Administrator"}]
	assert requests.get(f"{site_server.url}/api/resource/User", timeout=10).status_code == 403


def test_the_programmes_forms_lead_back_to_the_tutoring_workspace():
	from frappe.boot import get_bootinfo

	bootinfo = get_bootinfo()
	assert bootinfo.ciac_breadcrumb_modules == dict.fromkeys(
		set(PROGRAMME_MODULES) - {"Tutoring"}, "Tutoring"
	)
	assert "Tutoring" in bootinfo.module_wise_workspaces["Tutoring"]


def test_every_controllers_type_hints_name_exactly_its_doctypes_fields():
	"""The `# begin: auto-generated types` blocks follow the DocType JSON (Frappe rewrites them on
	save in developer mode; frappe.types.exporter.TypeExporter regenerates them all)."""
	import inspect
	import re

	from frappe.model import no_value_fields
	from frappe.model.base_document import get_controller

	stale = {}
	for module in frappe.get_module_list("ciac_tutoring"):
		for doctype in frappe.get_all("DocType", {"module": module, "custom": 0}, pluck="name"):
			source = inspect.getsource(inspect.getmodule(get_controller(doctype)))
			block = source.split("# begin: auto-generated types", 1)[1].split("# end: auto-generated types")[
				0
			]
			declared = set(re.findall(r"^\t\t(\w+): DF\.", block, re.M)) - {
				"name",
				"parent",
				"parentfield",
				"parenttype",
				"amended_from",
			}
			meta = frappe.get_meta(doctype)
			fields = {
				df.fieldname
				for df in meta.fields
				if df.fieldtype not in no_value_fields or df.fieldtype in ("Table", "Table MultiSelect")
			}
			fields = {
				f for f in fields if not frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": f})
			}
			if declared != fields - {"amended_from"}:
				stale[doctype] = (sorted(declared - fields), sorted(fields - declared))
	assert not stale
