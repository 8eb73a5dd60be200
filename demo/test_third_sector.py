"""The issue-27 demo step: the volunteers' register, insurance, expense claims and a certificate."""

import shutil

import frappe
import pytest

from ciac_tutoring.third_sector import expenses, register
from ciac_tutoring.third_sector.report.tutors_without_insurance import tutors_without_insurance
from demo import base as base_demo
from demo import third_sector as demo


@pytest.mark.skipif(not shutil.which("wkhtmltopdf"), reason="wkhtmltopdf is not installed")
def test_the_demo_holds_a_register_policies_claims_and_a_certificate():
	# no web server: as in `./dev/run`, the demo loads before it starts (demo.third_sector.assets_reachable)
	base_demo.load()
	demo.load()
	demo.load()  # idempotent

	assert frappe.db.count("Insurance Policy", {"policy_number": ("in", [p[1] for p in demo.POLICIES])}) == 2
	tutor = frappe.db.get_value("Tutor", {"email": base_demo.DEMO_TUTOR_EMAIL})
	status = register.current_status(tutor)
	assert status.entry_type == register.CORRECTION and status.standing == register.ENROLMENT
	assert frappe.db.get_value(register.ENTRY, status.name, "tax_code") == demo.DEMO_TAX_CODE
	active = frappe.get_all("Tutor", {"workflow_state": ("in", demo.ACTIVE_PHASES)}, pluck="name")
	assert all(register.is_enrolled(name) for name in active)
	assert register.verify().intact

	_columns, rows = tutors_without_insurance.execute({})
	assert [row["missing_cover"] for row in rows] == [frappe._("civil liability")]  # in the reader's language

	states = frappe.get_all(expenses.CLAIM, {"tutor": tutor}, pluck="workflow_state")
	assert sorted(states) == sorted([expenses.APPROVED, expenses.PENDING, expenses.REJECTED])

	assert frappe.db.exists("File", {"attached_to_name": tutor, "file_name": ("like", "Attestato%pdf")})
	extract = frappe.get_last_doc("Volunteer Register Extract")
	assert extract.sha256 and extract.entries_count >= len(active)
