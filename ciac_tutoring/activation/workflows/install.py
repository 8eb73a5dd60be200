"""Install the shipped "Tutor Activation" workflow and its notifications, only where missing.

The workflow, its states and actions and the notifications are site data that CIAC's
admins edit in the desk (labels, styles, transitions, roles, email texts). They are
therefore created once, on install, and never overwritten: not fixtures (which `migrate`
re-imports over the admins' edits), and not run from `after_migrate`. A later change to
what ships here goes through a patch in ciac_tutoring/patches/ that edits the site's
records on purpose (see patches/v0_1/install_tutor_activation_workflow.py).
"""

import json
from pathlib import Path

import frappe

HERE = Path(__file__).parent
WORKFLOW_FILE = HERE / "tutor_activation.json"
NOTIFICATIONS_FILE = HERE / "notifications.json"

# How each shipped doctype is named, to tell whether a record is already there.
NAME_FIELDS = {
	"Workflow State": "workflow_state_name",
	"Workflow Action Master": "workflow_action_name",
	"Workflow": "workflow_name",
	"Notification": "name",
}


def install_tutor_activation_workflow() -> None:
	"""Create the workflow, with the states and actions it uses, if they are missing."""
	for record in load_records(WORKFLOW_FILE):
		insert_if_missing(record)
	frappe.clear_cache(doctype="Tutor")


def install_notifications() -> None:
	"""Create the phase notifications (emails to tutors and coordinators) if they are missing."""
	for record in load_records(NOTIFICATIONS_FILE):
		insert_if_missing(record)


def load_records(path: Path) -> list[dict]:
	return json.loads(path.read_text())


def insert_if_missing(record: dict) -> None:
	doctype = record["doctype"]
	if frappe.db.exists(doctype, record[NAME_FIELDS[doctype]]):
		return
	# Notifications are named by a prompt in the desk: the record's `name` is kept.
	frappe.get_doc(record).insert(ignore_permissions=True)
