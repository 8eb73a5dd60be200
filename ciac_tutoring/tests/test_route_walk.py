"""Every route a tutor or a guest can take returns nothing of another tutor's records, no staff-only
value, and changes nothing.

Two tutors (A and B) and a guest call, over HTTP against a real server, the routes named in
docs/permissions.md and then every whitelisted method of Frappe and of the app that a website user
(or a guest) may call, found by importing every module and reading `frappe.whitelisted`. Each
method gets B's record names (and A's own pairing) for the arguments it takes. Values planted in
B's records and in staff-only fields of A's (sentinels) must appear in no response, and the
programme's tables, their comments, versions, tags, likes, shares, files and assignments must be
unchanged afterwards.
"""

import hashlib
import importlib
import inspect
import json
import pkgutil
import re

import frappe
import pytest
import requests

from ciac_tutoring.tests.portal_data import PortalWorld, logged_in, make_training_session
from ciac_tutoring.tests.utils import PROGRAMME_MODULES

pytestmark = pytest.mark.http

PROGRAMME_DOCTYPES = ("Tutor", "Beneficiary", "Pairing", "Contact Log", "Training Session")
# Rows that hang on programme records: what a route could add, change or remove beside the record.
ATTACHED_DOCTYPES = {
	"Comment": "reference_doctype",
	"Version": "ref_doctype",
	"Tag Link": "document_type",
	"ToDo": "reference_type",
	"DocShare": "share_doctype",
	"File": "attached_to_doctype",
	"Communication": "reference_doctype",
}
# Methods never called: they end the caller's session, touch the whole site or the network; or
# render the caller's own PDF, which the single-threaded test server cannot (wkhtmltopdf fetches the
# styles from that same server): download_my_certificate takes no record name, only the caller's own
# is served (third_sector/tests/test_hours_and_certificate.py).
SKIPPED = re.compile(
	r"logout|clear_session|sessions\.clear|setup_wizard|frappe\.integrations|\.recorder\.|sign_up"
	r"|reset_password|frappe\.www\.login\.|send_login_link|email_account|backups|socketio|rebuild"
	r"|download_my_certificate"
)
DOCTYPE_PARAMS = {"doctype", "dt", "ref_doctype", "reference_doctype", "document_type", "parenttype"}
NAME_PARAMS = {
	"name",
	"docname",
	"dn",
	"doc_name",
	"reference_name",
	"ref_docname",
	"document_name",
	"docnames",
}
LIST_PARAMS = {"names", "items", "docs", "docnames_list"}


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="pwalk")
	mark = hashlib.sha1(frappe.generate_hash().encode()).hexdigest()[:8]
	world.sentinels = {}

	def plant(doctype, name, fieldname, label):
		value = f"Sentinel{label}{mark}"
		frappe.db.set_value(doctype, name, fieldname, value, update_modified=False)
		world.sentinels[value] = f"{doctype}.{fieldname} of {label}"

	plant("Tutor", world.b.tutor, "tutor_name", "TutorNameB")
	plant("Tutor", world.b.tutor, "address", "AddressB")
	plant("Tutor", world.a.tutor, "interview_notes", "InterviewA")
	plant("Tutor", world.b.tutor, "interview_notes", "InterviewB")
	for side in ("a", "b"):
		plant("Beneficiary", world[side].beneficiary, "last_name", f"Surname{side.upper()}")
		plant("Beneficiary", world[side].beneficiary, "health_notes", f"Health{side.upper()}")
		plant("Pairing", world[side].pairing, "notes", f"PairingNotes{side.upper()}")
		# the pairing's title: the beneficiary's full name
		plant("Pairing", world[side].pairing, "beneficiary_name", f"FullName{side.upper()}")
	plant("Beneficiary", world.b.beneficiary, "first_name", "FirstNameB")
	plant("Contact Log", world.b.contact_log, "notes", "LogNotesB")
	# a past session B attended: who attended is staff-only, and A may not register for it
	world.held_session = make_training_session("pwalk held", days_ahead=-20)
	held = frappe.get_doc("Training Session", world.held_session)
	held.append("attendees", {"tutor": world.b.tutor, "attendance": "Attended", "hours": 2})
	held.flags.ignore_permissions = True
	held.status = "Held"
	held.save()
	frappe.db.commit()  # nosemgrep: the test server reads committed data only
	yield world
	frappe.db.rollback()
	frappe.delete_doc("Training Session", world.held_session, force=True, ignore_permissions=True)
	world.delete()


@pytest.fixture(scope="module")
def clients(site_server, world):
	return {
		"tutor A": logged_in(site_server, world.a.user, world.password),
		"guest": requests.Session(),
	}


