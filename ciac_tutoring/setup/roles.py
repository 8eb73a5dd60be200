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
