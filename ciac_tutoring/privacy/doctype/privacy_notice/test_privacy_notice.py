# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.privacy.doctype.consent_record.consent_record import record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import NoticeInUseError, get_current_notice
from ciac_tutoring.tests.factory import make_tutor


def make_notice(purpose="Tutor availability", effective_from=None, text="<p>Notice</p>"):
	return frappe.get_doc(
		{
			"doctype": "Privacy Notice",
			"purpose": purpose,
			"effective_from": effective_from or today(),
			"text_it": text,
			"text_en": text + " (en)",
		}
	).insert()


def test_versions_are_numbered_per_purpose_and_the_latest_in_effect_is_current():
	first = make_notice()
	second = make_notice()
	other = make_notice("Beneficiary intake")
	make_notice(effective_from=add_days(today(), 10))  # published ahead: not current yet
	assert second.version == first.version + 1
	assert second.name == f"Tutor availability v{second.version}"
	assert other.name.startswith("Beneficiary intake v")
	assert get_current_notice("Tutor availability").name == second.name


def test_the_text_cannot_change_once_someone_consented_to_it():
	notice = make_notice(text="<p>Version text</p>")
	notice.text_it = "<p>Corrected before anyone consented</p>"
	notice.save()
	record_consent("Tutor", make_tutor().name, notice.name, "Paper")
	notice.reload()
	notice.text_it = "<p>Rewritten</p>"
	with pytest.raises(NoticeInUseError):
		notice.save()
	notice.reload()
	notice.effective_from = add_days(today(), -1)  # other fields may still change
	notice.save()


def test_the_app_ships_a_first_notice_for_each_purpose():
	assert get_current_notice("Tutor availability")
	assert get_current_notice("Beneficiary intake")
