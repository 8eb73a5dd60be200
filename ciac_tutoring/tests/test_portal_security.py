"""Tutors see and change only their own records, and only through the portal.

Two tutors (A and B) log in over HTTP against a real server. A tries every way of reading,
listing, changing or deleting B's records, logging a contact on B's pairing, downloading B's
files and reaching the desk; each attempt is refused and B's data is unchanged. Tutors have no
DocPerm on the programme's DocTypes, so Frappe's generic routes refuse even their own records:
the portal's pages show what is theirs. (test_route_walk.py walks every whitelisted method.)
"""

import json
import re

import frappe
import pytest
import requests

from ciac_tutoring.tests.portal_data import PortalWorld
from ciac_tutoring.tests.utils import PROGRAMME_MODULES

pytestmark = pytest.mark.http

CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="psec")
	yield world
	world.delete()


@pytest.fixture(scope="module")
def tutor_a(site_server, world):
	return logged_in(site_server, world.a.user, world.password)


@pytest.fixture(scope="module")
def tutor_b(site_server, world):
	return logged_in(site_server, world.b.user, world.password)


def logged_in(site_server, user: str, password: str):
	"""A session with the CSRF token set, so that refusals come from permissions, not from CSRF."""
	session = site_server.session(user, password)
	session.base = site_server.url
	page = session.get(f"{site_server.url}/my-tutoring", timeout=30)
	assert page.status_code == 200, page.text[:500]
	token = CSRF_PATTERN.search(page.text)
	if token:
		session.headers["X-Frappe-CSRF-Token"] = token.group(1)
	session.headers["Accept"] = "application/json"
	return session


def call(client, method: str, **params):
	return client.post(f"{client.base}/api/method/{method}", data=params, timeout=30)


def refused(response) -> bool:
	return response.status_code in (401, 403, 404, 417) or (
		response.status_code == 200 and not response.json().get("message")
	)


def snapshot(doctype: str, name: str) -> dict:
	frappe.db.rollback()  # see the server's committed writes
	row = frappe.db.get_value(doctype, name, "*", as_dict=True)
	return {key: value for key, value in (row or {}).items()} if row else {}


# --- pages --------------------------------------------------------------------------------------


def test_my_tutoring_shows_only_own_pairing_and_only_shared_beneficiary_data(tutor_a, world):
	page = tutor_a.get(f"{tutor_a.base}/my-tutoring", headers={"Accept": "text/html"}, timeout=30)
	assert page.status_code == 200
	assert world.a.beneficiary_first_name in page.text
	assert world.a.beneficiary_last_name not in page.text
	assert "health secret" not in page.text
	assert "+39 320 5550000" in page.text  # A's beneficiary agreed to share contacts
	assert world.b.beneficiary_first_name not in page.text
	assert "contact notes b" not in page.text


def test_contact_data_hidden_when_beneficiary_did_not_agree(tutor_b, world):
	page = tutor_b.get(f"{tutor_b.base}/my-tutoring", headers={"Accept": "text/html"}, timeout=30)
	assert world.b.beneficiary_first_name in page.text
	assert "+39 320 5550000" not in page.text
	assert f"beneficiary-{world.prefix}b@" not in page.text


