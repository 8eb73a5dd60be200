"""The staff's way in: the Third Sector workspace links every DocType and report of the module."""

import frappe


def test_the_workspace_links_the_modules_doctypes_and_reports_for_staff():
	workspace = frappe.get_doc("Workspace", "Third Sector")
	assert workspace.public and workspace.module == "Third Sector"
	assert {row.role for row in workspace.roles} == {"CIAC Coordinator", "CIAC Manager"}
	linked = {row.link_to for row in workspace.links if row.type == "Link"}
	doctypes = frappe.get_all("DocType", {"module": "Third Sector", "istable": 0}, pluck="name")
	reports = frappe.get_all("Report", {"module": "Third Sector"}, pluck="name")
	assert linked == set(doctypes) | set(reports)
	for row in workspace.shortcuts:
		assert frappe.db.exists(row.type, row.link_to)
