"""What the desk's boot carries for the app (hooks.py `boot_session`)."""

import frappe

WORKSPACE = "Tutoring"
# The modules the programme's forms live in (issue 24); coordinators work from one workspace.
PROGRAMME_MODULES = ("Activation", "Pairing", "Monitoring", "Privacy")


def programme_forms_under_the_tutoring_workspace(bootinfo) -> None:
	"""A form's breadcrumb leads to the first workspace of its DocType's module: the programme's
	modules have none of their own, so their forms lead back to Tutoring, as before the split."""
	workspaces = bootinfo.get("module_wise_workspaces")
	if workspaces is None or not frappe.db.exists("Workspace", WORKSPACE):
		return
	for module in PROGRAMME_MODULES:
		if not workspaces.get(module):
			workspaces[module] = [WORKSPACE]
