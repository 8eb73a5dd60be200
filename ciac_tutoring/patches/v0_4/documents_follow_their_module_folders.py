"""The programme's DocTypes, reports and print formats moved from the one module Tutoring into
Activation, Pairing, Monitoring and Privacy (issue 24, docs/data-model.md).

Frappe finds a DocType's controller, a report's code and a print format's template in the folder
of the module its *site record* names. `migrate`'s model sync does not fix that record by itself:
it re-imports a Report or a Print Format only when the file's `modified` is newer than the site's,
and a move leaves `modified` as it was, so without this patch every moved report fails to import
(tried on a demo site built on the old layout). A DocType is re-imported (its file's hash
changed), but only during the sync: a record loaded before its own file is synced names a folder
that is gone. So before the sync, the site's records are set to the module whose folder now holds
them, and the new modules' Module Def records are created.
"""

import json
from pathlib import Path

import frappe
from frappe.model.sync import IMPORTABLE_DOCTYPES

APP = "ciac_tutoring"


def execute():
	for module in frappe.get_module_list(APP):
		if not frappe.db.exists("Module Def", module):
			frappe.get_doc({"doctype": "Module Def", "module_name": module, "app_name": APP}).insert(
				ignore_permissions=True
			)
	for doctype, name, module in documents_in_module_folders():
		if frappe.db.get_value(doctype, name, "module") not in (None, module):
			frappe.db.set_value(doctype, name, "module", module, update_modified=False)
	# the cached {doctype: module} map and the metas still name the old module
	frappe.clear_cache()


def documents_in_module_folders():
	"""(doctype, name, module) of every standard document the app's module folders hold."""
	app_path = Path(frappe.get_app_path(APP))
	for module in frappe.get_module_list(APP):
		for _, folder in IMPORTABLE_DOCTYPES:
			for path in sorted((app_path / frappe.scrub(module) / folder).glob("*/*.json")):
				if path.stem == path.parent.name:
					record = json.loads(path.read_text())
					if record.get("doctype") and record.get("name"):
						yield record["doctype"], record["name"], module