def test_log_contact_page_refuses_other_tutors_pairing(tutor_a, world):
	before = frappe.db.count("Contact Log", {"pairing": world.b.pairing})
	response = tutor_a.post(
		f"{tutor_a.base}/log-contact",
		data={
			"pairing": world.b.pairing,
			"contact_date": frappe.utils.nowdate(),
			"kind": "Phone or video call",
			"wellbeing": "Fine",
		},
		headers={"Accept": "text/html"},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Contact Log", {"pairing": world.b.pairing}) == before


def test_log_contact_page_does_not_offer_other_tutors_pairing(tutor_a, world):
	page = tutor_a.get(
		f"{tutor_a.base}/log-contact?pairing={world.b.pairing}", headers={"Accept": "text/html"}, timeout=30
	)
	assert page.status_code == 200
	assert world.b.pairing not in page.text
	assert world.b.beneficiary_first_name not in page.text


def test_guest_is_sent_to_login_and_tutor_never_reaches_desk(site_server, tutor_a):
	anonymous = requests.get(f"{site_server.url}/my-tutoring", allow_redirects=False, timeout=30)
	assert anonymous.status_code in (301, 302)
	assert "/login" in anonymous.headers["Location"]
	for path in ("/app", "/app/beneficiary", "/app/pairing", "/app/tutor"):
		response = tutor_a.get(
			f"{tutor_a.base}{path}", headers={"Accept": "text/html"}, allow_redirects=True, timeout=30
		)
		assert response.status_code == 403, path
		assert "You are not permitted to access this page" in response.text
		assert "desk.bundle" not in response.text.split("assets_json")[0]


def test_tutor_user_is_a_website_user(world):
	assert frappe.db.get_value("User", world.a.user, "user_type") == "Website User"
	assert not frappe.db.get_value("Role", "Tutor", "desk_access")


# --- /api/resource ------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"doctype,key", [("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")]
)
def test_rest_read_of_any_record_is_refused(tutor_a, world, doctype, key):
	for side in ("b", "a"):  # not even their own: the portal shows it
		response = tutor_a.get(f"{tutor_a.base}/api/resource/{doctype}/{world[side][key]}", timeout=30)
		assert response.status_code == 403, (side, response.text[:300])


@pytest.mark.parametrize(
	"doctype,key", [("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")]
)
def test_rest_list_is_refused(tutor_a, world, doctype, key):
	response = tutor_a.get(
		f"{tutor_a.base}/api/resource/{doctype}",
		params={"limit_page_length": 0, "fields": json.dumps(["name"])},
		timeout=30,
	)
	assert response.status_code == 403
	assert "data" not in response.json()


@pytest.mark.parametrize(
	"doctype,key,change",
	[
		("Tutor", "tutor", {"tutor_name": "Hijacked"}),
		("Pairing", "pairing", {"notes": "hijacked"}),
		("Contact Log", "contact_log", {"notes": "hijacked"}),
	],
)
def test_rest_update_of_other_tutors_record_is_refused(tutor_a, world, doctype, key, change):
	before = snapshot(doctype, world.b[key])
	response = tutor_a.put(
		f"{tutor_a.base}/api/resource/{doctype}/{world.b[key]}", data=json.dumps(change), timeout=30
	)
	assert response.status_code == 403
	assert snapshot(doctype, world.b[key]) == before


@pytest.mark.parametrize(
	"doctype,key", [("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")]
)
def test_rest_delete_is_refused(tutor_a, world, doctype, key):
	for side in ("b", "a"):  # not even their own: tutors never delete
		response = tutor_a.delete(f"{tutor_a.base}/api/resource/{doctype}/{world[side][key]}", timeout=30)
		assert response.status_code == 403, (side, response.text[:300])
		frappe.db.rollback()
		assert frappe.db.exists(doctype, world[side][key])


def test_rest_create_contact_log_on_other_tutors_pairing_is_refused(tutor_a, world):
	before = frappe.db.count("Contact Log")
	payload = {
		"pairing": world.b.pairing,
		"tutor": world.a.tutor,  # lying about the tutor does not help
		"contact_date": frappe.utils.nowdate(),
		"kind": "Phone or video call",
		"wellbeing": "Fine",
	}
	response = tutor_a.post(f"{tutor_a.base}/api/resource/Contact Log", data=json.dumps(payload), timeout=30)
	assert response.status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Contact Log") == before


def test_moving_own_contact_log_to_other_pairing_is_refused(tutor_a, world):
	before = snapshot("Contact Log", world.a.contact_log)
	response = tutor_a.put(
		f"{tutor_a.base}/api/resource/Contact Log/{world.a.contact_log}",
		data=json.dumps({"pairing": world.b.pairing}),
		timeout=30,
	)
	assert response.status_code == 403
	assert snapshot("Contact Log", world.a.contact_log) == before


def test_portal_method_refuses_other_tutors_pairing(tutor_a, world):
	before = frappe.db.count("Contact Log")
	response = call(
		tutor_a,
		"ciac_tutoring.portal.contacts.log_contact",
		pairing=world.b.pairing,
		contact_date=frappe.utils.nowdate(),
		kind="Phone or video call",
		wellbeing="Fine",
	)
	assert response.status_code == 403
	frappe.db.rollback()
	assert frappe.db.count("Contact Log") == before


