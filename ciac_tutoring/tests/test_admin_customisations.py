"""What CIAC's admins change in the desk without code survives `migrate`.

One real `bench migrate` (in a subprocess, as on a server) after the kinds of edits admins make:
Customize Form (labels, list columns, a custom field), thresholds in Tutoring Settings, the masters,
an email template's text and the activation workflow with its notifications.
"""

import subprocess
import sys

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_field

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.activation.workflows.install import (
	install_notifications,
	install_tutor_activation_workflow,
)
from ciac_tutoring.monitoring.email_templates import ensure_email_templates
from ciac_tutoring.setup.masters import (
	CLOSURE_REASONS,
	SUPPORT_AREAS,
	TRAINING_TOPICS,
	seed_masters,
	seed_settings,
)
from ciac_tutoring.tests.test_workflow import assert_admin_edits_are_there, edit_workflow_as_an_admin

CUSTOM_FIELD = "Tutor-ciac_badge_number"
EDITED_TEMPLATE_TEXT = "<p>Testo riscritto dall'amministratrice</p>"


def delete_an_unused_shipped_master() -> tuple[str, str]:
	"""What an admin does with a master CIAC no longer wants: deletes it, where nothing uses it (Frappe
	refuses a linked one, and other tests' committed records may use the first ones)."""
	candidates = [
		*(("Support Area", name) for name in reversed(SUPPORT_AREAS)),
		*(("Closure Reason", name) for name in reversed(CLOSURE_REASONS)),
		*(("Training Topic", name) for name in reversed(TRAINING_TOPICS)),
	]
	for doctype, name in candidates:
		frappe.db.savepoint("delete_master")
		try:
			frappe.delete_doc(doctype, name, ignore_permissions=True)
			return doctype, name
		except frappe.LinkExistsError:
			frappe.db.rollback(save_point="delete_master")
	raise AssertionError("every shipped master is in use")


def customise_as_an_admin() -> str:
	"""The desk edits other than the workflow's; returns the name of the edited email template."""
	frappe.make_property_setter(
		{
			"doctype": "Tutor",
			"fieldname": "municipality",
			"property": "label",
			"value": "Comune di residenza",
		},
		is_system_generated=False,
	)
	frappe.make_property_setter(
		{"doctype": "Tutor", "fieldname": "municipality", "property": "in_list_view", "value": "1"},
		is_system_generated=False,
	)
	create_custom_field(
		"Tutor", {"fieldname": "ciac_badge_number", "label": "Badge number", "fieldtype": "Data"}
	)
	settings = frappe.get_single("Tutoring Settings")
	settings.grace_days = 5
	settings.phone_contact_cadence_days = 10
	settings.remind_tutors = 0
	settings.save()
	template = frappe.get_all("Email Template", filters={"name": ("like", "% - it")}, pluck="name")[0]
	frappe.db.set_value("Email Template", template, "response_html", EDITED_TEMPLATE_TEXT)
	return template


def test_admins_desk_edits_survive_a_real_migrate():
	template = frappe.get_all("Email Template", filters={"name": ("like", "% - it")}, pluck="name")[0]
	try:
		# Inside the try: adding the custom field commits (DDL), so a failure after it must be undone
		# too, or the edited workflow and notification stay for the tests that follow.
		edit_workflow_as_an_admin()
		customise_as_an_admin()
		deleted = delete_an_unused_shipped_master()
		frappe.db.commit()  # nosemgrep: the migrate subprocess must see the edits; undone below
		subprocess.run(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
			+ ["migrate", "--skip-search-index"],
			cwd=frappe.utils.get_site_path(".."),
			check=True,
			capture_output=True,
			timeout=900,
		)
		frappe.db.rollback()  # read what migrate left
		frappe.clear_cache()

		assert_admin_edits_are_there()
		tutor_meta = frappe.get_meta("Tutor")
		assert tutor_meta.get_field("municipality").label == "Comune di residenza"
		assert tutor_meta.get_field("municipality").in_list_view == 1
		assert tutor_meta.get_field("ciac_badge_number")
		settings = frappe.get_single("Tutoring Settings")
		assert (settings.grace_days, settings.phone_contact_cadence_days, settings.remind_tutors) == (
			5,
			10,
			0,
		)
		assert not frappe.db.exists(*deleted)
		assert frappe.db.get_value("Email Template", template, "response_html") == EDITED_TEMPLATE_TEXT
	finally:
		frappe.db.rollback()
		undo_admin_edits(template)


def undo_admin_edits(template: str) -> None:
	"""Back to the shipped state for the tests that follow."""
	frappe.delete_doc("Workflow", gates.WORKFLOW_NAME, force=1, ignore_permissions=True)
	frappe.delete_doc("Notification", "Tutor: thanks for the availability", force=1, ignore_permissions=True)
	frappe.db.delete("Translation", {"source_text": "Monitoring", "translated_text": "Verifiche CIAC"})
	frappe.db.set_value("Workflow State", gates.MONITORING, "style", "Success")
	install_tutor_activation_workflow()
	install_notifications()
	frappe.db.delete("Property Setter", {"doc_type": "Tutor", "field_name": "municipality"})
	frappe.delete_doc("Custom Field", CUSTOM_FIELD, force=1, ignore_permissions=True)
	frappe.db.delete("Singles", {"doctype": "Tutoring Settings"})  # seeded back from the defaults
	frappe.delete_doc("Email Template", template, force=1, ignore_permissions=True)
	seed_masters()
	ensure_email_templates()
	seed_settings()
	frappe.db.commit()  # nosemgrep: the next tests start from the shipped state
	frappe.clear_cache()