def programme_state() -> str:
	"""A digest of every programme row and of every row attached to one."""
	frappe.db.rollback()  # a fresh snapshot: what the server committed
	digest = hashlib.sha256()
	doctypes = list(PROGRAMME_DOCTYPES)
	for doctype in PROGRAMME_DOCTYPES:
		doctypes += [df.options for df in frappe.get_meta(doctype).get_table_fields()]
	for doctype in doctypes:
		rows = frappe.db.sql(f"select * from `tab{doctype}` order by name", as_list=True)  # noqa: S608
		digest.update(repr(rows).encode())
	for doctype, link_field in ATTACHED_DOCTYPES.items():
		rows = frappe.get_all(
			doctype,
			filters={link_field: ("in", PROGRAMME_DOCTYPES)},
			fields=["name", "modified"],
			order_by="name",
			as_list=True,
		)
		digest.update(repr((doctype, rows)).encode())
	return digest.hexdigest()


def still_logged_in(site_server, client, world) -> None:
	"""A walk that logged the tutor out would go on being refused for the wrong reason."""
	who = client.get(f"{site_server.url}/api/method/frappe.auth.get_logged_user", timeout=30)
	assert who.status_code == 200 and who.json()["message"] == world.a.user, who.text[:300]


def leaked(world, text: str) -> list[str]:
	return [label for value, label in world.sentinels.items() if value in text]


def named_routes(world) -> list[tuple[str, str, dict]]:
	"""(HTTP method, path, params) of the routes docs/permissions.md names, on B's records and A's own."""
	targets = [
		("Tutor", world.b.tutor),
		("Tutor", world.a.tutor),
		("Beneficiary", world.b.beneficiary),
		("Beneficiary", world.a.beneficiary),
		("Pairing", world.b.pairing),
		("Pairing", world.a.pairing),
		("Contact Log", str(world.b.contact_log)),
		("Training Session", world.held_session),
	]
	routes = []
	for doctype, name in targets:
		doc = json.dumps({"doctype": doctype, "name": name, "notes": "changed"})
		routes += [
			("GET", f"/api/resource/{doctype}", {"fields": '["*"]', "limit_page_length": 0}),
			("GET", f"/api/resource/{doctype}/{name}", {}),
			("PUT", f"/api/resource/{doctype}/{name}", {"notes": "changed"}),
			("DELETE", f"/api/resource/{doctype}/{name}", {}),
			("POST", f"/api/resource/{doctype}", {"pairing": name, "notes": "changed"}),
			("GET", "/printview", {"doctype": doctype, "name": name}),
			("GET", f"/app/{frappe.scrub(doctype).replace('_', '-')}/{name}", {}),
		]
		methods = {
			"frappe.client.get": {"doctype": doctype, "name": name},
			"frappe.client.get_list": {"doctype": doctype, "fields": '["*"]', "limit_page_length": 0},
			"frappe.client.get_value": {
				"doctype": doctype,
				"filters": json.dumps({"name": name}),
				"fieldname": '["*"]',
			},
			"frappe.client.get_count": {"doctype": doctype, "filters": json.dumps({"name": name})},
			"frappe.client.set_value": {"doctype": doctype, "name": name, "fieldname": "notes", "value": "x"},
			"frappe.client.save": {"doc": doc},
			"frappe.client.delete": {"doctype": doctype, "name": name},
			"frappe.client.validate_link": {"doctype": doctype, "docname": name, "fields": '["*"]'},
			"frappe.desk.search.get_link_title": {"doctype": doctype, "docname": name},
			"frappe.desk.search.search_link": {"doctype": doctype, "txt": ""},
			"frappe.desk.search.search_widget": {"doctype": doctype, "txt": ""},
			"frappe.desk.form.linked_with.get": {"doctype": doctype, "docname": name},
			"frappe.desk.form.load.getdoc": {"doctype": doctype, "name": name},
			"frappe.desk.form.load.get_docinfo": {"doctype": doctype, "name": name},
			"frappe.desk.form.load.get_communications": {"doctype": doctype, "name": name},
			"frappe.www.printview.get_html_and_style": {"doc": doc, "print_format": "Standard"},
			"frappe.desk.doctype.tag.tag.add_tag": {"tag": "walked", "dt": doctype, "dn": name},
			"frappe.desk.doctype.tag.tag.add_tags": {
				"tags": '["walked"]',
				"dt": doctype,
				"docs": json.dumps([name]),
			},
			"frappe.desk.doctype.tag.tag.remove_tag": {"tag": "walked", "dt": doctype, "dn": name},
			"frappe.desk.like.toggle_like": {"doctype": doctype, "name": name, "add": "Yes"},
			"frappe.desk.form.utils.add_comment": {
				"reference_doctype": doctype,
				"reference_name": name,
				"content": "walked",
				"comment_email": "x@example.com",
				"comment_by": "x",
			},
			"frappe.desk.reportview.get": {"doctype": doctype, "fields": '["*"]'},
			"frappe.desk.reportview.get_list": {"doctype": doctype, "fields": '["*"]'},
			"frappe.desk.reportview.get_count": {"doctype": doctype},
			"frappe.desk.reportview.get_sidebar_stats": {"doctype": doctype, "stats": '["_user_tags"]'},
			"frappe.desk.reportview.get_group_by_count": {
				"doctype": doctype,
				"current_filters": "[]",
				"field": "owner",
			},
		}
		routes += [("POST", f"/api/method/{method}", params) for method, params in methods.items()]
		for child, parent in (
			("Version", None),
			("Comment", None),
			("Pairing Goal", "Pairing"),
			("Training Attendance", "Training Session"),
			("Spoken Language", "Beneficiary"),
		):
			routes.append(
				(
					"POST",
					"/api/method/frappe.client.get_list",
					{"doctype": child, "parent": parent or "", "fields": '["*"]', "limit_page_length": 0},
				)
			)
	for report in frappe.get_all("Report", filters={"module": ("in", PROGRAMME_MODULES)}, pluck="name"):
		routes.append(
			("POST", "/api/method/frappe.desk.query_report.run", {"report_name": report, "filters": "{}"})
		)
	return routes


