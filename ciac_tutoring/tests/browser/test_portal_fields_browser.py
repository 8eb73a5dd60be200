"""An admin's own field on the availability form, in a phone's browser: appears, validates, saves, goes."""

import frappe
import pytest

from ciac_tutoring.tests.browser.test_portal_journeys import portal_page, shot  # noqa: F401 (fixture)
from ciac_tutoring.tests.test_portal_fields import (  # noqa: F401 (fixture)
	FORM_EMAIL,
	SIZE_LABEL_IT,
	admin_fields,
	customize_tutor,
)

pytestmark = [pytest.mark.browser, pytest.mark.http]


@pytest.mark.parametrize("portal_page", [360], indirect=True)
def test_an_admins_field_in_the_browser(site_server, portal_page, admin_fields):  # noqa: F811 (fixtures)
	page, size = portal_page, admin_fields.size
	page.goto(f"{site_server.url}/become-a-tutor?_lang=it")
	page.wait_for_selector(f"text={SIZE_LABEL_IT}")
	page.check("input[name=tutor_type][value=Individual]")
	page.fill("#tutor_name", "Campo Personalizzato")
	page.fill("#email", FORM_EMAIL)
	page.fill("#mobile", "+39 333 1112224")
	page.fill("#municipality", "Parma")
	page.select_option("#language_0", "it")
	page.locator("input[name=support_areas]").first.check()
	page.check("#privacy_consent")
	page.click("#submit-availability")
	page.wait_for_selector(f"#error-{size}")
	shot(page, "portal-field", "1-required")

	page.select_option(f"#{size}", "M")
	page.check("#privacy_consent")
	page.click("#submit-availability")
	page.wait_for_selector("#availability-sent")
	frappe.db.rollback()
	assert frappe.db.get_value("Tutor", {"email": FORM_EMAIL}, size) == "M"

	customize_tutor(remove=[size])
	frappe.db.commit()  # nosemgrep: the server reads the customisation
	page.goto(f"{site_server.url}/become-a-tutor?_lang=it")
	page.wait_for_selector("#submit-availability")
	assert page.locator(f"#{size}").count() == 0
	shot(page, "portal-field", "2-removed")
