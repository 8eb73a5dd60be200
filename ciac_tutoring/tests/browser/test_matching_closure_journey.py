"""A coordinator matches a waiting refugee with a tutor and closes a pairing, in the desk.

Headless Chromium against the test server, as in test_staff_journey.py: the buttons, reports and
dialogs the coordinator uses, and what the server then holds. The scores and the closure rules
themselves are tested in test_matching.py and test_pairing_closure.py.
"""

import frappe
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.tests import factory
from ciac_tutoring.tests.browser.browser import screenshot
from ciac_tutoring.tests.browser.test_staff_journey import (
	field,
	open_desk,
	wait_for_form,
	wait_for_report,
)
from ciac_tutoring.tests.test_workflow import active_pairing, tutor_at

pytestmark = pytest.mark.browser

TOWN = "Fontanellato (browser test)"


def make_tutor(committed_docs, tutor_name: str, phase: str, **values) -> str:
	"""A tutor put straight into `phase` (the workflow's gates are tested elsewhere); no town,
	language or area unless given: they change the matching scores this journey reads."""
	values = {"municipality": None, "languages": [], "support_areas": [], **values}
	tutor = factory.make_tutor(
		ignore_permissions=True,
		tutor_name=tutor_name,
		email=f"browser-{frappe.generate_hash(length=8)}@example.com",
		capacity=1,
		**values,
	)
	committed_docs.append(("Tutor", tutor.name))
	tutor.db_set({"workflow_state": phase, "training_hours": 10})
	return tutor.name


def make_beneficiary(committed_docs, last_name: str, **values) -> str:
	"""No town, gender, Italian level or need unless given, for the same reason."""
	values = {"municipality": None, "gender": None, "italian_level": None, "needs": [], **values}
	beneficiary = factory.make_beneficiary(
		ignore_permissions=True,
		first_name="Amina",
		last_name=last_name,
		date_of_birth="1998-04-12",
		consent=1,
		**values,
	)
	committed_docs.append(("Beneficiary", beneficiary.name))
	return beneficiary.name


def click_button(page, label: str) -> None:
	page.locator(
		".page-actions button:visible, .form-inner-toolbar button:visible", has_text=label
	).first.click()


@pytest.fixture
def waiting_refugee(committed_docs):
	"""A waiting beneficiary, a tutor who fits her (same town, her need, her language) and one
	who does not (far away, nothing in common)."""
	area = frappe.get_all("Support Area", filters={"enabled": 1}, pluck="name", order_by="name", limit=1)[0]
	beneficiary = make_beneficiary(
		committed_docs,
		"Matching",
		municipality=TOWN,
		mother_tongue="fr",
		needs=[{"support_area": area}],
	)
	good = make_tutor(
		committed_docs,
		"Laura Conti",
		gates.PRESENTATION,
		municipality=TOWN,
		languages=[{"language": "fr", "level": "Fluent"}],
		support_areas=[{"support_area": area}],
	)
	weak = make_tutor(
		committed_docs, "Piero Galli", gates.PRESENTATION, municipality="Elsewhere (browser test)"
	)
	frappe.db.commit()
	assert frappe.db.get_value("Beneficiary", beneficiary, "status") == "Waiting"
	return frappe._dict(beneficiary=beneficiary, good=good, weak=weak)


def test_coordinator_finds_a_tutor_for_a_waiting_refugee_and_proposes_the_pairing(
	coordinator_page, site_server, committed_docs, waiting_refugee
):
	case = waiting_refugee
	page = coordinator_page
	open_desk(page, site_server, f"beneficiary/{case.beneficiary}")
	wait_for_form(page, "Beneficiary", case.beneficiary)
	click_button(page, "Find a Tutor")

	# The report opens filtered on her and ranks the tutor who fits above the one who does not.
	wait_for_report(page, "Matching Candidates")
	wait_for_candidate(page, case)
	assert page.evaluate("frappe.query_report.get_filter_value('beneficiary')") == case.beneficiary
	rows = page.evaluate(
		"frappe.query_report.data.map((row) => ({tutor: row.tutor, score: row.score, why: row.why}))"
	)
	ranked = [row["tutor"] for row in rows]
	assert ranked.index(case.good) < ranked.index(case.weak)
	good_row = rows[ranked.index(case.good)]
	assert "same municipality" in good_row["why"] and "French (Fluent)" in good_row["why"]
	screenshot(page, "matching-candidates")

	# She ticks the tutor and proposes: the Proposed pairing opens.
	index = ranked.index(case.good)
	page.locator(f'.dt-scrollable .dt-row[data-row-index="{index}"] input[type="checkbox"]').check()
	click_button(page, "Propose")
	page.wait_for_url("**/app/pairing/**")
	wait_for_form(page, "Pairing")
	pairing = page.evaluate("cur_frm.doc.name")
	committed_docs.append(("Pairing", pairing))
	screenshot(page, "matching-proposed-pairing")

	frappe.db.rollback()  # a fresh snapshot: the server committed in its own connection
	stored = frappe.db.get_value(
		"Pairing", pairing, ["tutor", "beneficiary", "status", "coordinator"], as_dict=True
	)
	assert (stored.tutor, stored.beneficiary, stored.status) == (case.good, case.beneficiary, "Proposed")
	assert stored.coordinator == page.evaluate("frappe.session.user")