def whitelisted_methods() -> tuple[list, set]:
	"""Every whitelisted function of Frappe and the app, and those a guest may call."""
	for package in ("frappe", "ciac_tutoring"):
		root = importlib.import_module(package)
		for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
			if ".tests" in module.name or ".test_" in module.name or "patches" in module.name:
				continue
			try:
				importlib.import_module(module.name)
			except Exception:  # optional dependencies, commands: not reachable over HTTP either
				continue
	methods = sorted({fn for fn in frappe.whitelisted if not SKIPPED.search(path_of(fn))}, key=path_of)
	return methods, {path_of(fn) for fn in frappe.guest_methods}


def path_of(fn) -> str:
	return f"{fn.__module__}.{fn.__qualname__}"


def argument_sets(fn, world) -> list[dict]:
	"""The arguments to try a method with: B's records (and A's own pairing) wherever it takes a
	DocType and a name; B's pairing wherever it takes only a name."""
	try:
		params = set(inspect.signature(inspect.unwrap(fn)).parameters)
	except (TypeError, ValueError):
		params = set()
	targets = [
		("Pairing", world.b.pairing),
		("Tutor", world.b.tutor),
		("Beneficiary", world.b.beneficiary),
		("Contact Log", str(world.b.contact_log)),
		("Pairing", world.a.pairing),
		("Training Session", world.held_session),
	]
	if not params & DOCTYPE_PARAMS:
		targets = targets[:1]
	sets = []
	for doctype, name in targets:
		args = {}
		for param in params:
			if param in DOCTYPE_PARAMS:
				args[param] = doctype
			elif param in NAME_PARAMS:
				args[param] = name
			elif param in LIST_PARAMS:
				args[param] = json.dumps([name])
			elif param in ("filters", "or_filters"):
				args[param] = json.dumps({"name": name})
			elif param == "doc":
				args[param] = json.dumps({"doctype": doctype, "name": name})
			elif param in ("fields", "fieldname"):
				args[param] = '["*"]'
			elif param in ("txt", "query", "search_term", "text"):
				args[param] = ""
			elif param == "session":
				args[param] = world.held_session
			elif param == "pairing":
				args[param] = name
		sets.append(args)
	return sets


def test_named_routes_leak_nothing_and_change_nothing(site_server, world, clients):
	before = programme_state()
	failures = []
	for who, client in clients.items():
		for http_method, path, params in named_routes(world):
			if http_method == "GET":
				response = client.get(
					site_server.url + path, params=params, timeout=30, allow_redirects=False
				)
			elif path.startswith("/api/resource/"):
				response = client.request(
					http_method, site_server.url + path, data=json.dumps(params), timeout=30
				)
			else:
				response = client.post(site_server.url + path, data=params, timeout=30)
			found = leaked(world, response.text)
			if found:
				failures.append((who, http_method, path, params, found))
	assert not failures, failures
	assert programme_state() == before
	still_logged_in(site_server, clients["tutor A"], world)


def test_every_whitelisted_method_leaks_nothing_and_changes_nothing(site_server, world, clients):
	methods, guest_methods = whitelisted_methods()
	assert len(methods) > 300, "the whitelisted methods could not be found"
	assert "ciac_tutoring.portal.contacts.log_contact" in {path_of(fn) for fn in methods}
	before = programme_state()
	failures, calls = [], 0
	for who, client in clients.items():
		for fn in methods:
			path = path_of(fn)
			if who == "guest" and path not in guest_methods:
				continue
			for args in argument_sets(fn, world):
				try:
					response = client.post(f"{site_server.url}/api/method/{path}", data=args, timeout=20)
				except requests.RequestException as error:
					failures.append((who, path, args, repr(error)))
					continue
				calls += 1
				found = leaked(world, response.text)
				if found:
					failures.append((who, path, args, found))
	assert not failures, failures
	assert programme_state() == before, "a route changed programme data"
	assert calls > 300
	still_logged_in(site_server, clients["tutor A"], world)
