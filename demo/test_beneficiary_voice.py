"""The issue-26 demo step: links sent by SMS to the local gateway, check-ins from several
beneficiaries (a confirmation, a request to talk to CIAC, suggestions for the tutors)."""

import frappe

from ciac_tutoring.beneficiary_voice.answers import CHECK_IN, WANTS_TO_TALK
from demo import base as base_demo
from demo import beneficiary_voice as demo
from demo.sms_gateway import SmsGateway


def test_the_demo_shows_check_ins_from_several_beneficiaries(tmp_path, monkeypatch):
	base_demo.load()
	with SmsGateway(tmp_path) as gateway:
		monkeypatch.setenv("CIAC_SMS_GATEWAY_URL", gateway.url)
		demo.load()
		sent = len(gateway.messages())
		demo.load()  # idempotent: the period's links went out once
		assert len(gateway.messages()) == sent >= 4
	answered = frappe.get_all(
		CHECK_IN,
		filters={"submitted_on": ("is", "set")},
		fields=["beneficiary", "alert_reason", "suggestion"],
	)
	assert len({row.beneficiary for row in answered}) >= 3
	assert any(row.alert_reason == WANTS_TO_TALK for row in answered)
	assert sum(1 for row in answered if row.suggestion) >= 2
	assert frappe.db.count("Contact Log", {"confirmed_by_beneficiary": 1}) >= 1
