app_name = "ciac_tutoring"
app_title = "CIAC Tutoring"
app_publisher = "CIAC Onlus"
app_description = "Tutor for integration: tutors, refugees, pairings, training and contacts for CIAC Parma"
app_email = "tutoring@ciaconlus.org"
app_license = "agpl-3.0"
# required_apps = []  # frappe itself needs no entry (v15 resolves entries on GitHub)

# Keep the `# begin: auto-generated types` blocks of the controllers current in developer mode.
export_python_type_annotations = True
require_type_annotated_api_methods = True

# Includes in <head>
# ------------------

# include js, css files in header of desk.html
# app_include_css = "/assets/ciac_tutoring/css/ciac_tutoring.css"
# the programme's forms keep the Tutoring workspace as their breadcrumb (ciac_tutoring/boot.py)
app_include_js = "/assets/ciac_tutoring/js/desk.js"

# include js, css files in header of web template
# Frappe's login page and footer: contrast and tap targets (WCAG 2.1 AA)
web_include_css = "/assets/ciac_tutoring/css/web.css"
web_include_js = "/assets/ciac_tutoring/js/web.js"

# include js in doctype views (read from the file on each form load: no asset build needed)
# Tutor: days in the current phase of the activation workflow
doctype_js = {
	"Tutor": ["public/js/tutor_phase.js", "public/js/personal_data.js"],
	# the person's data: download (subject access) and erase (request), docs/privacy.md
	"Beneficiary": "public/js/personal_data.js",
	# CIAC Manager customises without the System Manager's read on DocType (docs/permissions.md)
	"Customize Form": "public/js/customize_form.js",
	# .ics downloads and the staff's calendar feed (ciac_tutoring/supervision/calendar.py)
	"Training Session": "public/js/calendar.js",
	"Supervision Meeting": "public/js/calendar.js",
}

# Jinja
# -----
# Helpers for the phase notifications' templates (ciac_tutoring/activation/workflows/notifications.json) and
# the print formats; each renders only for a record of its doctype the user may read and print
# (ciac_tutoring/tutoring/printing.py)
jinja = {
	"methods": [
		"ciac_tutoring.activation.workflow_notifications.ciac_coordinator_emails",
		"ciac_tutoring.activation.workflow_notifications.ciac_presentation_date",
		"ciac_tutoring.activation.workflow_notifications.ciac_upcoming_trainings",
		# the beneficiary's one-page summary (print format Beneficiary Summary)
		"ciac_tutoring.pairing.beneficiary_summary.ciac_beneficiary_summary",
		# the coordinator's name on the agreement (print format Tutoring Agreement)
		"ciac_tutoring.pairing.agreement.ciac_agreement",
		# the volunteers' register and the certificate of hours (module Third Sector)
		"ciac_tutoring.third_sector.register_extract.ciac_register_extract",
		"ciac_tutoring.third_sector.hours.ciac_volunteer_certificate",
	],
}

boot_session = "ciac_tutoring.boot.programme_forms_under_the_tutoring_workspace"

# Home Pages
# ----------

# website user home page (by Role)
role_home_page = {
	"Tutor": "my-tutoring",
}

# The tutors' portal (ciac_tutoring/www/): shown in the website's user menu for role Tutor
portal_menu_items = [
	{"title": "My tutoring", "route": "/my-tutoring", "role": "Tutor"},
	{"title": "Log a contact", "route": "/log-contact", "role": "Tutor"},
	{"title": "Training", "route": "/training", "role": "Tutor"},
	{"title": "Expenses and hours", "route": "/my-volunteering", "role": "Tutor"},
]

# The tutor's pages, the public form and the check-in: Frappe's TemplatePage, with the website context
# (whose boot data builds the desk's apps screen) kept per visitor and without the route map Frappe
# compiles per request (ciac_tutoring/portal/renderer.py)
page_renderer = ["ciac_tutoring.portal.renderer.PortalPage"]
website_path_resolver = ["ciac_tutoring.portal.renderer.resolve_path"]
website_clear_cache = ["ciac_tutoring.portal.renderer.clear_website_contexts"]

# Installation
# ------------

# a guest's page in the language of their cookie or browser (ciac_tutoring/language.py)
before_request = ["ciac_tutoring.language.set_guest_language"]

after_install = "ciac_tutoring.install.after_install"
after_migrate = "ciac_tutoring.install.after_migrate"

# Uninstallation
# ------------

# before_uninstall = "ciac_tutoring.uninstall.before_uninstall"

# Permissions
# -----------
# Permissions evaluated in scripted ways

