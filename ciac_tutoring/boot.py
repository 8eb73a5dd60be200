"""What the desk's boot carries for the app (hooks.py `boot_session`)."""

# The modules the programme's forms live in (issue 24) have no workspace of their own:
# coordinators work from one, Tutoring.
WORKSPACE_MODULE = "Tutoring"
PROGRAMME_MODULES = ("Activation", "Pairing", "Monitoring", "Privacy")


def programme_forms_under_the_tutoring_workspace(bootinfo) -> None:
	"""A form's breadcrumb leads to the workspace of its DocType's module, and Frappe shows none
	for a module without a workspace; public/js/desk.js maps these modules to Tutoring's, as
	Frappe maps Core to Settings, so the programme's forms lead back to Tutoring as before."""
	bootinfo.ciac_breadcrumb_modules = dict.fromkeys(PROGRAMME_MODULES, WORKSPACE_MODULE)
