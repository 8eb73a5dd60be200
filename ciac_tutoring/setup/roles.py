"""The programme's roles (docs/data-model.md, "Roles")."""

import frappe

# role name -> desk access
ROLES: dict[str, int] = {
	"CIAC Coordinator": 1,
	"CIAC Manager": 1,
	"Tutor": 0,
}


def create_roles() -> None:
	"""Create the missing roles and keep the Tutor role off the desk.

	DocType sync creates any role named in a DocPerm with desk access on, so this step also
	runs after every migrate: a Tutor role with desk access would turn tutors into System Users.
	"""
	for role_name, desk_access in ROLES.items():
		if not frappe.db.exists("Role", role_name):
			role = frappe.new_doc("Role")
			role.update({"role_name": role_name, "desk_access": desk_access})
			role.insert(ignore_permissions=True)
		elif not desk_access and frappe.db.get_value("Role", role_name, "desk_access"):
			frappe.db.set_value("Role", role_name, "desk_access", 0)


# What admins customise the desk with, given to CIAC Manager (docs/permissions.md, "Customising"):
# Frappe grants these DocTypes to System Manager only, a role that also administers users, the site
# and every other app. Each row is the least the desk's screen needs to open and save.
CUSTOMISING_ROLE = "CIAC Manager"
DOCPERM_RIGHTS = (
	"read", "write", "create", "delete", "submit", "cancel", "amend",
	"report", "export", "import", "print", "email", "share", "select",
)  # fmt: skip
CUSTOMISING_RIGHTS: dict[str, tuple[str, ...]] = {
	# Customize Form saves Property Setters and Custom Fields (inserted and deleted with permission
	# checks) and, for a renamed DocType, a Translation.
	"Customize Form": ("read", "write"),
	"Custom Field": ("read", "write", "create", "delete"),
	"Property Setter": ("read", "write", "create", "delete"),
	"Translation": ("read", "write", "create", "delete"),
	# The workflow editor creates the states and actions a new transition names.
	"Workflow": ("read", "write", "create", "delete"),
	"Workflow State": ("read", "write", "create"),
	"Workflow Action Master": ("read", "write", "create"),
	"Notification": ("read", "write", "create", "delete"),
	"Email Template": ("read", "write", "create", "delete"),
	"Print Format": ("read", "write", "create", "delete"),
	# Bringing tutors, beneficiaries and pairings from spreadsheets (the DocTypes' own `import` right).
	"Data Import": ("read", "write", "create", "delete"),
}


def grant_customising_rights() -> None:
	"""Give CIAC Manager the rows of CUSTOMISING_RIGHTS it lacks, as Custom DocPerms.

	Run on install and by a patch, never after every migrate: a row an admin removed in Role
	Permissions Manager stays removed, and one an admin changed is left as it is.
	"""
	from frappe.core.doctype.doctype.doctype import validate_permissions_for_doctype
	from frappe.permissions import setup_custom_perms

	for doctype, rights in CUSTOMISING_RIGHTS.items():
		# The first Custom DocPerm of a DocType replaces its standard ones: copy them first.
		setup_custom_perms(doctype)
		if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": CUSTOMISING_ROLE, "permlevel": 0}):
			continue
		perm = frappe.new_doc("Custom DocPerm")
		perm.update(
			{
				"parent": doctype,
				"parenttype": "DocType",
				"parentfield": "permissions",
				"role": CUSTOMISING_ROLE,
				"permlevel": 0,
				# Custom DocPerm defaults some rights on (export, print...): each one is set.
				**{right: int(right in rights) for right in DOCPERM_RIGHTS},
			}
		)
		perm.insert(ignore_permissions=True)
		validate_permissions_for_doctype(doctype)