# Tutors have no DocPerm on the programme's DocTypes: Frappe's permission engine refuses them every
# generic route, and the portal reads and writes with server code (docs/permissions.md).
# These core endpoints of Frappe v15.55.1 check no permission at all: checked stand-ins, each kept
# because ciac_tutoring/tests/test_core_overrides.py shows what Frappe's own one does to a tutor.
override_whitelisted_methods = {
	"frappe.client.get_count": "ciac_tutoring.api.client.get_count",
	"frappe.desk.search.get_link_title": "ciac_tutoring.api.client.get_link_title",
	"frappe.desk.like.toggle_like": "ciac_tutoring.api.client.toggle_like",
}

# Document Events
# ---------------
# A module that follows another's records hooks on them here, so DocTypes never import the
# scheduler, the privacy code or the modules above them (docs/data-model.md, "Modules";
# pyproject.toml [tool.importlinter]).
doc_events = {
	"Tutor": {
		"on_update": [
			# the volunteers' register: entered on Tutoring Started, struck off on leaving (Third Sector)
			"ciac_tutoring.third_sector.register.on_tutor_update",
			# Contact Activity's rollup holds the tutor's municipality (its filter)
			"ciac_tutoring.monitoring.doctype.contact_month.contact_month.follow_tutor",
		],
		"on_trash": "ciac_tutoring.privacy.doctype.consent_record.consent_record.delete_consents",
	},
	"Beneficiary": {
		# who opened a form with staff-only fields (Sensitive Data Access)
		"onload": "ciac_tutoring.privacy.access.log_sensitive_view",
		"on_trash": "ciac_tutoring.privacy.doctype.consent_record.consent_record.delete_consents",
	},
	# Contact Activity's rollup holds the pairing's coordinator (its filter)
	"Pairing": {"on_update": "ciac_tutoring.monitoring.doctype.contact_month.contact_month.follow_pairing"},
	# the coordinator's alert when a contact needs CIAC attention (monitoring/reminders.py)
	"Contact Log": {"after_insert": "ciac_tutoring.monitoring.reminders.notify_needs_attention"},
	# every pairing's stored compliance follows new cadences
	"Tutoring Settings": {"on_update": "ciac_tutoring.monitoring.compliance.follow_new_cadences"},
	# the website context the tutor's pages keep per user (ciac_tutoring/portal/renderer.py)
	"User": {
		"on_update": "ciac_tutoring.portal.renderer.clear_user_website_contexts",
		"on_trash": "ciac_tutoring.portal.renderer.clear_user_website_contexts",
	},
	"System Settings": {"on_update": "ciac_tutoring.portal.renderer.clear_all_website_contexts"},
}

# Gates other modules add to the activation workflow (ciac_tutoring/activation/workflow_gates.py):
# {state: [dotted path of a function(tutor) -> list of translated reasons]}
tutor_phase_gates = {
	"Tutoring Started": ["ciac_tutoring.third_sector.insurance.missing_insurance_cover"],
}

# The coordinator's worklist (ciac_tutoring/monitoring/worklist.py): functions(today, settings) that each
# return the pairings staff must act on, with why; the report Coordinator Worklist shows them all.
ciac_worklist_sources = [
	"ciac_tutoring.monitoring.follow_up.staff_contacts_due",
	"ciac_tutoring.monitoring.follow_up.no_answer_streaks",
	# the beneficiary's check-in disagrees with the tutor's log (also Pairing Compliance's filter)
	"ciac_tutoring.beneficiary_voice.reporting.worklist_disagreements",
]

# Scheduled Tasks
# ---------------

scheduler_events = {
	"hourly": ["ciac_tutoring.tasks.hourly"],
	"daily": [
		"ciac_tutoring.tasks.daily",
		"ciac_tutoring.privacy.retention.anonymise_due_records",
		# the beneficiaries' check-in links, by SMS and email (module Beneficiary Voice)
		"ciac_tutoring.beneficiary_voice.jobs.send_check_in_links",
	],
	"weekly": ["ciac_tutoring.tasks.weekly"],
	# the periodic extract of the volunteers' register, to be signed and time-stamped
	"monthly": ["ciac_tutoring.third_sector.register_extract.monthly_extract"],
}

# User Data Protection
# --------------------
# Frappe's Personal Data Download / Deletion Requests of a tutor's portal account also cover the
# Tutor record and the contacts they logged; the app's own export and erasure (docs/privacy.md)
# cover everything else, beneficiaries included.

user_data_fields = [
	{
		"doctype": "Tutor",
		"filter_by": "email",
		"redact_fields": [
			"tutor_name",
			"contact_person",
			"mobile",
			"address",
			"availability_notes",
			"motivation",
		],
	},
	{"doctype": "Contact Log", "filter_by": "logged_by", "partial": 1},
]

# Testing
# -------

before_tests = "ciac_tutoring.install.before_tests"
