"""The check-in link's whole life over HTTP on a real server, the SMS through Frappe's SMS
Settings to the local gateway, and what the answers do (confirmations, the worklist, the tutor's
portal, the exports).

Pairing A's beneficiary chose French; B's mother tongue is Arabic. Each test starts with no
check-ins (`fresh`)."""

import re

import frappe
import pytest
import requests
from frappe.utils import add_days, today

from ciac_tutoring.beneficiary_voice import sending
from ciac_tutoring.beneficiary_voice.links import CheckinLink, link_for
from ciac_tutoring.beneficiary_voice.tests.voice_data import (
	CHECK_IN,
	PERIOD_DAYS,
	LocalGateway,
	current_link,
	current_period,
	world_fixtures,
)
from ciac_tutoring.monitoring.report.pairing_compliance import pairing_compliance
from ciac_tutoring.privacy.export import collect_personal_data
from ciac_tutoring.tests.portal_data import logged_in, make_contact_log

pytestmark = pytest.mark.http
REFUSED = "This link does not work"


world, fresh = world_fixtures("voice")


def open_link(server, link: CheckinLink | str, **params) -> requests.Response:
	token = link.token() if isinstance(link, CheckinLink) else link
	return requests.get(f"{server.url}/check-in", params={"t": token, **params}, timeout=30)


def answer(server, link: CheckinLink | str, origin: str | None = None, **answers) -> requests.Response:
	token = link.token() if isinstance(link, CheckinLink) else link
	return requests.post(
		f"{server.url}/check-in",
		data={"t": token, **answers},
		headers={"Origin": origin or server.url},
		allow_redirects=False,
		timeout=30,
	)


def check_ins(pairing: str) -> list[dict]:
	frappe.db.rollback()
	return frappe.get_all(CHECK_IN, filters={"pairing": pairing}, fields=["*"], order_by="period")


# --- the link's whole life ------------------------------------------------------------------


def test_a_valid_link_shows_only_the_tutors_first_name_and_how_to_reach_ciac(site_server, fresh):
	page = open_link(site_server, current_link(fresh.a))
	assert page.status_code == 200
	assert 'lang="fr"' in page.text and 'dir="ltr"' in page.text  # her language, chosen before
	assert "Giulia" in page.text and "Bianchi" not in page.text
	assert fresh.a.beneficiary_last_name not in page.text
	assert "+39 0521 000000" in page.text
	assert "Je veux parler au CIAC" in page.text


def test_answers_are_saved_and_a_reused_link_amends_its_periods_check_in(site_server, fresh):
	link = current_link(fresh.a)
	sent = answer(site_server, link, heard_from_tutor="Yes", mood="Good", suggestion="Museo", lang="fr")
	assert sent.status_code in (301, 302, 303) and "sent=1" in sent.headers["Location"]
	[first] = check_ins(fresh.a.pairing)
	assert (first.heard_from_tutor, first.mood, first.suggestion, first.times_submitted) == (
		"Yes",
		"Good",
		"Museo",
		1,
	)
	assert first.language == "fr" and first.channel == "SMS"

	again = open_link(site_server, link)
	assert "Museo" in again.text  # the form shows the answers given so far
	answer(site_server, link, heard_from_tutor="No", mood="So-so", suggestion="Cinema", lang="en")
	[amended] = check_ins(fresh.a.pairing)
	assert amended.name == first.name and amended.times_submitted == 2
	assert (amended.heard_from_tutor, amended.mood, amended.suggestion) == ("No", "So-so", "Cinema")
	# the language chosen on the page is hers from now on
	assert frappe.db.get_value("Beneficiary", fresh.a.beneficiary, "preferred_language") == "en"
	frappe.db.set_value("Beneficiary", fresh.a.beneficiary, "preferred_language", "fr")
	frappe.db.commit()  # nosemgrep: restore for the other tests