# --- /api/method: frappe.client and desk endpoints ----------------------------------------------


@pytest.mark.parametrize(
	"doctype,key", [("Tutor", "tutor"), ("Pairing", "pairing"), ("Contact Log", "contact_log")]
)
def test_frappe_client_reads_of_other_tutors_record_are_refused(tutor_a, world, doctype, key):
	name = world.b[key]
	attempts = [
		("frappe.client.get", {"doctype": doctype, "name": name}),
		(
			"frappe.client.get_value",
			{"doctype": doctype, "filters": json.dumps({"name": name}), "fieldname": "name"},
		),
		("frappe.client.get_list", {"doctype": doctype, "filters": json.dumps({"name": name})}),
		("frappe.client.get_count", {"doctype": doctype, "filters": json.dumps({"name": name})}),
		("frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
		(
			"frappe.desk.reportview.get",
			{"doctype": doctype, "fields": json.dumps(["name"]), "filters": json.dumps({"name": name})},
		),
		("frappe.desk.reportview.get_list", {"doctype": doctype, "filters": json.dumps({"name": name})}),
	]
	for method, params in attempts:
		response = call(tutor_a, method, **params)
		assert refused(response) or no_rows(response), (method, response.status_code, response.text[:300])


def no_rows(response) -> bool:
	if response.status_code != 200:
		return False
	message = response.json().get("message")
	if isinstance(message, dict):
		return not message.get("values") and not message.get("keys") or message.get("values") == []
	return not message


@pytest.mark.parametrize(
	"doctype,key,field,value",
	[
		("Tutor", "tutor", "tutor_name", "Hijacked"),
		("Pairing", "pairing", "notes", "hijacked"),
		("Contact Log", "contact_log", "notes", "hijacked"),
	],
)
def test_frappe_client_writes_to_other_tutors_record_are_refused(tutor_a, world, doctype, key, field, value):
	name = world.b[key]
	before = snapshot(doctype, name)
	doc = {"doctype": doctype, "name": name, field: value}
	attempts = [
		("frappe.client.set_value", {"doctype": doctype, "name": name, "fieldname": field, "value": value}),
		("frappe.client.save", {"doc": json.dumps(doc)}),
		(
			"frappe.client.bulk_update",
			{"docs": json.dumps([{"doctype": doctype, "docname": name, field: value}])},
		),
		("frappe.client.delete", {"doctype": doctype, "name": name}),
		("frappe.desk.reportview.delete_items", {"doctype": doctype, "items": json.dumps([name])}),
	]
	for method, params in attempts:
		call(tutor_a, method, **params)
		assert snapshot(doctype, name) == before, method


def test_frappe_client_insert_on_other_tutors_pairing_is_refused(tutor_a, world):
	before = frappe.db.count("Contact Log")
	doc = {
		"doctype": "Contact Log",
		"pairing": world.b.pairing,
		"contact_date": frappe.utils.nowdate(),
		"kind": "Phone or video call",
		"wellbeing": "Fine",
	}
	for method, params in (
		("frappe.client.insert", {"doc": json.dumps(doc)}),
		("frappe.client.insert_many", {"docs": json.dumps([doc])}),
		("frappe.desk.form.save.savedocs", {"doc": json.dumps(doc), "action": "Save"}),
	):
		response = call(tutor_a, method, **params)
		assert response.status_code != 200 or not response.json().get("message"), method
	frappe.db.rollback()
	assert frappe.db.count("Contact Log") == before


# --- Beneficiary: never, by any route -----------------------------------------------------------


def test_beneficiary_is_never_readable_by_a_tutor(tutor_a, world):
	own = world.a.beneficiary  # even the tutor's own beneficiary
	rest = [
		tutor_a.get(f"{tutor_a.base}/api/resource/Beneficiary/{own}", timeout=30),
		tutor_a.get(f"{tutor_a.base}/api/resource/Beneficiary", timeout=30),
	]
	for response in rest:
		assert response.status_code == 403, response.text[:300]
	methods = [
		("frappe.client.get", {"doctype": "Beneficiary", "name": own}),
		(
			"frappe.client.get_value",
			{"doctype": "Beneficiary", "filters": json.dumps({"name": own}), "fieldname": "last_name"},
		),
		("frappe.client.get_list", {"doctype": "Beneficiary"}),
		("frappe.client.get_count", {"doctype": "Beneficiary"}),
		("frappe.desk.form.load.getdoc", {"doctype": "Beneficiary", "name": own}),
		(
			"frappe.desk.reportview.get",
			{"doctype": "Beneficiary", "fields": json.dumps(["name", "last_name"])},
		),
		("frappe.desk.reportview.get_count", {"doctype": "Beneficiary"}),
		("frappe.desk.search.search_link", {"doctype": "Beneficiary", "txt": world.a.beneficiary_first_name}),
		(
			"frappe.desk.search.search_widget",
			{"doctype": "Beneficiary", "txt": world.a.beneficiary_first_name},
		),
		(
			"frappe.client.validate_link",
			{"doctype": "Beneficiary", "docname": own, "fields": json.dumps(["last_name"])},
		),
	]
	for method, params in methods:
		response = call(tutor_a, method, **params)
		assert world.a.beneficiary_last_name not in response.text, method
		assert "health secret" not in response.text, method
		assert refused(response) or method == "frappe.client.validate_link", (method, response.text[:300])


def test_beneficiary_file_is_not_downloadable(tutor_a, world):
	response = tutor_a.get(f"{tutor_a.base}{world.a.beneficiary_file}", timeout=30)
	assert response.status_code == 403
	assert b"beneficiary secret" not in response.content


# --- reports ------------------------------------------------------------------------------------


def test_programme_reports_are_refused(tutor_a):
	reports = frappe.get_all("Report", filters={"module": ("in", PROGRAMME_MODULES)}, pluck="name")
	for report in reports:
		response = call(tutor_a, "frappe.desk.query_report.run", report_name=report, filters="{}")
		assert response.status_code == 403, (report, response.status_code, response.text[:300])
		assert "Surname" not in response.text


def test_reportview_is_refused(tutor_a, world):
	response = call(
		tutor_a,
		"frappe.desk.reportview.get",
		doctype="Pairing",
		fields=json.dumps(["`tabPairing`.`name`", "`tabPairing`.`status`"]),
	)
	assert response.status_code == 403, response.text[:300]
	assert world.b.pairing not in response.text


# --- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["pairing_file", "log_file"])
def test_private_files_of_other_tutors_records_are_refused(tutor_a, world, key):
	other = tutor_a.get(f"{tutor_a.base}{world.b[key]}", timeout=30)
	assert other.status_code == 403
	assert b"secret b" not in other.content
	# their own records' attachments too: files follow the record, which the portal shows
	own = tutor_a.get(f"{tutor_a.base}{world.a[key]}", timeout=30)
	assert own.status_code == 403
	assert b"secret a" not in own.content


def test_file_records_of_other_tutors_are_not_listed(tutor_a, world):
	response = tutor_a.get(
		f"{tutor_a.base}/api/resource/File",
		params={"fields": json.dumps(["file_url"]), "limit_page_length": 0},
		timeout=30,
	)
	assert world.b.log_file not in response.text
	assert world.b.pairing_file not in response.text
	assert world.a.beneficiary_file not in response.text


# --- training -----------------------------------------------------------------------------------


def test_tutor_cannot_unregister_someone_else(tutor_a, tutor_b, world):
	registered = tutor_b.post(
		f"{tutor_b.base}/training",
		data={"action": "register", "session": world.session},
		headers={"Accept": "text/html"},
		allow_redirects=False,
		timeout=30,
	)
	assert registered.status_code in (301, 302), registered.text[:500]
	frappe.db.rollback()
	assert frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.b.tutor})
	response = call(tutor_a, "ciac_tutoring.portal.training.unregister_from_training", session=world.session)
	assert response.status_code != 200
	frappe.db.rollback()
	assert frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.b.tutor})
	# and a direct write to the session is refused
	before = snapshot("Training Session", world.session)
	response = tutor_a.put(
		f"{tutor_a.base}/api/resource/Training Session/{world.session}",
		data=json.dumps({"attendees": []}),
		timeout=30,
	)
	assert response.status_code == 403
	assert snapshot("Training Session", world.session) == before


