"""The beneficiary's relationship-health questions on her check-in page, in Chromium on a cheap
phone (360 px) in Arabic: right to left (the scale mirrored), no sideways scrolling, axe-core's
WCAG 2.1 A/AA rules, answered by tapping; a screenshot goes to test-artifacts/."""

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.beneficiary_voice.tests.voice_data import current_link, world_fixtures
from ciac_tutoring.tests.browser.browser import assert_fits_the_screen, screenshot
from ciac_tutoring.tests.browser.crawl import axe_violations

pytestmark = pytest.mark.browser

world, voice_fresh = world_fixtures("healthbrw")


@pytest.fixture
def fresh(voice_fresh):
	# started 98 days ago: today's check-in period is the first of its first questionnaire quarter
	frappe.db.set_value("Pairing", voice_fresh.b.pairing, "start_date", add_days(today(), -98))
	frappe.db.commit()  # nosemgrep: the server reads it
	yield voice_fresh
	frappe.db.rollback()
	names = frappe.get_all(health.HEALTH, filters={"pairing": voice_fresh.b.pairing}, pluck="name")
	frappe.db.delete("Relationship Health Answer", {"parent": ("in", names or [""])})
	frappe.db.delete(health.HEALTH, {"name": ("in", names or [""])})
	frappe.db.commit()  # nosemgrep: the server's rows


def test_the_arabic_questionnaire_on_a_phone_is_right_to_left_accessible_and_answerable(
	site_server, fresh, phone
):
	page = phone
	page.goto(f"{site_server.url}/check-in?t={current_link(fresh.b).token()}")
	assert page.evaluate("document.documentElement.dir") == "rtl"
	assert page.locator("#health-questions").is_visible()
	assert_fits_the_screen(page)
	questions = health.questions_for(health.BENEFICIARY)
	first = questions[0].name
	# mirrored: "not at all" (1) on the right, "very much" (5) on the left
	low = page.locator(f"label[for=q-{first}-1]").bounding_box()
	high = page.locator(f"label[for=q-{first}-5]").bounding_box()
	assert low["x"] > high["x"]
	page.locator("#health-questions").scroll_into_view_if_needed()
	screenshot(page, "health-questionnaire-ar-360")

	violations = axe_violations(page)
	assert violations == [], violations

	for question in questions:
		page.click(f"label[for=q-{question.name}-4]")
	page.click("#send-answers")
	page.wait_for_selector("#check-in-sent")
	frappe.db.rollback()
	[record] = frappe.get_all(
		health.HEALTH, filters={"pairing": fresh.b.pairing}, fields=["side", "language", "score"]
	)
	# 4 ("Yes") to each: 75 for the positive statements, 25 for the reversed one
	reversed_ = sum(1 for q in questions if q.reverse_scored)
	expected = round((75 * (len(questions) - reversed_) + 25 * reversed_) / len(questions), 1)
	assert (record.side, record.language, record.score) == ("Beneficiary", "ar", expected)