def test_expired_forged_and_anothers_links_show_a_plain_page_and_change_nothing(site_server, fresh):
	expired = link_for(
		fresh.a.beneficiary, fresh.a.pairing, add_days(today(), -PERIOD_DAYS - 3), PERIOD_DAYS, "SMS"
	)
	valid = current_link(fresh.a).token()
	payload, signature = valid.split(".")
	forged_signature = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
	# B's beneficiary and pairing under A's signature
	b_payload = CheckinLink(fresh.b.beneficiary, fresh.b.pairing, *valid_dates(fresh.a)).token().split(".")[0]
	borrowed_signature = f"{b_payload}.{signature}"
	# signed by the site, but naming a pairing that is not her own
	anothers = link_for(
		fresh.b.beneficiary, fresh.a.pairing, current_period(fresh.a.pairing), PERIOD_DAYS, "SMS"
	)
	# a signature with a character outside ASCII (compare_digest refuses str of those: was a 500)
	non_ascii = f"{payload}.é{signature[1:]}"
	for bad in (expired, forged_signature, borrowed_signature, anothers, non_ascii, "", "garbage.token"):
		page = open_link(site_server, bad)
		assert page.status_code == 200 and REFUSED in page.text, bad
		assert "Giulia" not in page.text and "Marco" not in page.text
		answer(site_server, bad, mood="Sad", wants_to_talk="1", talk="1")
	assert check_ins(fresh.a.pairing) == [] and check_ins(fresh.b.pairing) == []


def test_a_post_from_another_site_is_refused(site_server, fresh):
	answer(site_server, current_link(fresh.a), origin="https://evil.example", mood="Sad", talk="1")
	assert check_ins(fresh.a.pairing) == []


def test_a_link_reaches_only_its_own_periods_answers(site_server, fresh):
	earlier = link_for(
		fresh.a.beneficiary,
		fresh.a.pairing,
		add_days(current_period(fresh.a.pairing), -PERIOD_DAYS),
		PERIOD_DAYS,
		"SMS",
	)
	# an earlier period's answers, given while its link was valid
	from ciac_tutoring.beneficiary_voice import answers

	answers.save_answers(earlier, answers.clean_answers({"suggestion": "Earlier period idea"}), "fr")
	answers.save_answers(current_link(fresh.b), answers.clean_answers({"suggestion": "Idea of B"}), "ar")
	frappe.db.commit()  # nosemgrep: the server reads them
	page = open_link(site_server, current_link(fresh.a))
	assert "Earlier period idea" not in page.text and "Idea of B" not in page.text


def valid_dates(data):
	period = current_period(data.pairing)
	return str(period), str(add_days(period, PERIOD_DAYS))


# --- sending ---------------------------------------------------------------------------------


def test_the_due_links_reach_the_local_sms_gateway_in_each_beneficiarys_language(site_server, fresh):
	with LocalGateway() as gateway:
		sent = sending.send_due_links()
		assert sent >= 2
		french = gateway.wait_for(lambda m: m["to"] == "+393207770001")
		arabic = gateway.wait_for(lambda m: m["to"] == "+393207770002")
		assert french["text"].startswith("Bonjour Amina") and "Giulia" in french["text"]
		assert arabic["text"].startswith("مرحبًا") and "Marco" in arabic["text"]
		# a second run sends nothing again for the same period
		count = len(gateway.messages())
		sending.send_due_links()
		assert len(gateway.messages()) == count
	url = re.search(r"https?://\S+", arabic["text"]).group(0)
	token = url.split("t=", 1)[1]
	page = open_link(site_server, token)
	assert 'lang="ar"' in page.text and 'dir="rtl"' in page.text and "أريد التحدث مع CIAC" in page.text
	# by email too, where she has an address, with its own link
	frappe.db.rollback()
	[check_in] = frappe.get_all(CHECK_IN, filters={"pairing": fresh.a.pairing}, fields=["name", "sent_by"])
	assert check_in.sent_by == "SMS, Email"
	assert (
		frappe.db.count("Email Queue", {"reference_doctype": CHECK_IN, "reference_name": check_in.name}) == 1
	)


def test_no_link_without_her_recorded_consent(site_server, fresh):
	frappe.db.set_value("Beneficiary", fresh.b.beneficiary, "check_in_messages", 0)
	try:
		due = {row.pairing for row in sending.due_links()}
		assert fresh.a.pairing in due and fresh.b.pairing not in due
	finally:
		frappe.db.rollback()


# --- what the answers do ---------------------------------------------------------------------


