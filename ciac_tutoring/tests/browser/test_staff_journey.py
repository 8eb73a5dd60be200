"""CIAC staff's journeys through the desk, in headless Chromium against a real server.

A CIAC Coordinator logs in, opens the Tutoring workspace, registers a tutor, moves it
through the "Tutor Activation" workflow, opens a pairing and the reports. Each test skips,
saying why, while the piece it drives does not exist yet; each later piece extends them.
Screenshots land in test-artifacts/.
"""

import json
from pathlib import Path

import frappe
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from ciac_tutoring.tests import factory
from ciac_tutoring.tests.browser.browser import COORDINATOR, login, screenshot, wait_for_desk
from ciac_tutoring.tests.utils import PROGRAMME_MODULES

WORKFLOW = "Tutor Activation"

pytestmark = pytest.mark.browser


def require(doctype: str, name: str) -> None:
	if not frappe.db.exists(doctype, name):
		pytest.skip(f"{doctype} {name!r} does not exist yet")


def open_desk(page, site_server, route: str) -> None:
	page.goto(f"{site_server.url}/app/{route}")
	wait_for_desk(page)


def navigate(page, site_server, route: str) -> None:
	"""Go to a desk route as a click in the desk does; the desk boots on the first route only (a
	boot is seconds of CPU in CI). The caller waits for what the route shows."""
	if not page.evaluate("() => Boolean(window.frappe && frappe.router && frappe.boot)"):
		open_desk(page, site_server, route)
		return
	if route.startswith("query-report/"):
		# The desk keeps one query report object for every report: forget the last report's rows
		# and filters, so that waiting for this report's result waits for this report's run.
		page.evaluate(
			"() => { if (frappe.query_report) Object.assign(frappe.query_report, {data: undefined, filters: []}); }"
		)
	page.evaluate("(route) => frappe.set_route(route)", f"/app/{route}")


def wait_for_form(page, doctype: str, name: str | None = None) -> None:
	condition = f"cur_frm && cur_frm.doctype === {json.dumps(doctype)} && !cur_frm.is_dirty()"
	if name:
		condition += f" && cur_frm.doc.name === {json.dumps(name)}"
	page.wait_for_function(f"() => window.cur_frm && {condition}")


def field(fieldname: str, element: str = "input") -> str:
	return f'.frappe-control[data-fieldname="{fieldname}"] {element}'


def first_input(doctype: str) -> str:
	"""The input of the form's first data field (layout breaks are not controls)."""
	layout = ("Section Break", "Column Break", "Tab Break", "HTML", "Heading", "Button")
	first = next(df for df in frappe.get_meta(doctype).fields if df.fieldtype not in layout and not df.hidden)
	return field(first.fieldname, ":is(input, select, textarea)")


def wait_for_new_form(page, doctype: str) -> None:
	"""The new form shows its first field (a failing form script leaves it empty)."""
	try:
		page.wait_for_selector(first_input(doctype), state="visible", timeout=10_000)
	except PlaywrightTimeout:
		errors = page.console.take()
		raise AssertionError(f"the new {doctype} form shows no field; browser errors: {errors}") from None


def make_tutor(committed_docs, email: str, tutor_name: str) -> str:
	tutor = factory.make_tutor(
		ignore_permissions=True, tutor_name=tutor_name, email=email, mobile="+39 333 1234567"
	)
	committed_docs.append(("Tutor", tutor.name))
	frappe.db.commit()
	return tutor.name


# --- the journey --------------------------------------------------------------------------


def test_coordinator_logs_in_and_the_desk_boots(site_server, desk_bundles, browser_page, make_user):
	coordinator = make_user(COORDINATOR, roles=["CIAC Coordinator"], first_name="Chiara")
	page = browser_page
	login(page, site_server.url, coordinator.email, coordinator.password)  # the real login page
	wait_for_desk(page)
	assert page.evaluate("frappe.session.user") == COORDINATOR
	# Past the setup wizard, with the desk's styles and scripts loaded from the built bundles.
	assert page.evaluate("frappe.get_route()[0]") != "setup-wizard"
	assert page.locator('link[href*="/assets/frappe/dist/css/desk.bundle."]').count() == 1
	# The navbar sticks to the top, inside Frappe v15's `.sticky-top` wrapper.
	sticky = "document.querySelector('.navbar').closest('.sticky-top')"
	assert page.evaluate(f"getComputedStyle({sticky}).position") in ("sticky", "fixed")
	screenshot(page, "desk-home")


