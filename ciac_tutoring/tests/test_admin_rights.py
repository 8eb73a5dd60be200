"""CIAC Manager customises the desk (Customize Form, Workflow, Notification, Email Template, Print
Format) over HTTP as the desk does it, and only with the rights the setup gave it."""

import json

import frappe
import pytest

from ciac_tutoring.setup.roles import (
	CUSTOMISING_RIGHTS,
	CUSTOMISING_ROLE,
	DOCPERM_RIGHTS,
	grant_customising_rights,
)
from ciac_tutoring.tests.browser.browser import delete_user

pytestmark = pytest.mark.http

MANAGER = "customising.manager@ciac-test.example"
COORDINATOR = "customising.coordinator@ciac-test.example"
PASSWORD = "Cust0mise-Test-Pass!"
NEW_LABEL = "Comune di residenza (test)"


@pytest.fixture()
def staff(site_server):
	for email, role in ((MANAGER, "CIAC Manager"), (COORDINATOR, "CIAC Coordinator")):
		delete_user(email)
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": role,
				"send_welcome_email": 0,
				"new_password": PASSWORD,
				"roles": [{"role": role}],
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the server reads the users in its own connection
	yield {
		"manager": site_server.session(MANAGER, PASSWORD),
		"coordinator": site_server.session(COORDINATOR, PASSWORD),
	}
	frappe.db.rollback()
	frappe.db.delete(
		"Property Setter", {"doc_type": "Tutor", "field_name": "municipality", "property": "label"}
	)
	for email in (MANAGER, COORDINATOR):
		delete_user(email)
	frappe.db.commit()  # nosemgrep: the next tests start from the shipped state
	frappe.clear_cache(doctype="Tutor")


def call(session, url: str, endpoint: str, **data):
	"""A desk call: GET for reads, POST (form data, as frappe.call sends it) for writes."""
	if data.get("docs") is not None:
		data["docs"] = json.dumps(data["docs"])
	return session.post(f"{url}/api/method/{endpoint}", data=data, timeout=60)


def test_a_manager_opens_customize_form_on_tutor_and_saves_a_label(site_server, staff):
	manager = staff["manager"]
	meta = call(manager, site_server.url, "frappe.desk.form.load.getdoctype", doctype="Customize Form")
	assert meta.status_code == 200, meta.text

	# What the form does on choosing Tutor, then on Update.
	loaded = call(
		manager,
		site_server.url,
		"run_doc_method",
		method="fetch_to_customize",
		docs={"doctype": "Customize Form", "name": "Customize Form", "doc_type": "Tutor"},
	)
	assert loaded.status_code == 200, loaded.text
	form = loaded.json()["docs"][0]
	municipality = next(row for row in form["fields"] if row["fieldname"] == "municipality")
	municipality["label"] = NEW_LABEL
	saved = call(manager, site_server.url, "run_doc_method", method="save_customization", docs=form)
	assert saved.status_code == 200, saved.text

	frappe.db.rollback()
	frappe.clear_cache(doctype="Tutor")
	assert frappe.get_meta("Tutor").get_field("municipality").label == NEW_LABEL
	assert (
		frappe.db.get_value(
			"Property Setter",
			{"doc_type": "Tutor", "field_name": "municipality", "property": "label"},
			"owner",
		)
		== MANAGER
	)


@pytest.mark.parametrize(
	"doctype, name",
	[
		("Workflow", "Tutor Activation"),
		("Print Format", "Tutoring Agreement"),
		("Notification", None),
		("Email Template", None),
	],
)
def test_a_manager_opens_the_other_customising_screens(site_server, staff, doctype, name):
	manager = staff["manager"]
	meta = call(manager, site_server.url, "frappe.desk.form.load.getdoctype", doctype=doctype)
	assert meta.status_code == 200, meta.text
	name = name or frappe.get_all(doctype, pluck="name", limit=1, order_by="creation")[0]
	doc = manager.get(
		f"{site_server.url}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": doctype, "name": name},
		timeout=60,
	)
	assert doc.status_code == 200, doc.text
	assert doc.json()["docs"][0]["name"] == name
	listed = manager.get(
		f"{site_server.url}/api/resource/{doctype}", params={"limit_page_length": 5}, timeout=60
	)
	assert listed.status_code == 200 and listed.json()["data"], listed.text


def test_a_coordinator_does_not_customise(site_server, staff):
	coordinator = staff["coordinator"]
	customize_form = call(
		coordinator,
		site_server.url,
		"run_doc_method",
		method="fetch_to_customize",
		docs={"doctype": "Customize Form", "name": "Customize Form", "doc_type": "Tutor"},
	)
	assert customize_form.status_code == 403, customize_form.text
	# (Print Format stays listable: Frappe gives every desk user `select` on it, for the print menu.)
	for doctype in ("Workflow", "Notification", "Data Import", "Custom Field", "Property Setter"):
		listed = coordinator.get(f"{site_server.url}/api/resource/{doctype}", timeout=60)
		assert listed.status_code == 403, (doctype, listed.text[:300])


def test_the_rights_are_the_listed_ones_and_the_standard_rows_stay():
	for doctype, rights in CUSTOMISING_RIGHTS.items():
		row = frappe.get_all(
			"Custom DocPerm",
			filters={"parent": doctype, "role": CUSTOMISING_ROLE, "permlevel": 0},
			fields=["*"],
		)
		assert len(row) == 1, doctype
		granted = {right for right in DOCPERM_RIGHTS if row[0][right]}
		assert granted == set(rights), doctype
		# Copied before the first Custom DocPerm: System Manager keeps its rights.
		assert frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": "System Manager"}), doctype


def test_granting_again_leaves_an_admins_change_alone():
	name = frappe.db.get_value(
		"Custom DocPerm", {"parent": "Notification", "role": CUSTOMISING_ROLE, "permlevel": 0}
	)
	frappe.db.set_value("Custom DocPerm", name, "delete", 0)
	grant_customising_rights()
	assert frappe.db.get_value("Custom DocPerm", name, "delete") == 0
	assert frappe.db.count("Custom DocPerm", {"parent": "Notification", "role": CUSTOMISING_ROLE}) == 1
