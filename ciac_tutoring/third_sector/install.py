"""What the Third Sector module installs: the approval workflow of the expense claims.

Like the activation workflow (ciac_tutoring/activation/workflows/install.py), it is site data admins edit in the
desk, so it is created only where missing, on install and by a patch on existing sites.
"""

from pathlib import Path

import frappe

from ciac_tutoring.activation.workflows.install import insert_if_missing, load_records

EXPENSE_WORKFLOW_FILE = Path(__file__).parent / "workflows" / "volunteer_expense_approval.json"


def install_expense_workflow() -> None:
	for record in load_records(EXPENSE_WORKFLOW_FILE):
		insert_if_missing(record)
	frappe.clear_cache(doctype="Volunteer Expense Claim")
