"""Raw rows for the report tests (`tutor_row`, `beneficiary_row`, `pairing_row`): small, hand-built
data sets whose right answers are known. Tests that want records as CIAC saves them use
ciac_tutoring/tests/factory.py.

Records are written with `db_insert` on purpose: the reports read what is stored, and the tests
must pin exact dates, phases and counts (e.g. a pairing that has been Active for a year, or a phase
history) that the controllers' rules would only let us reach by replaying months of workflow.
Everything is rolled back by the test runner.
"""

import frappe

from ciac_tutoring.tests.factory import make_user  # noqa: F401 (the report tests' users)

TOWN = "_Test Reportville"


def insert_raw(doctype: str, name: str | None = None, **values) -> frappe._dict:
	doc = frappe.get_doc({"doctype": doctype, **values})
	if name:
		doc.name = name
	doc.db_insert()
	for child in doc.get_all_children():
		child.parent, child.parenttype = doc.name, doctype
		child.db_insert()
	return doc


def make_settings(**values) -> None:
	defaults = {
		"phone_contact_cadence_days": 7,
		"meeting_cadence_days": 30,
		"grace_days": 2,
		"monitoring_cadence_days": 90,
		"minimum_training_hours": 8,
		"permit_expiry_window_days": 60,
	}
	for field, value in {**defaults, **values}.items():
		frappe.db.set_single_value("Tutoring Settings", field, value)


def tutor_row(name: str, phase: str = "Tutoring Started", municipality: str = TOWN, **values):
	return insert_raw(
		"Tutor",
		name,
		tutor_type="Individual",
		tutor_name=values.pop("tutor_name", f"Tutor {name}"),
		email=values.pop("email", f"{name.lower()}@example.com"),
		workflow_state=phase,
		municipality=municipality,
		privacy_consent=1,
		capacity=values.pop("capacity", 3),
		**values,
	)


def beneficiary_row(name: str, municipality: str = TOWN, **values):
	return insert_raw(
		"Beneficiary",
		name,
		first_name=values.pop("first_name", "Amina"),
		last_name=values.pop("last_name", name),
		full_name=values.pop("full_name", f"Amina {name}"),
		municipality=municipality,
		consent=1,
		status=values.pop("status", "Paired"),
		**values,
	)


def pairing_row(name: str, tutor: str, beneficiary: str, status: str = "Active", **values):
	return insert_raw(
		"Pairing",
		name,
		tutor=tutor,
		tutor_name=f"Tutor {tutor}",
		beneficiary=beneficiary,
		beneficiary_name=f"Amina {beneficiary}",
		status=status,
		phone_contacts_per_week=values.pop("phone_contacts_per_week", 1),
		meetings_per_month=values.pop("meetings_per_month", 1),
		**values,
	)


def make_contact(pairing: str, contact_date: str, kind: str, initiated_by: str = "Tutor", **values):
	pairing_doc = frappe.db.get_value("Pairing", pairing, ["tutor", "beneficiary"], as_dict=True)
	# Inserted raw here, for speed: the parties as the Contact Log controller sets them.
	return insert_raw(
		"Contact Log",
		None,
		pairing=pairing,
		tutor=pairing_doc.tutor,
		beneficiary=pairing_doc.beneficiary,
		contact_date=contact_date,
		kind=kind,
		initiated_by=initiated_by,
		duration_minutes=values.pop("duration_minutes", 30),
		wellbeing=values.pop("wellbeing", "Fine"),
		**values,
	)