def test_tutoring_workspace_shows_its_cards_and_shortcuts(coordinator_page, site_server):
	require("Workspace", "Tutoring")
	content = json.loads(frappe.db.get_value("Workspace", "Tutoring", "content") or "[]")
	expected = {
		kind: sum(block["type"] == kind for block in content) for kind in ("card", "shortcut", "number_card")
	}
	page = coordinator_page
	open_desk(page, site_server, "tutoring")
	page.wait_for_function(
		"([cards, shortcuts]) => document.querySelectorAll('.links-widget-box').length === cards"
		" && document.querySelectorAll('.shortcut-widget-box').length === shortcuts",
		arg=[expected["card"], expected["shortcut"]],
	)
	assert page.locator(".page-title .title-text").first.inner_text().strip() == "Tutoring"
	# Dashboard charts have fetched their data and drawn (their "Loading..." state is gone).
	charts = page.locator(".dashboard-widget-box:visible")
	expect(charts).to_have_count(sum(block["type"] == "chart" for block in content))
	expect(
		page.locator(".dashboard-widget-box .chart-loading-state:visible", has_text="Loading")
	).to_have_count(0)
	if expected["number_card"]:
		page.wait_for_function(
			"(count) => document.querySelectorAll('.number-widget-box .widget-content .number').length === count",
			arg=expected["number_card"],
		)
	page.wait_for_timeout(1500)  # frappe-charts draws after a resize observer fires and animates
	screenshot(page, "workspace-tutoring")


def test_coordinator_registers_a_tutor_and_schedules_the_interview(
	coordinator_page, site_server, committed_docs
):
	require("DocType", "Tutor")
	email = "browser.new.tutor@example.com"
	for name in frappe.get_all("Tutor", filters={"email": email}, pluck="name"):  # an interrupted run's
		frappe.delete_doc("Tutor", name, force=True, ignore_permissions=True)
	frappe.db.commit()

	page = coordinator_page
	open_desk(page, site_server, "tutor/new")
	wait_for_new_form(page, "Tutor")
	page.select_option(field("tutor_type", "select"), "Individual")
	page.fill(field("tutor_name"), "Giulia Verdi")
	page.fill(field("email"), email)
	page.fill(field("mobile"), "+39 333 7654321")
	page.check(field("privacy_consent", 'input[type="checkbox"]'))
	page.keyboard.press("Tab")
	page.keyboard.press("Control+s")
	page.wait_for_url("**/app/tutor/TUT-*")
	name = page.evaluate("cur_frm.doc.name")
	committed_docs.append(("Tutor", name))
	wait_for_form(page, "Tutor", name)
	screenshot(page, "tutor-form")

	frappe.db.rollback()  # a fresh snapshot: the server committed in its own connection
	tutor = frappe.get_doc("Tutor", name)
	assert (tutor.tutor_name, tutor.email, tutor.privacy_consent) == ("Giulia Verdi", email, 1)
	assert tutor.owner == COORDINATOR

	if not frappe.db.get_value("Workflow", WORKFLOW, "is_active"):
		pytest.skip(f"the {WORKFLOW!r} workflow is not active yet")
	assert tutor.workflow_state == "Availability Notified"
	apply_workflow_action(page, "Schedule Interview", "Interview")
	screenshot(page, "tutor-interview")
	frappe.db.rollback()
	assert frappe.db.get_value("Tutor", name, "workflow_state") == "Interview"

	# Phase 3 needs the interview on record (staff-only fields); entering it makes the portal user.
	committed_docs.append(("User", email))
	page.select_option(field("interview_outcome", "select"), "Suitable")
	page.evaluate(
		"() => cur_frm.set_value({interview_date: frappe.datetime.get_today(), interviewer: frappe.session.user})"
	)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_dirty() && cur_frm.doc.interview_outcome === 'Suitable'")
	apply_workflow_action(page, "Admit to Training", "Training")
	screenshot(page, "tutor-training")
	frappe.db.rollback()
	assert frappe.db.get_value("Tutor", name, "workflow_state") == "Training"


def apply_workflow_action(page, action: str, next_state: str) -> None:
	"""Take a workflow action from the form's Actions menu, as staff do."""
	page.locator(".actions-btn-group > button").click()
	page.locator(".actions-btn-group .dropdown-menu a", has_text=action).click()
	page.wait_for_function(
		"(state) => cur_frm.doc.workflow_state === state && !frappe.dom.freeze_count", arg=next_state
	)


def test_coordinator_opens_a_pairing_from_the_list(coordinator_page, site_server, committed_docs):
	for doctype in ("Tutor", "Beneficiary", "Pairing"):
		require("DocType", doctype)
	tutor = make_tutor(committed_docs, "browser.pairing.tutor@example.com", "Marco Bianchi")
	beneficiary = factory.make_beneficiary(
		ignore_permissions=True, first_name="Amina", last_name="Diallo", date_of_birth="1998-04-12"
	)
	committed_docs.append(("Beneficiary", beneficiary.name))
	pairing = frappe.get_doc(
		{"doctype": "Pairing", "tutor": tutor, "beneficiary": beneficiary.name, "status": "Proposed"}
	).insert(ignore_permissions=True)
	committed_docs.append(("Pairing", pairing.name))
	frappe.db.commit()

	page = coordinator_page
	open_desk(page, site_server, "pairing")
	row = page.locator(f'.list-row a[href="/app/pairing/{pairing.name}"]')
	row.wait_for()
	screenshot(page, "pairing-list")
	row.click()
	wait_for_form(page, "Pairing", pairing.name)
	assert page.evaluate("[cur_frm.doc.tutor, cur_frm.doc.tutor_name]") == [tutor, "Marco Bianchi"]
	page.wait_for_function("() => document.title.includes('Amina Diallo')")
	screenshot(page, "pairing-form")