# --- staff-only fields of the tutor's own records (permlevel 1) ----------------------------------


def test_own_pairing_shows_no_surname_or_staff_notes_by_any_route(tutor_a, world):
	"""Desk endpoints too: link titles, search results, report columns and single values."""
	own = world.a.pairing
	attempts = [
		("frappe.client.get", {"doctype": "Pairing", "name": own}),
		("frappe.desk.form.load.getdoc", {"doctype": "Pairing", "name": own}),
		(
			"frappe.client.get_value",
			{"doctype": "Pairing", "filters": json.dumps({"name": own}), "fieldname": "beneficiary_name"},
		),
		(
			"frappe.client.get_value",
			{"doctype": "Pairing", "filters": json.dumps({"name": own}), "fieldname": "notes"},
		),
		("frappe.client.get_list", {"doctype": "Pairing", "fields": json.dumps(["*"])}),
		(
			"frappe.client.get_list",
			{"doctype": "Pairing", "fields": json.dumps(["name", "beneficiary_name", "notes"])},
		),
		("frappe.desk.reportview.get", {"doctype": "Pairing", "fields": json.dumps(["*"])}),
		(
			"frappe.desk.reportview.get",
			{"doctype": "Pairing", "fields": json.dumps(["`tabPairing`.`beneficiary_name`"])},
		),
		("frappe.desk.search.search_link", {"doctype": "Pairing", "txt": ""}),
		("frappe.desk.search.search_link", {"doctype": "Pairing", "txt": world.a.beneficiary_first_name}),
		("frappe.desk.search.search_widget", {"doctype": "Pairing", "txt": ""}),
		(
			"frappe.client.validate_link",
			{"doctype": "Pairing", "docname": own, "fields": json.dumps(["beneficiary_name", "notes"])},
		),
	]
	for method, params in attempts:
		response = call(tutor_a, method, **params)
		assert world.a.beneficiary_last_name not in response.text, (method, params)
		assert "pairing notes" not in response.text, (method, params)


