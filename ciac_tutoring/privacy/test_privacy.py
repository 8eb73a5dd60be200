"""Subject access, retention and erasure, and the access log, against the real database."""

from email.mime.text import MIMEText

import frappe
import pytest
from frappe.utils import add_days, add_months, add_years, now_datetime, today

from ciac_tutoring.activation.report.training_attendance import training_attendance
from ciac_tutoring.monitoring.report.contact_activity import contact_activity
from ciac_tutoring.monitoring.report.pairing_compliance import pairing_compliance
from ciac_tutoring.monitoring.report.programme_outcomes import programme_outcomes
from ciac_tutoring.pairing.doctype.beneficiary.beneficiary import update_status
from ciac_tutoring.pairing.report.permit_expiry import permit_expiry
from ciac_tutoring.privacy import export, retention
from ciac_tutoring.privacy.access import VIEWED
from ciac_tutoring.privacy.doctype.consent_record.consent_record import record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import get_current_notice
from ciac_tutoring.tests.factory import make_beneficiary, make_pairing, make_tutor
from ciac_tutoring.tests.portal_data import make_contact_log

NUMERIC = {"Int", "Float", "Currency", "Percent"}


def make_person_pair(tag: str, closed_years_ago: float | None = None, **pairing_values) -> frappe._dict:
	"""A tutor and a beneficiary with strings of their own, a pairing, a contact, consents, a
	comment, a reminder and an email; the pairing closed `closed_years_ago` years ago if given."""
	tutor = make_tutor(
		tutor_name=f"Tutorname {tag}",
		email=f"{tag}-tutor@privacy-test.example",
		mobile=f"+39 3{abs(hash(tag)) % 10**9:09d}",
		motivation=f"motivation {tag}",
		address=f"Via Privata {tag}",
		interview_notes=f"interview notes {tag}",
	)
	beneficiary = make_beneficiary(
		first_name=f"Benname{tag}",
		last_name=f"Surname{tag}",
		email=f"{tag}-ben@privacy-test.example",
		health_notes=f"health notes {tag}",
		interests=f"interests {tag}",
		protection_status="Refugee",
		residence_permit_expiry=add_days(today(), 30),
	)
	pairing = make_pairing(
		tutor=tutor.name, beneficiary=beneficiary.name, notes=f"pairing notes {tag}", **pairing_values
	)
	started = add_years(today(), -(closed_years_ago or 0) - 1)
	frappe.db.set_value("Pairing", pairing.name, {"status": "Active", "start_date": started})
	contact = make_contact_log(pairing.name, contact_date=add_days(started, 7), notes=f"contact notes {tag}")
	if closed_years_ago is not None:
		closed = add_days(add_years(today(), -closed_years_ago), -1)
		frappe.db.set_value(
			"Pairing",
			pairing.name,
			{"status": "Closed", "closure_date": closed, "closure_reason": "Project completed"},
		)
		update_status(beneficiary.name)
	for party_type, party, purpose in (
		("Tutor", tutor.name, "Tutor availability"),
		("Beneficiary", beneficiary.name, "Beneficiary intake"),
	):
		record_consent(party_type, party, get_current_notice(purpose).name, "Paper")
	tutor.add_comment("Comment", f"Phoned {tutor.tutor_name}")
	frappe.get_doc(
		{
			"doctype": "Tutoring Reminder Log",
			"key": f"tutor_reminder:{pairing.name}:{tag}",
			"rule": "Tutor reminder",
			"tutor": tutor.name,
			"pairing": pairing.name,
			"recipient": tutor.email,
			"subject": f"Reminder for {tutor.tutor_name}",
			"message": f"Call {beneficiary.first_name}, {tutor.tutor_name}",
			"sent_on": now_datetime(),
		}
	).insert(ignore_permissions=True)
	queue_email(tutor.email, f"Welcome {tutor.tutor_name}", f"<p>Dear {tutor.tutor_name}</p>")
	return frappe._dict(
		tutor=tutor.name,
		beneficiary=beneficiary.name,
		pairing=pairing.name,
		contact=contact,
		tutor_strings=[tutor.tutor_name, tutor.email, tutor.mobile, f"motivation {tag}", f"Via Privata {tag}",
					   f"interview notes {tag}"],
		# the staff's notes on the pairing concern the beneficiary's path; contacts concern both
		beneficiary_strings=[f"Surname{tag}", f"{tag}-ben@privacy-test.example", f"health notes {tag}",
							 f"interests {tag}", f"pairing notes {tag}"],
		shared_strings=[f"contact notes {tag}"],
	)  # fmt: skip