def test_coordinator_opens_the_tutor_pipeline_report(coordinator_page, site_server, committed_docs):
	require("Report", "Tutor Pipeline")
	make_tutor(committed_docs, "browser.report.tutor@example.com", "Paola Neri")
	page = coordinator_page
	open_desk(page, site_server, "query-report/Tutor Pipeline")
	wait_for_report(page, "Tutor Pipeline")
	assert page.locator(".dt-scrollable .dt-row").count() > 0
	screenshot(page, "report-tutor-pipeline")


def test_every_tutoring_report_renders_for_a_coordinator(coordinator_page, site_server):
	reports = frappe.get_all(
		"Report",
		filters={"module": ("in", PROGRAMME_MODULES), "disabled": 0, "report_type": "Script Report"},
		pluck="name",
		order_by="name",
	)
	allowed = set(
		frappe.get_all(
			"Has Role", filters={"parenttype": "Report", "role": "CIAC Coordinator"}, pluck="parent"
		)
	)
	reports = [report for report in reports if report in allowed]
	if not reports:
		pytest.skip("no Tutoring report for coordinators yet")
	page = coordinator_page
	for report in reports:
		navigate(page, site_server, f"query-report/{report}")
		wait_for_report(page, report)
		screenshot(page, f"report-{report}")
		errors = page.console.take()
		assert not errors, f"report {report}: " + "; ".join(errors)


def wait_for_report(page, report: str) -> None:
	"""The query report has run once and drawn its result (rows or the empty state), or asks for
	a required filter (Matching Candidates waits for its beneficiary)."""
	page.wait_for_function(
		"(name) => frappe.query_report && frappe.query_report.report_name === name"
		" && !frappe.dom.freeze_count && (Array.isArray(frappe.query_report.data)"
		" || (frappe.query_report.filters || []).some((f) => f.df.reqd && !f.get_value()))",
		arg=report,
	)
	page.wait_for_load_state("networkidle")


def module_doctypes() -> list[str]:
	"""The Tutoring DocTypes a coordinator fills in a form (not child tables nor settings)."""
	names = []
	app = Path(__file__).resolve().parents[2]
	for path in sorted(
		p for m in PROGRAMME_MODULES for p in (app / frappe.scrub(m) / "doctype").glob("*/*.json")
	):
		meta = json.loads(path.read_text())
		if meta.get("doctype") == "DocType" and not meta.get("istable") and not meta.get("issingle"):
			names.append(meta["name"])
	return names


def test_every_tutoring_form_opens_for_a_coordinator(coordinator_page, site_server):
	"""Each form the coordinator may create renders its fields, with its client script, and no
	browser error."""
	page = coordinator_page
	creatable = [doctype for doctype in module_doctypes() if frappe.db.exists("DocType", doctype)]
	creatable = [
		doctype
		for doctype in creatable
		if frappe.get_all(
			"DocPerm",
			filters={"parent": doctype, "role": "CIAC Coordinator", "create": 1, "permlevel": 0},
			limit=1,
		)
	]
	if not creatable:
		pytest.skip("no Tutoring DocType a coordinator creates yet")
	broken = {}
	for doctype in creatable:
		navigate(page, site_server, f"{frappe.scrub(doctype).replace('_', '-')}/new")
		try:
			page.wait_for_function(
				"(doctype) => window.cur_frm && cur_frm.doctype === doctype && cur_frm.is_new()",
				arg=doctype,
				timeout=10_000,
			)
			page.wait_for_selector(first_input(doctype) + ":visible", timeout=10_000)
			# the breadcrumbs are drawn after the form, once routed to it ("Tutoring" holds "Tutor")
			page.wait_for_function(
				"(doctype) => [...document.querySelectorAll('#navbar-breadcrumbs li')]"
				".some((item) => item.innerText.trim() === doctype)",
				arg=doctype,
				timeout=10_000,
			)
		except PlaywrightTimeout:
			pass
		errors = page.console.take()
		# the forms visited before stay in the page, hidden: a field of the same name may be theirs
		visible = page.locator(first_input(doctype) + ":visible").count() > 0
		# every programme module's form leads back to the coordinators' workspace (ciac_tutoring/boot.py)
		breadcrumb = page.locator("#navbar-breadcrumbs a").first.inner_text().strip() if visible else ""
		if errors or not visible or breadcrumb != "Tutoring":
			broken[doctype] = errors or [f"no field shown, or breadcrumb {breadcrumb!r}"]
		screenshot(page, f"form-new-{doctype}")
	assert not broken, f"forms that do not open cleanly: {broken}"