def test_a_confirmed_call_is_marked_and_counted(site_server, fresh):
	answer(site_server, current_link(fresh.a), heard_from_tutor="Yes", met_this_month="Yes", mood="Good")
	frappe.db.rollback()
	assert frappe.db.get_value("Contact Log", fresh.a.contact_log, "confirmed_by_beneficiary") == 1
	[row] = [r for r in pairing_compliance.get_data(frappe._dict()) if r.pairing == fresh.a.pairing]
	assert row.response_rate == 100 and row.confirmed_share == 100 and not row.disagreement


def test_a_meeting_she_says_did_not_happen_puts_the_pairing_on_the_worklist(site_server, fresh):
	meeting = make_contact_log(fresh.b.pairing, add_days(today(), -5), kind="In-person meeting")
	frappe.db.commit()  # nosemgrep: the server reads it
	try:
		answer(site_server, current_link(fresh.b), met_this_month="No", heard_from_tutor="Yes")
		frappe.db.rollback()
		worklist = pairing_compliance.get_data(frappe._dict(beneficiary_disagrees=1))
		assert [row.pairing for row in worklist if row.pairing in (fresh.a.pairing, fresh.b.pairing)] == [
			fresh.b.pairing
		]
		assert not frappe.db.get_value("Contact Log", meeting, "confirmed_by_beneficiary")
		# once CIAC has followed up, it leaves the worklist
		frappe.db.set_value(CHECK_IN, {"pairing": fresh.b.pairing}, "reviewed", 1)
		worklist = pairing_compliance.get_data(frappe._dict(beneficiary_disagrees=1))
		assert fresh.b.pairing not in [row.pairing for row in worklist]
	finally:
		frappe.db.rollback()
		frappe.db.delete("Contact Log", meeting)
		frappe.db.commit()  # nosemgrep: the server's rows


def test_weeks_of_no_contact_while_the_tutor_logs_calls_reach_the_worklist(site_server, fresh):
	period = current_period(fresh.a.pairing)
	earlier = link_for(
		fresh.a.beneficiary, fresh.a.pairing, add_days(period, -PERIOD_DAYS), PERIOD_DAYS, "SMS"
	)
	from ciac_tutoring.beneficiary_voice import answers

	answers.save_answers(earlier, answers.clean_answers({"heard_from_tutor": "No"}), "fr")
	frappe.db.commit()  # nosemgrep: the server reads it
	answer(site_server, current_link(fresh.a), heard_from_tutor="No")
	rows = check_ins(fresh.a.pairing)
	assert [row.disagreement for row in rows] == ["", "No contact reported"]


# --- the tutor sees her suggestions, nothing else ---------------------------------------------


def test_the_tutor_sees_her_suggestions_and_nothing_else(site_server, fresh):
	answer(
		site_server,
		current_link(fresh.a),
		mood="Sad",
		suggestion="Visitare il Duomo",
		message_to_ciac="Private words",
	)
	tutor = logged_in(site_server, fresh.a.user)
	page = tutor.get(f"{site_server.url}/my-tutoring", headers={"Accept": "text/html"}, timeout=30)
	assert "Visitare il Duomo" in page.text and "Private words" not in page.text
	for url in (
		"/api/resource/Beneficiary Check-in",
		f"/api/resource/Beneficiary Check-in/CHK-{fresh.a.pairing}-{current_period(fresh.a.pairing)}",
	):
		response = tutor.get(site_server.url + url, timeout=30)
		assert response.status_code in (403, 404) or not response.json().get("data"), url
	# the tutor's own data export has none of her answers; hers has them all
	frappe.db.rollback()
	tutor_export = frappe.as_json(collect_personal_data("Tutor", fresh.a.tutor, staff_view=False))
	assert "Visitare il Duomo" not in tutor_export and "Private words" not in tutor_export
	her_export = collect_personal_data("Beneficiary", fresh.a.beneficiary)
	assert her_export["check_ins"][0]["message_to_ciac"] == "Private words"


def test_the_page_is_rate_limited_per_connection(site_server, fresh):
	from ciac_tutoring.beneficiary_voice.page import PAGE_LIMIT

	link = current_link(fresh.a)
	for _try in range(PAGE_LIMIT):
		assert REFUSED not in open_link(site_server, link).text
	page = open_link(site_server, link)
	assert "Trop d'essais" in page.text or "Too many tries" in page.text
	answer(site_server, link, mood="Sad", talk="1")
	assert check_ins(fresh.a.pairing) == []
