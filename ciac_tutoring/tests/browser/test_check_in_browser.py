"""The beneficiary's check-in page in Chromium on a cheap phone (360 px): in Arabic it is laid out
right to left (the faces and the language switch mirrored), fits the screen, passes axe-core's
WCAG 2.1 A/AA rules and is answered by tapping; a screenshot goes to test-artifacts/."""

import frappe
import pytest

from ciac_tutoring.beneficiary_voice.tests.voice_data import (
	CHECK_IN,
	current_link,
	world_fixtures,
)
from ciac_tutoring.tests.browser.browser import assert_fits_the_screen, screenshot
from ciac_tutoring.tests.browser.crawl import axe_violations

pytestmark = pytest.mark.browser


world, fresh = world_fixtures("voicebrw")


def test_the_arabic_check_in_on_a_phone_is_right_to_left_accessible_and_answerable(site_server, fresh, phone):
	world = fresh
	page = phone
	requested = []
	page.on("request", lambda request: requested.append(request.url))
	page.goto(f"{site_server.url}/check-in?t={current_link(world.b).token()}")
	assert page.evaluate("document.documentElement.dir") == "rtl"
	assert page.evaluate("document.documentElement.lang") == "ar"
	assert_fits_the_screen(page)
	assert len(requested) == 1, requested  # the page alone on metered data: no script, style sheet or image
	# nor a favicon (Playwright does not report the browser's own favicon request: the tag is checked)
	assert page.locator("link[rel=icon]").get_attribute("href") == "data:,"
	# mirrored: the first face (Good) is on the right, the last (Sad) on the left
	good = page.locator("label[for=mood-Good]").bounding_box()
	sad = page.locator("label[for=mood-Sad]").bounding_box()
	assert good["x"] > sad["x"]
	# the form fits one phone screen with its two buttons
	talk = page.locator("#talk-to-ciac").bounding_box()
	assert talk["y"] + talk["height"] <= 1.6 * 740
	screenshot(page, "check-in-ar-360")

	violations = axe_violations(page)
	assert violations == [], violations

	page.click("label[for=heard_from_tutor-Yes]")
	page.click("label[for=mood-Good]")
	page.fill("#suggestion", "نزهة في الحديقة")
	page.click("#send-answers")
	page.wait_for_selector("#check-in-sent")
	screenshot(page, "check-in-ar-360-sent")
	frappe.db.rollback()
	row = frappe.get_all(
		CHECK_IN, filters={"pairing": world.b.pairing}, fields=["mood", "suggestion", "language"]
	)
	assert row == [{"mood": "Good", "suggestion": "نزهة في الحديقة", "language": "ar"}]
