"""The issue-26 demo step: links sent by SMS to the local gateway, check-ins from several
beneficiaries (a confirmation, a request to talk to CIAC, suggestions for the tutors)."""

import frappe

from ciac_tutoring.beneficiary_voice import health
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


def test_the_demo_shows_relationship_health_with_a_trend_and_a_divergence(tmp_path, monkeypatch):
	base_demo.load()
	with SmsGateway(tmp_path) as gateway:
		monkeypatch.setenv("CIAC_SMS_GATEWAY_URL", gateway.url)
		demo.load()
		records = frappe.db.count(health.HEALTH)
		demo.load()  # idempotent: each side answers each quarter once
	assert frappe.db.count(health.HEALTH) == records
	rows = frappe.get_all(
		health.HEALTH, fields=["pairing", "period", "side", "score", "alert_reason", "beneficiary"]
	)
	assert {row.side for row in rows} == {health.TUTOR, health.BENEFICIARY}
	by_first_name = {
		frappe.db.get_value("Beneficiary", row.beneficiary, "first_name"): row.pairing for row in rows
	}
	assert [row.alert_reason for row in rows if row.alert_reason] == [health.SIDES_DIVERGE]
	assert next(row for row in rows if row.alert_reason).pairing == by_first_name["Abdi"]
	trend = [row.score for row in health.health_by_period([by_first_name["Yusuf"]])]
	assert len(trend) == 2 and trend[1] > trend[0]  # Programme Outcomes' trend: rising
