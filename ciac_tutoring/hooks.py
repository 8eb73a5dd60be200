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
# app_include_js = "/assets/ciac_tutoring/js/ciac_tutoring.js"

# include js, css files in header of web template
# web_include_css = "/assets/ciac_tutoring/css/ciac_tutoring.css"
# web_include_js = "/assets/ciac_tutoring/js/ciac_tutoring.js"

# include js in doctype views (read from the file on each form load: no asset build needed)
# Tutor: days in the current phase of the activation workflow
doctype_js = {
	"Tutor": ["public/js/tutor_phase.js", "public/js/personal_data.js"],
	# the person's data: download (subject access) and erase (request), docs/privacy.md
	"Beneficiary": "public/js/personal_data.js",
}

# Jinja
# -----
# Helpers for the phase notifications' templates (ciac_tutoring/workflows/notifications.json)
jinja = {
	"methods": [
		"ciac_tutoring.tutoring.workflow_notifications.ciac_coordinator_emails",
		"ciac_tutoring.tutoring.workflow_notifications.ciac_presentation_date",
		"ciac_tutoring.tutoring.workflow_notifications.ciac_upcoming_trainings",
	],
}

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
]

# Installation
# ------------

after_install = "ciac_tutoring.install.after_install"
after_migrate = "ciac_tutoring.install.after_migrate"

# Uninstallation
# ------------

# before_uninstall = "ciac_tutoring.uninstall.before_uninstall"

# Permissions
# -----------
# Permissions evaluated in scripted ways

# Tutors see only their own rows (ciac_tutoring/permissions.py); staff roles are not restricted
permission_query_conditions = {
	"Tutor": "ciac_tutoring.permissions.tutor_query_conditions",
	"Pairing": "ciac_tutoring.permissions.pairing_query_conditions",
	"Contact Log": "ciac_tutoring.permissions.contact_log_query_conditions",
	"Training Session": "ciac_tutoring.permissions.training_session_query_conditions",
	"File": "ciac_tutoring.permissions.file_query_conditions",
	# child tables listed on their own (frappe.client.get_list with `parent`): the parents' rows only
	"Support Area Item": "ciac_tutoring.permissions.support_area_item_query_conditions",
	"Spoken Language": "ciac_tutoring.permissions.spoken_language_query_conditions",
	"Tutor Phase History": "ciac_tutoring.permissions.tutor_phase_history_query_conditions",
	"Pairing Goal": "ciac_tutoring.permissions.pairing_goal_query_conditions",
	"Training Attendance": "ciac_tutoring.permissions.training_attendance_query_conditions",
}

# frappe.client.get_count of this Frappe build counts rows without checking permissions
override_whitelisted_methods = {
	"frappe.client.get_count": "ciac_tutoring.api.client.get_count",
	# the desk's form loaders: tutors get no link titles, versions or comments of programme records
	"frappe.desk.form.load.getdoc": "ciac_tutoring.api.client.getdoc",
	"frappe.desk.form.load.get_docinfo": "ciac_tutoring.api.client.get_docinfo",
	"frappe.desk.form.load.get_communications": "ciac_tutoring.api.client.get_communications",
}

# Frappe lets queries filter and sort on fields the user may not read: refused for non-staff users
before_request = ["ciac_tutoring.query_guard.refuse_queries_on_unreadable_fields"]

has_permission = {
	"Tutor": "ciac_tutoring.permissions.has_permission",
	"Pairing": "ciac_tutoring.permissions.has_permission",
	"Contact Log": "ciac_tutoring.permissions.has_permission",
	"Training Session": "ciac_tutoring.permissions.has_permission",
}

has_website_permission = {
	"Tutor": "ciac_tutoring.permissions.has_website_permission",
	"Pairing": "ciac_tutoring.permissions.has_website_permission",
	"Contact Log": "ciac_tutoring.permissions.has_website_permission",
	"Training Session": "ciac_tutoring.permissions.has_website_permission",
}

# Document Events
# ---------------
# Hook on other apps' document methods and events (our own DocTypes use their controllers)

# doc_events = {
# }

# Scheduled Tasks
# ---------------

scheduler_events = {
	"hourly": ["ciac_tutoring.tasks.hourly"],
	"daily": ["ciac_tutoring.tasks.daily", "ciac_tutoring.privacy.retention.anonymise_due_records"],
	"weekly": ["ciac_tutoring.tasks.weekly"],
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