def queue_email(recipient: str, subject: str, html: str) -> None:
	"""An email in Frappe's outbox as frappe.sendmail leaves it (a test site has no email account)."""
	message = MIMEText(html, "html")
	message["Subject"] = subject
	frappe.get_doc(
		{
			"doctype": "Email Queue",
			"sender": "ciac@privacy-test.example",
			"status": "Sent",
			"message": message.as_string(),
			"recipients": [{"recipient": recipient, "status": "Sent"}],
		}
	).insert(ignore_permissions=True)


def tag() -> str:
	return frappe.generate_hash(length=8)


# --- subject access -----------------------------------------------------------------------------


def test_a_tutors_export_holds_all_their_data_and_nothing_of_others():
	mine, other = make_person_pair(tag()), make_person_pair(tag())
	data = export.collect_personal_data("Tutor", mine.tutor)
	text = frappe.as_json(data)
	for string in mine.tutor_strings + mine.shared_strings:
		assert string in text, string
	assert data["pairings"][0]["name"] == mine.pairing
	assert [row["method"] for row in data["consents"]] == ["Paper"]
	assert any("Welcome" in (email.get("subject") or "") for email in data["emails"])
	assert data["notices"][0]["subject"].startswith("Reminder for")
	assert data["comments"]
	for string in mine.beneficiary_strings + other.tutor_strings + other.beneficiary_strings:
		assert string not in text, string
	assert mine.beneficiary not in text


def test_a_beneficiarys_export_holds_their_data_and_no_tutor():
	mine, other = make_person_pair(tag()), make_person_pair(tag())
	text = frappe.as_json(export.collect_personal_data("Beneficiary", mine.beneficiary))
	for string in mine.beneficiary_strings + mine.shared_strings:
		assert string in text, string
	for string in mine.tutor_strings + other.tutor_strings + other.beneficiary_strings:
		assert string not in text, string
	assert mine.tutor not in text


def test_the_readable_export_escapes_what_it_shows():
	pair = make_person_pair(tag())
	frappe.db.set_value("Tutor", pair.tutor, "motivation", "<script>alert(1)</script>")
	html = export.render_html(export.collect_personal_data("Tutor", pair.tutor))
	assert "<script>alert" not in html and "&lt;script&gt;" in html
	assert "Tutorname" in html


def test_the_readable_export_shows_labels_and_formatted_values_in_the_readers_language():
	"""A UX walk read field names, ISO timestamps and English phases on the tutor's own page."""
	pair = make_person_pair(tag())
	previous = frappe.local.lang
	frappe.local.lang = "it"
	try:
		tutor_page = export.render_html(export.collect_personal_data("Tutor", pair.tutor, staff_view=False))
		beneficiary_page = export.render_html(export.collect_personal_data("Beneficiary", pair.beneficiary))
	finally:
		frappe.local.lang = previous
	tutor = frappe.get_doc("Tutor", pair.tutor)
	assert "<th>Fase</th>" in tutor_page and "<th>workflow_state</th>" not in tutor_page
	assert frappe.format_value(tutor.creation, {"fieldtype": "Datetime"}) in tutor_page
	assert "parentfield" not in tutor_page and '<meta name="viewport"' in tutor_page
	assert "<main>" in tutor_page  # its content in a landmark (axe: region)
	# in the form's order: the ID first, the record's times last
	record = tutor_page.split("<h2>La tua scheda</h2>")[1].split("<h2>")[0]
	assert record.index("<th>ID</th>") < record.index("<th>Fase</th>") < record.index("<th>Creato il</th>")
	# each person's sections only: her check-ins are never a heading of the tutor's page
	assert "<h2>Formazione</h2>" in tutor_page and "<h2>Check-in</h2>" not in tutor_page
	assert "<h2>Check-in</h2>" in beneficiary_page and "<h2>Formazione</h2>" not in beneficiary_page


# --- retention and erasure ------------------------------------------------------------------------


def report_numbers() -> list:
	"""Every report's numeric cells (sorted per report): what anonymising must leave unchanged."""
	long_ago = add_years(today(), -12)
	runs = [
		(
			programme_outcomes,
			{"view": view, "from_date": long_ago, "to_date": today(), "periodicity": "Yearly"},
		)
		for view in ("Per Period", "Closure Reasons", "Duration", "Goals")
	]
	runs += [(contact_activity, {"from_date": long_ago, "to_date": today()})]
	runs += [(pairing_compliance, {"status": status}) for status in ("Active", "Closed")]
	runs += [
		(training_attendance, {}),
		(permit_expiry, {"from_date": long_ago, "to_date": add_years(today(), 5)}),
	]
	numbers = []
	for report, filters in runs:
		columns, data = report.execute(frappe._dict(filters))[:2]
		numeric = [c["fieldname"] for c in columns if isinstance(c, dict) and c.get("fieldtype") in NUMERIC]
		numbers.append(sorted((tuple(row.get(field) for field in numeric) for row in data), key=repr))
	return numbers


