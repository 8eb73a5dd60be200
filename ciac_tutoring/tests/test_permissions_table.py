"""docs/permissions.md is the contract for role × DocType × right: the installed DocPerms must match it."""

from pathlib import Path

import frappe
import pytest

from ciac_tutoring.tests.utils import PROGRAMME_MODULES

TABLE = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
RIGHTS = (
	"read", "write", "create", "delete", "submit", "cancel", "amend",
	"report", "export", "import", "print", "email", "share",
)  # fmt: skip
STAFF_ONLY_FIELDS = {
	"Tutor": ("interview_date", "interviewer", "interview_outcome", "interview_notes"),
	"Beneficiary": ("protection_status", "residence_permit_expiry", "health_notes"),
	"Pairing": (
		"beneficiary", "beneficiary_name", "coordinator", "goals", "closure_date", "closure_reason", "notes",
	),
	"Training Session": ("attendees",),
}  # fmt: skip
PROGRAMME_DOCTYPES = ("Tutor", "Beneficiary", "Pairing", "Contact Log", "Training Session", "Support Area")


def documented_permissions() -> dict[tuple[str, str, int], set[str]]:
	rows = {}
	for line in TABLE.read_text().splitlines():
		cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
		if len(cells) != 4 or not line.startswith("|") or cells[0] in ("DocType", "---"):
			continue
		doctype, role, level, rights = cells
		rows[(doctype, role, int(level))] = {r.strip() for r in rights.split(",") if r.strip()}
	return rows


def installed_permissions(doctypes: set[str]) -> dict[tuple[str, str, int], set[str]]:
	perms = frappe.get_all(
		"DocPerm", filters={"parent": ("in", list(doctypes))}, fields=["parent", "role", "permlevel", *RIGHTS]
	)
	return {(p.parent, p.role, p.permlevel): {r for r in RIGHTS if p[r]} for p in perms}


def test_installed_docperms_match_the_documented_table():
	documented = documented_permissions()
	assert len(documented) > 30, "the table in docs/permissions.md could not be read"
	installed = installed_permissions({doctype for doctype, _role, _level in documented})
	assert installed == documented


def test_every_doctype_of_the_module_is_in_the_table():
	documented = {doctype for doctype, _role, _level in documented_permissions()}
	ours = set(
		frappe.get_all(
			"DocType",
			filters={"module": ("in", frappe.get_module_list("ciac_tutoring")), "istable": 0, "custom": 0},
			pluck="name",
		)
	)
	assert documented == ours


def test_tutor_role_has_no_desk_access():
	assert frappe.db.get_value("Role", "Tutor", "desk_access") == 0
	assert frappe.db.get_value("Role", "CIAC Coordinator", "desk_access") == 1
	assert frappe.db.get_value("Role", "CIAC Manager", "desk_access") == 1


@pytest.mark.parametrize("doctype", sorted(STAFF_ONLY_FIELDS))
def test_staff_only_fields_are_on_a_level_only_staff_roles_reach(doctype):
	meta = frappe.get_meta(doctype)
	for fieldname in STAFF_ONLY_FIELDS[doctype]:
		assert meta.get_field(fieldname).permlevel == 1, fieldname
	level_one_roles = {p.role for p in meta.permissions if p.permlevel == 1}
	assert level_one_roles == {"CIAC Coordinator", "CIAC Manager", "System Manager"}


def test_a_tutor_user_gets_what_the_table_says():
	email = f"perm-tutor-{frappe.generate_hash(length=8)}@example.com"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": "Perm",
			# as Tutor.activate_portal_user makes them; once the setup wizard is done, Frappe would
			# otherwise make a first new user a System User
			"user_type": "Website User",
			"send_welcome_email": 0,
			"roles": [{"role": "Tutor"}],
		}
	).insert(ignore_permissions=True)
	assert frappe.db.get_value("User", email, "user_type") == "Website User"
	frappe.set_user(email)
	try:
		# Not even read: the portal reads and writes with server code after its own ownership checks.
		for doctype in sorted(PROGRAMME_DOCTYPES):
			for ptype in ("read", "select", "write", "create", "delete", "print", "report", "export"):
				assert not frappe.has_permission(doctype, ptype), (doctype, ptype)
	finally:
		frappe.set_user("Administrator")


def test_the_tutor_role_has_no_docperm_on_any_doctype_of_the_module():
	ours = frappe.get_all("DocType", filters={"module": ("in", PROGRAMME_MODULES)}, pluck="name")
	assert set(PROGRAMME_DOCTYPES) <= set(ours)
	assert not frappe.get_all("DocPerm", filters={"parent": ("in", ours), "role": "Tutor"})
	assert not frappe.get_all("Custom DocPerm", filters={"parent": ("in", ours), "role": "Tutor"})


@pytest.mark.http
def test_over_rest_a_tutor_reads_nothing_and_staff_read_everything(site_server):
	from frappe.utils.password import update_password

	from ciac_tutoring.tests.factory import make_tutor

	tutor = make_tutor(interview_notes="staff only", interview_outcome="Suitable")
	user = tutor.activate_portal_user(send_welcome_email=False)
	update_password(user, "perm-test-pwd")
	frappe.db.commit()  # nosemgrep: the web server reads committed data only
	try:
		session = site_server.session(user, "perm-test-pwd")
		for path in (f"/api/resource/Tutor/{tutor.name}", "/api/resource/Tutor", "/api/resource/Beneficiary"):
			response = session.get(f"{site_server.url}{path}", timeout=30)
			assert response.status_code == 403, path  # not even their own record: the portal shows it
			assert "staff only" not in response.text
		staff = site_server.session("Administrator")
		assert (
			staff.get(f"{site_server.url}/api/resource/Tutor/{tutor.name}", timeout=30).json()["data"][
				"interview_notes"
			]
			== "staff only"
		)
	finally:
		frappe.delete_doc("Tutor", tutor.name, force=True, ignore_permissions=True)
		# User.on_trash insists on another System Manager, which a bare test site lacks
		frappe.db.delete("Has Role", {"parent": user})
		frappe.db.delete("__Auth", {"doctype": "User", "name": user})
		frappe.db.delete("User", user)
		frappe.db.commit()  # nosemgrep: undo what this test committed