def test_the_programme_plan_shows_the_best_tutor_for_each_waiting_refugee(
	coordinator_page, site_server, waiting_refugee
):
	"""The plan is only read here: proposing it would pair everyone waiting on the test site."""
	case = waiting_refugee
	page = coordinator_page
	open_desk(page, site_server, "query-report/Matching Plan")
	wait_for_report(page, "Matching Plan")
	plan = page.evaluate("frappe.query_report.data.map((row) => [row.beneficiary, row.tutor])")
	assert [case.beneficiary, case.good] in plan
	assert page.locator(".page-actions button:visible", has_text="Propose These Pairings").count() == 1
	screenshot(page, "matching-plan")


def wait_for_candidate(page, case) -> None:
	"""The report filtered on her lists the tutor who fits. Under load the desk has once drawn the
	report before the route's filter arrived and not redrawn it (CI, December 2026): then the
	report is refreshed once, and a second miss fails with what the page and the server hold."""
	page.wait_for_function(
		"(name) => frappe.query_report.get_filter_value('beneficiary') === name", arg=case.beneficiary
	)
	listed = "(tutor) => (frappe.query_report.data || []).some((row) => row.tutor === tutor)"
	try:
		page.wait_for_function(listed, arg=case.good, timeout=20_000)
		return
	except PlaywrightTimeout:
		print("Matching Candidates not drawn with the route's filter: refreshed once")
	page.evaluate("frappe.query_report.refresh()")
	try:
		page.wait_for_function(listed, arg=case.good, timeout=30_000)
	except PlaywrightTimeout:
		from ciac_tutoring.pairing.matching import rank_candidates

		frappe.db.rollback()
		on_page = page.evaluate(
			"({filter: frappe.query_report.get_filter_value('beneficiary'),"
			" rows: (frappe.query_report.data || []).map((row) => row.tutor),"
			" message: document.querySelector('.msgprint')?.innerText || ''})"
		)
		on_server = [row.tutor for row in rank_candidates(case.beneficiary)]
		pytest.fail(f"{case.good} not listed: page {on_page}, server ranking {on_server}")


@pytest.fixture
def started_pairing(committed_docs):
	"""An Active pairing whose tutor the workflow brought to phase 5, meeting every gate."""
	tutor = tutor_at(gates.TUTORING_STARTED)
	pairing = frappe.get_doc("Pairing", active_pairing(tutor))
	sessions = frappe.get_all(
		"Training Attendance", filters={"tutor": tutor.name, "parenttype": "Training Session"}, pluck="parent"
	)
	if frappe.db.exists("User", tutor.email):  # the portal login the interview gave the tutor
		committed_docs.append(("User", tutor.email))
	committed_docs.extend(
		[
			("Tutor", tutor.name),
			("Beneficiary", pairing.beneficiary),
			*(("Training Session", session) for session in sessions),
			("Pairing", pairing.name),
		]
	)
	frappe.db.commit()
	assert len(pairing.goals) == 6
	return pairing


def test_coordinator_closes_a_pairing_with_its_outcome(coordinator_page, site_server, started_pairing):
	pairing = started_pairing
	reason = frappe.get_all("Closure Reason", filters={"enabled": 1}, pluck="name", order_by="name", limit=1)[
		0
	]
	page = coordinator_page
	open_desk(page, site_server, f"pairing/{pairing.name}")
	wait_for_form(page, "Pairing", pairing.name)
	click_button(page, "Close Pairing")
	page.wait_for_function("() => cur_frm.doc.status === 'Closed' && cur_frm.doc.closure_date")

	# Reason, who and the interview, but no final rating of the goals: the server refuses, naming
	# what is missing, and nothing is saved.
	page.evaluate(
		"(reason) => cur_frm.set_value({closure_reason: reason, closing_interview_date: frappe.datetime.get_today()})",
		reason,
	)
	page.select_option(field("closure_initiated_by", "select"), "Tutor")
	# The refusal below is the server's answer (417, and its traceback on a developer-mode site).
	page.console.ignore(r"status of 417")
	page.console.ignore(r"ClosureError")
	page.keyboard.press("Control+s")
	dialog = page.locator(".modal:visible", has_text="the final rating of the goals")
	dialog.wait_for()
	# Frappe's Escape closes cur_dialog, which is set only once the dialog's fade-in has ended:
	# pressed while it is still fading in, Escape does nothing (CI failed that way once).
	page.wait_for_function("() => window.cur_dialog === frappe.msg_dialog && cur_dialog.display")
	screenshot(page, "closure-refused")
	page.keyboard.press("Escape")
	dialog.wait_for(state="hidden")
	frappe.db.rollback()
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Active"

	# Every goal rated, the tutor available again: closed, and the tutor back in phase 4.
	page.evaluate(
		"() => cur_frm.doc.goals.forEach((row) => frappe.model.set_value(row.doctype, row.name, 'final_progress', 4))"
	)
	page.check(field("tutor_available_again", 'input[type="checkbox"]'))
	page.keyboard.press("Control+s")
	page.wait_for_function(
		"() => !cur_frm.is_dirty() && cur_frm.doc.status === 'Closed' && !frappe.dom.freeze_count"
	)
	screenshot(page, "closure-done")

	frappe.db.rollback()
	stored = frappe.get_doc("Pairing", pairing.name)
	assert (stored.status, stored.closure_reason, stored.closure_initiated_by) == ("Closed", reason, "Tutor")
	assert [row.final_progress for row in stored.goals] == [4] * 6
	assert frappe.db.get_value("Tutor", pairing.tutor, "workflow_state") == gates.PRESENTATION