def test_own_contact_log_shows_no_surname(tutor_a, world):
	"""The log links the pairing and the beneficiary, both titled by the beneficiary's full name."""
	response = call(tutor_a, "frappe.client.get", doctype="Contact Log", name=world.a.contact_log)
	assert response.status_code == 403, response.text[:300]
	assert world.a.beneficiary_last_name not in response.text


@pytest.mark.parametrize("doctype,key", [("Contact Log", "contact_log"), ("Pairing", "pairing")])
def test_desk_form_loaders_are_refused_to_tutors(tutor_a, world, doctype, key):
	"""They send the linked records' titles, the version history, comments and emails."""
	name = world.a[key]
	for method in (
		"frappe.desk.form.load.getdoc",
		"frappe.desk.form.load.get_docinfo",
		"frappe.desk.form.load.get_communications",
	):
		response = call(tutor_a, method, doctype=doctype, name=name)
		assert response.status_code == 403, (method, response.text[:300])
		assert world.a.beneficiary_last_name not in response.text, method


def test_child_tables_of_staff_only_fields_are_not_listed(tutor_a, world):
	"""Frappe lists a child table given a readable parent DocType, whatever the table field's level."""
	frappe.db.rollback()
	for doctype, parent, fields in (
		("Training Attendance", "Training Session", ["tutor", "tutor_name", "attendance"]),
		("Pairing Goal", "Pairing", ["goal", "progress", "notes"]),
	):
		for method in ("frappe.client.get_list", "frappe.desk.reportview.get_list"):
			response = call(tutor_a, method, doctype=doctype, parent=parent, fields=json.dumps(fields))
			rows = response.json().get("message") or [] if response.status_code == 200 else []
			assert all(not row.get(field) for row in rows for field in fields), (method, doctype, rows)


