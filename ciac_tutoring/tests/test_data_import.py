"""CIAC's day one: a CIAC Manager brings tutors, beneficiaries and pairings from spreadsheets with
Frappe's Data Import, over HTTP as the desk does it, and a bench worker runs the import. A refused
row is reported with the rule's message in the manager's language (Frappe's importer speaks the
language of the user who started it), the good rows are saved.

On CIAC's bench the scheduler is enabled (README, "Installing on CIAC's bench"); Data Import refuses
to start while it is not ("Scheduler is inactive. Cannot import data."). The test enables it as
that bench has it, then drains the queue with `worker --burst`, the bench's worker in one pass.
"""

import csv
import io
import subprocess
import sys

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.tests.browser.browser import delete_user

pytestmark = pytest.mark.http

MANAGER = "import.manager@ciac-test.example"
COORDINATOR = "import.coordinator@ciac-test.example"
PASSWORD = "Imp0rt-Test-Pass!"
MARK = "ImportTest"  # in every imported name, for the clean-up


def table(rows: list[list]) -> bytes:
	out = io.StringIO()
	csv.writer(out).writerows(rows)
	return out.getvalue().encode()


def workbook(rows: list[list]) -> bytes:
	from openpyxl import Workbook

	book = Workbook()
	for row in rows:
		book.active.append(row)
	out = io.BytesIO()
	book.save(out)
	return out.getvalue()


def remove_imported() -> None:
	for pairing in frappe.get_all("Pairing", {"tutor_name": ("like", f"%{MARK}%")}, pluck="name"):
		frappe.delete_doc("Pairing", pairing, force=True, ignore_permissions=True)
	for doctype, field in (("Tutor", "tutor_name"), ("Beneficiary", "last_name")):
		for name in frappe.get_all(doctype, {field: ("like", f"%{MARK}%")}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	for name in frappe.get_all("Data Import", {"owner": MANAGER}, pluck="name"):
		frappe.delete_doc("Data Import", name, force=True, ignore_permissions=True)
	for name in frappe.get_all("File", {"owner": MANAGER}, pluck="name"):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)


@pytest.fixture()
def manager(site_server):
	remove_imported()
	for email, role in ((MANAGER, "CIAC Manager"), (COORDINATOR, "CIAC Coordinator")):
		delete_user(email)
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": role,
				"send_welcome_email": 0,
				"language": "it",
				"new_password": PASSWORD,
				"roles": [{"role": role}],
			}
		).insert(ignore_permissions=True)
	scheduler_was = frappe.db.get_single_value("System Settings", "enable_scheduler")
	frappe.db.set_single_value("System Settings", "enable_scheduler", 1)
	frappe.db.commit()  # nosemgrep: the server and the worker read these in their own connections
	yield site_server.session(MANAGER, PASSWORD)
	frappe.db.rollback()
	remove_imported()
	for email in (MANAGER, COORDINATOR):
		delete_user(email)
	frappe.db.set_single_value("System Settings", "enable_scheduler", scheduler_was or 0)
	frappe.db.commit()  # nosemgrep: the next tests start from the shipped state


def run_import(session, url: str, doctype: str, filename: str, content: bytes) -> dict[int, dict]:
	"""Upload, create the Data Import, start it as the desk's Start Import button does, let a
	worker run it; the import log by spreadsheet row (2 is the first row under the headings)."""
	uploaded = session.post(
		f"{url}/api/method/upload_file",
		files={"file": (filename, content)},
		data={"is_private": 1, "folder": "Home"},
		timeout=60,
	)
	assert uploaded.ok, uploaded.text
	created = session.post(
		f"{url}/api/resource/Data Import",
		json={
			"reference_doctype": doctype,
			"import_type": "Insert New Records",
			"import_file": uploaded.json()["message"]["file_url"],
		},
		timeout=60,
	)
	assert created.ok, created.text
	name = created.json()["data"]["name"]
	started = session.post(
		f"{url}/api/method/frappe.core.doctype.data_import.data_import.form_start_import",
		data={"data_import": name},
		timeout=60,
	)
	assert started.ok and started.json()["message"] is True, started.text
	subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
		+ ["worker", "--burst", "--queue", "default"],
		cwd=frappe.utils.get_site_path(".."),
		check=True,
		capture_output=True,
		timeout=600,
	)
	logs = session.get(
		f"{url}/api/method/frappe.core.doctype.data_import.data_import.get_import_logs",
		params={"data_import": name},
		timeout=60,
	)
	assert logs.ok, logs.text
	by_row = {}
	for log in logs.json()["message"]:
		messages = frappe.parse_json(log["messages"] or "[]")
		text = " ".join(m.get("message") or "" if isinstance(m, dict) else str(m) for m in messages)
		for row in frappe.parse_json(log["row_indexes"]):
			by_row[row] = {"success": log["success"], "docname": log["docname"], "messages": text}
	return by_row