def tables_holding(strings: list[str]) -> dict[str, list[str]]:
	"""Search every text column of every table of the site's database for the strings."""
	columns = frappe.db.sql(
		"""select table_name, column_name from information_schema.columns
		where table_schema = database()
		and data_type in ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'json')""",
	)
	by_table = {}
	for table, column in columns:
		by_table.setdefault(table, []).append(column)
	found = {}
	for table, names in by_table.items():
		for string in strings:
			condition = " or ".join(f"`{name}` like %(like)s" for name in names)
			if frappe.db.sql(f"select 1 from `{table}` where {condition} limit 1", {"like": f"%{string}%"}):
				found.setdefault(string, []).append(table)
	return found


def test_retention_anonymises_what_is_due_keeps_report_totals_and_leaves_no_personal_data():
	settings = frappe.get_single("Tutoring Settings")
	settings.closed_pairing_retention_years = 5
	settings.unconverted_availability_retention_months = 12
	settings.save()
	due = make_person_pair(tag(), closed_years_ago=6)
	recent = make_person_pair(tag(), closed_years_ago=1)
	unconverted = make_tutor(tutor_name=f"Unconverted {tag()}", email=f"{tag()}-u@privacy-test.example")
	frappe.db.set_value(
		"Tutor", unconverted.name, "modified", add_months(now_datetime(), -13), update_modified=False
	)
	fresh = make_tutor(tutor_name=f"Fresh {tag()}")
	before = report_numbers()

	retention.anonymise_due_records(commit=False)

	assert report_numbers() == before
	anonymised = {
		name
		for doctype in ("Tutor", "Beneficiary")
		for name in frappe.get_all(doctype, filters={"anonymised_on": ("is", "set")}, pluck="name")
	}
	assert {due.tutor, due.beneficiary, unconverted.name} <= anonymised
	assert not {recent.tutor, recent.beneficiary, fresh.name} & anonymised
	gone = due.tutor_strings + due.beneficiary_strings + due.shared_strings + [unconverted.tutor_name]
	assert tables_holding(gone) == {}
	assert set(tables_holding(recent.tutor_strings[:2])) == set(recent.tutor_strings[:2])  # the search works
	logged = frappe.get_all(
		"Data Erasure Log", filters={"reason": "Retention period"}, pluck="reference_name"
	)
	assert {due.tutor, due.beneficiary, unconverted.name} <= set(logged)
	tutor = frappe.get_doc("Tutor", due.tutor)
	assert (tutor.tutor_name, tutor.municipality) == (
		tutor.name,
		frappe.db.get_value("Tutor", due.tutor, "municipality"),
	)
	assert frappe.db.get_value("Pairing", due.pairing, ["status", "tutor"]) == ("Closed", due.tutor)


def test_erasure_is_refused_while_a_pairing_is_open_and_done_once_closed():
	pair = make_person_pair(tag())
	with pytest.raises(retention.PairingStillOpenError):
		retention.erase_personal_data("Beneficiary", pair.beneficiary)
	assert not frappe.db.get_value("Beneficiary", pair.beneficiary, "anonymised_on")
	frappe.db.set_value(
		"Pairing",
		pair.pairing,
		{"status": "Closed", "closure_date": today(), "closure_reason": "Project completed"},
	)
	retention.erase_personal_data("Beneficiary", pair.beneficiary)
	assert frappe.db.get_value("Beneficiary", pair.beneficiary, "anonymised_on")
	assert tables_holding(pair.beneficiary_strings) == {}
	assert (
		frappe.db.get_value("Data Erasure Log", {"reference_name": pair.beneficiary}, "reason")
		== "Erasure request"
	)


def test_erasure_needs_the_delete_right():
	pair = make_person_pair(tag(), closed_years_ago=1)
	coordinator = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"{tag()}-coordinator@privacy-test.example",
			"first_name": "Coordinator",
			"send_welcome_email": 0,
			"roles": [{"role": "CIAC Coordinator"}],
		}
	).insert(ignore_permissions=True)
	frappe.set_user(coordinator.name)
	try:
		with pytest.raises(frappe.PermissionError):
			retention.erase_personal_data("Tutor", pair.tutor)
	finally:
		frappe.set_user("Administrator")


# --- access log -------------------------------------------------------------------------------------


def test_opening_a_beneficiary_and_running_permit_expiry_are_logged_for_managers():
	from ciac_tutoring.privacy.report.sensitive_data_access import sensitive_data_access

	beneficiary = make_beneficiary()
	beneficiary.run_method("onload")
	permit_expiry.execute({"status": "Waiting"})
	rows = sensitive_data_access.execute({})[1]
	assert any(row.beneficiary == beneficiary.name and row.user == "Administrator" for row in rows)
	assert any(row.report_name == "Permit Expiry" for row in rows)
	assert frappe.db.exists("Access Log", {"reference_document": beneficiary.name, "method": VIEWED})