def register(client, session: str) -> None:
	response = client.post(
		f"{client.base}/training",
		data={"action": "register", "session": session},
		headers={"Accept": "text/html"},
		allow_redirects=False,
		timeout=30,
	)
	assert response.status_code in (301, 302), response.text[:500]


def test_training_session_over_rest_shows_no_other_tutors(tutor_a, tutor_b, world):
	if not frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.b.tutor}):
		register(tutor_b, world.session)
	frappe.db.rollback()
	tutor_b_name = frappe.db.get_value("Tutor", world.b.tutor, "tutor_name")
	responses = [
		tutor_a.get(f"{tutor_a.base}/api/resource/Training Session/{world.session}", timeout=30),
		call(tutor_a, "frappe.client.get", doctype="Training Session", name=world.session),
		call(tutor_a, "frappe.desk.form.load.getdoc", doctype="Training Session", name=world.session),
		call(
			tutor_a,
			"frappe.client.get_list",
			doctype="Training Attendance",
			parent="Training Session",
			fields=json.dumps(["tutor", "tutor_name"]),
		),
		call(
			tutor_a,
			"frappe.desk.reportview.get",
			doctype="Training Session",
			fields=json.dumps(["`tabTraining Attendance`.`tutor_name`"]),
		),
	]
	for response in responses:
		assert world.b.tutor not in response.text, response.text[:300]
		assert tutor_b_name not in response.text, response.text[:300]
		assert refused(response), response.text[:300]


def test_training_page_still_registers_and_counts_places(tutor_a, world):
	"""The page reads the attendees with server code: registration works and places are counted."""
	frappe.db.rollback()
	if frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor}):
		call(tutor_a, "ciac_tutoring.portal.training.unregister_from_training", session=world.session)
	register(tutor_a, world.session)
	frappe.db.rollback()
	assert frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})
	page = tutor_a.get(f"{tutor_a.base}/training", headers={"Accept": "text/html"}, timeout=30)
	assert page.status_code == 200
	tutor_b_name = frappe.db.get_value("Tutor", world.b.tutor, "tutor_name")
	assert tutor_b_name not in page.text
	response = call(tutor_a, "ciac_tutoring.portal.training.unregister_from_training", session=world.session)
	assert response.status_code == 200, response.text[:300]
	frappe.db.rollback()
	assert not frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.a.tutor})


# --- no filtering, sorting or searching on fields a tutor may not read ---------------------------


def test_filters_on_staff_only_fields_are_refused(tutor_a, world):
	"""Counting one's own pairings filtered on `beneficiary_name like '%x%'` would spell the surname."""
	surname = [["beneficiary_name", "like", f"%{world.a.beneficiary_last_name}%"]]
	notes = {"notes": ["like", "%pairing notes%"]}
	goal_notes = [["Pairing Goal", "notes", "like", "%"]]
	attendee = [["Training Attendance", "tutor", "=", world.b.tutor]]
	attempts = [
		("frappe.client.get_count", {"doctype": "Pairing", "filters": json.dumps(surname)}),
		("frappe.client.get_list", {"doctype": "Pairing", "filters": json.dumps(notes)}),
		("frappe.client.get_list", {"doctype": "Pairing", "or_filters": json.dumps(surname)}),
		("frappe.client.get_list", {"doctype": "Pairing", "filters": json.dumps(goal_notes)}),
		("frappe.client.get_list", {"doctype": "Pairing", "order_by": "beneficiary_name asc"}),
		("frappe.desk.reportview.get_count", {"doctype": "Pairing", "filters": json.dumps(surname)}),
		(
			"frappe.desk.reportview.get",
			{"doctype": "Pairing", "fields": json.dumps(["name"]), "filters": json.dumps(surname)},
		),
		(
			"frappe.client.get_list",
			{"doctype": "Pairing Goal", "parent": "Pairing", "filters": json.dumps({"notes": "x"})},
		),
		("frappe.client.get_list", {"doctype": "Training Session", "filters": json.dumps(attendee)}),
		("frappe.client.get_count", {"doctype": "Tutor", "filters": json.dumps({"interview_notes": "x"})}),
		(
			"frappe.client.get_value",
			{"doctype": "Pairing", "filters": json.dumps({"name": world.a.pairing}), "fieldname": "notes"},
		),
		("frappe.desk.search.search_link", {"doctype": "Pairing", "txt": world.a.beneficiary_last_name}),
		("frappe.desk.search.search_widget", {"doctype": "Pairing", "txt": world.a.beneficiary_last_name}),
	]
	for method, params in attempts:
		response = call(tutor_a, method, **params)
		assert response.status_code == 403, (method, params, response.text[:300])
	rest = tutor_a.get(
		f"{tutor_a.base}/api/resource/Pairing", params={"filters": json.dumps(surname)}, timeout=30
	)
	assert rest.status_code == 403, rest.text[:300]