def test_a_manager_imports_tutors_beneficiaries_and_pairings(site_server, manager):
	url = site_server.url
	consent_date = add_days(today(), -30)

	tutors = run_import(
		manager,
		url,
		"Tutor",
		"tutors.csv",
		table(
			[
				["Tutor Type", "Display Name", "Contact Person", "Email", "Mobile", "Municipality"]
				+ ["Capacity", "Privacy Consent", "Privacy Consent Date", "Phase"],
				["Individual", f"Giulia {MARK}", "", "giulia@import-test.example", "+39 333 1234567"]
				+ ["Parma", 1, 1, consent_date, ""],
				["Family", f"Famiglia {MARK}", "Marco Rossi", "rossi@import-test.example", "0521 123456"]
				+ ["Fidenza", 2, 1, consent_date, ""],
				["Individual", f"No consent {MARK}", "", "noconsent@import-test.example", ""]
				+ ["Parma", 1, 0, "", ""],
				["Individual", f"Bad email {MARK}", "", "not-an-email", "", "Parma", 1, 1, consent_date, ""],
				# A later phase than the first: Frappe lets a new record in only at the first state.
				["Individual", f"Interview {MARK}", "", "later@import-test.example", "+39 333 7654321"]
				+ ["Parma", 1, 1, consent_date, gates.INTERVIEW],
			]
		),
	)
	assert [tutors[row]["success"] for row in (2, 3, 4, 5, 6)] == [1, 1, 0, 0, 0], tutors
	assert "Il consenso privacy del tutor è obbligatorio" in tutors[4]["messages"]
	assert "Inserisci un indirizzo email valido" in tutors[5]["messages"]
	assert "Transizione dello stato del flusso di lavoro non consentita" in tutors[6]["messages"]
	frappe.db.rollback()  # read what the worker committed
	giulia, family = tutors[2]["docname"], tutors[3]["docname"]
	for tutor in (giulia, family):
		assert frappe.db.get_value("Tutor", tutor, "workflow_state") == gates.AVAILABILITY_NOTIFIED
	assert frappe.db.get_value("Tutor", family, ["contact_person", "capacity"]) == ("Marco Rossi", 2)
	assert frappe.db.count("Tutor", {"tutor_name": ("like", f"%{MARK}%")}) == 2

	beneficiaries = run_import(
		manager,
		url,
		"Beneficiary",
		"beneficiaries.xlsx",
		workbook(
			[
				["First Name", "Last Name", "Gender", "Date of Birth", "Municipality", "Consent"],
				["Amina", f"Diallo {MARK}", "Female", "1995-04-12", "Parma", 1],
				["Yusuf", f"Ahmadi {MARK}", "Male", "1990-09-30", "Fidenza", 1],
				["Sara", f"Noconsent {MARK}", "Female", "1999-01-01", "Parma", 0],
				["Omar", f"Future {MARK}", "Male", add_days(today(), 10), "Parma", 1],
			]
		),
	)
	assert [beneficiaries[row]["success"] for row in (2, 3, 4, 5)] == [1, 1, 0, 0], beneficiaries
	assert "Il consenso del beneficiario è obbligatorio" in beneficiaries[4]["messages"]
	assert "La data di nascita non può essere nel futuro" in beneficiaries[5]["messages"]
	amina, yusuf = beneficiaries[2]["docname"], beneficiaries[3]["docname"]

	pairings = run_import(
		manager,
		url,
		"Pairing",
		"pairings.csv",
		table(
			[
				["Tutor", "Beneficiary", "Status", "Coordinator", "Presentation Date"]
				+ ["Phone Contacts per Week", "Meetings per Month"],
				[giulia, amina, "Proposed", COORDINATOR, today(), 1, 2],
				# The same beneficiary a second time: the Pairing's own rule refuses it.
				[family, amina, "Proposed", COORDINATOR, today(), 1, 2],
				# Active while the tutor is in phase 1: the activation gate refuses it.
				[family, yusuf, "Active", COORDINATOR, today(), 1, 2],
			]
		),
	)
	assert [pairings[row]["success"] for row in (2, 3, 4)] == [1, 0, 0], pairings
	assert "ha già un abbinamento" in pairings[3]["messages"]
	assert "L'abbinamento non può essere Attivo" in pairings[4]["messages"]
	frappe.db.rollback()
	pairing = frappe.db.get_value(
		"Pairing", pairings[2]["docname"], ["tutor", "beneficiary", "coordinator", "status"], as_dict=True
	)
	assert (pairing.tutor, pairing.beneficiary, pairing.coordinator, pairing.status) == (
		giulia,
		amina,
		COORDINATOR,
		"Proposed",
	)