def test_child_rows_are_not_listed(tutor_a, world):
	"""Frappe lists a child table to whoever reads the parent DocType named: tutors read none."""
	for doctype, parent in (
		("Spoken Language", "Tutor"),
		("Support Area Item", "Tutor"),
		("Support Area Item", "Contact Log"),
		("Tutor Phase History", "Tutor"),
		("Training Attendance", "Training Session"),
		("Pairing Goal", "Pairing"),
	):
		response = call(
			tutor_a,
			"frappe.client.get_list",
			doctype=doctype,
			parent=parent,
			fields=json.dumps(["parent", "parenttype"]),
			limit_page_length=0,
		)
		assert response.status_code == 403, (doctype, parent, response.text[:300])


# --- staff still see everything ------------------------------------------------------------------


@pytest.fixture(scope="module")
def coordinator(site_server, world):
	from frappe.utils.password import update_password

	email = f"{world.prefix}-coordinator@portal-test.example"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Coordinatrice",
				"send_welcome_email": 0,
				"roles": [{"role": "CIAC Coordinator"}],
			}
		).insert(ignore_permissions=True)
	update_password(email, world.password)
	frappe.db.commit()  # nosemgrep: the web server reads committed data only
	session = site_server.session(email, world.password)
	session.base = site_server.url
	token = CSRF_PATTERN.search(session.get(f"{site_server.url}/app", timeout=30).text)
	if token:
		session.headers["X-Frappe-CSRF-Token"] = token.group(1)
	session.headers["Accept"] = "application/json"
	yield session
	# User.on_trash insists on another System Manager, which a bare test site lacks
	frappe.db.delete("Has Role", {"parent": email})
	frappe.db.delete("__Auth", {"doctype": "User", "name": email})
	frappe.db.delete("User", email)
	frappe.db.commit()  # nosemgrep: undo what this fixture committed


def test_staff_read_the_staff_only_fields_titles_and_search(coordinator, tutor_b, world):
	full_name = f"{world.a.beneficiary_first_name} {world.a.beneficiary_last_name}"
	pairing = coordinator.get(f"{coordinator.base}/api/resource/Pairing/{world.a.pairing}", timeout=30)
	assert pairing.status_code == 200, pairing.text[:300]
	assert pairing.json()["data"]["beneficiary_name"] == full_name
	assert pairing.json()["data"]["notes"] == "pairing notes"
	form = call(coordinator, "frappe.desk.form.load.getdoc", doctype="Contact Log", name=world.a.contact_log)
	assert form.status_code == 200, form.text[:300]
	assert form.json()["_link_titles"][f"Pairing::{world.a.pairing}"] == full_name
	found = call(
		coordinator, "frappe.desk.search.search_link", doctype="Pairing", txt=world.a.beneficiary_last_name
	)
	assert found.status_code == 200, found.text[:300]
	assert world.a.pairing in found.text
	counted = call(
		coordinator,
		"frappe.client.get_count",
		doctype="Pairing",
		filters=json.dumps([["beneficiary_name", "like", f"%{world.a.beneficiary_last_name}%"]]),
	)
	assert counted.json()["message"] == 1
	if not frappe.db.exists("Training Attendance", {"parent": world.session, "tutor": world.b.tutor}):
		register(tutor_b, world.session)
	session = coordinator.get(f"{coordinator.base}/api/resource/Training Session/{world.session}", timeout=30)
	assert world.b.tutor in {row["tutor"] for row in session.json()["data"]["attendees"]}
