"""The relationship's health, both sides, over HTTP on a real server: the tutor answers on the
portal (another tutor's pairing refused), the beneficiary through her check-in link in her
language, the score, the alerts on a sharp drop and on diverging sides (each exactly once), the
questions edited in Beneficiary Voice Settings, Programme Outcomes' trend and the exports.

Both pairings started 98 days ago: today is in their first questionnaire quarter, and today's
check-in period is the first of that quarter (a questionnaire period)."""

import re

import frappe
import pytest
import requests
from frappe.utils import add_days, add_months, getdate, today

from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.beneficiary_voice.links import link_for
from ciac_tutoring.beneficiary_voice.tests.voice_data import (
	COORDINATOR,
	PERIOD_DAYS,
	current_link,
	world_fixtures,
)
from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_per_period import per_period
from ciac_tutoring.privacy.export import collect_personal_data
from ciac_tutoring.tests.portal_data import logged_in

pytestmark = pytest.mark.http
HEALTH = health.HEALTH
STARTED_DAYS_AGO = 98  # 3 months (89-92 days) < 98, and 98 - 14 < 89: see the module's docstring
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')

world, voice_fresh = world_fixtures("health")


@pytest.fixture
def fresh(voice_fresh):
	for side in ("a", "b"):
		frappe.db.set_value(
			"Pairing", voice_fresh[side].pairing, "start_date", add_days(today(), -STARTED_DAYS_AGO)
		)
	frappe.db.commit()  # nosemgrep: the server reads it
	clear_health(voice_fresh)
	yield voice_fresh
	clear_health(voice_fresh)


def clear_health(world) -> None:
	frappe.db.rollback()
	names = frappe.get_all(
		HEALTH, filters={"pairing": ("in", [world.a.pairing, world.b.pairing])}, pluck="name"
	)
	for doctype, field in (("Notification Log", "document_name"), ("Email Queue", "reference_name")):
		frappe.db.delete(doctype, {field: ("in", names or [""])})
	frappe.db.delete("Relationship Health Answer", {"parent": ("in", names or [""])})
	frappe.db.delete(HEALTH, {"name": ("in", names or [""])})
	frappe.db.commit()  # nosemgrep: the server's rows


def quarter(data):
	return health.open_tutor_periods([data.pairing])[data.pairing]


def tutor_form(positive: int, negative: int) -> dict:
	"""The tutor's answers: `positive` to the positive statements, `negative` to the reversed."""
	return {
		f"q-{q.name}": negative if q.reverse_scored else positive for q in health.questions_for(health.TUTOR)
	}


def her_form(positive: int, negative: int) -> dict:
	return {
		f"q-{q.name}": negative if q.reverse_scored else positive
		for q in health.questions_for(health.BENEFICIARY)
	}


def tutor_page(site_server, data, session=None):
	session = session or logged_in(site_server, data.user)
	return session, session.get(
		f"{site_server.url}/relationship-health",
		params={"pairing": data.pairing},
		headers={"Accept": "text/html"},
		timeout=30,
	)


def tutor_answers(site_server, data, form: dict, session=None) -> requests.Response:
	session, page = tutor_page(site_server, data, session)
	return session.post(
		f"{site_server.url}/relationship-health?pairing={data.pairing}",
		data={"csrf_token": CSRF.search(page.text).group(1), "pairing": data.pairing, **form},
		headers={"Accept": "text/html"},
		allow_redirects=False,
		timeout=30,
	)


def her_answers(site_server, link, form: dict, **check_in) -> requests.Response:
	return requests.post(
		f"{site_server.url}/check-in",
		data={"t": link.token(), **form, **check_in},
		headers={"Origin": site_server.url},
		allow_redirects=False,
		timeout=30,
	)


def records(pairing: str) -> list[dict]:
	frappe.db.rollback()
	return frappe.get_all(HEALTH, filters={"pairing": pairing}, fields=["*"], order_by="period, side")


def alerts(pairing: str) -> tuple[int, int]:
	"""(desk notifications, emails) about the pairing's questionnaires."""
	frappe.db.rollback()
	names = frappe.get_all(HEALTH, filters={"pairing": pairing}, pluck="name") or [""]
	notifications = frappe.db.count(
		"Notification Log",
		{"document_type": HEALTH, "document_name": ("in", names), "for_user": COORDINATOR},
	)
	emails = frappe.db.count("Email Queue", {"reference_doctype": HEALTH, "reference_name": ("in", names)})
	return notifications, emails


# --- the tutor, on the portal -----------------------------------------------------------------


def test_the_tutor_answers_on_the_portal_and_anothers_pairing_is_refused(site_server, fresh):
	session = logged_in(site_server, fresh.a.user)
	home = session.get(f"{site_server.url}/my-tutoring", headers={"Accept": "text/html"}, timeout=30)
	assert f"/relationship-health?pairing={fresh.a.pairing}" in home.text

	_session, page = tutor_page(site_server, fresh.a, session)
	assert page.status_code == 200 and "I feel close to the person I accompany." in page.text

	incomplete = tutor_form(4, 2)
	incomplete.popitem()
	refused = tutor_answers(site_server, fresh.a, incomplete, session)
	assert refused.status_code == 200 and "Answer every question." in refused.text
	assert records(fresh.a.pairing) == []

	sent = tutor_answers(site_server, fresh.a, tutor_form(4, 2), session)
	assert sent.status_code in (301, 302, 303) and "health=1" in sent.headers["Location"]
	[record] = records(fresh.a.pairing)
	assert (record.side, getdate(record.period), record.score) == ("Tutor", quarter(fresh.a), 75.0)
	assert record.beneficiary == fresh.a.beneficiary
	# answering again within the quarter amends the same record
	tutor_answers(site_server, fresh.a, tutor_form(5, 1), session)
	[amended] = records(fresh.a.pairing)
	assert (amended.name, amended.score, amended.times_submitted) == (record.name, 100.0, 2)

	# another tutor's pairing: refused on the page and by the API method, nothing written
	_session, anothers = tutor_page(site_server, fresh.b, session)
	assert anothers.status_code == 403
	api = session.post(
		f"{site_server.url}/api/method/ciac_tutoring.portal.relationship_health.answer_relationship_health",
		data={"pairing": fresh.b.pairing, **tutor_form(1, 5)},
		timeout=30,
	)
	assert api.status_code == 403 and records(fresh.b.pairing) == []
	# tutors have no DocPerm on the records
	rest = session.get(f"{site_server.url}/api/resource/{HEALTH}/{record.name}", timeout=30)
	assert rest.status_code in (403, 404)


def test_the_page_opened_without_its_pairing_leads_to_the_tutors_home(site_server, fresh):
	"""Not Frappe's 403 page with a login button for a tutor already logged in (a UX walk found it)."""
	session = logged_in(site_server, fresh.a.user)
	page = session.get(
		f"{site_server.url}/relationship-health",
		headers={"Accept": "text/html"},
		allow_redirects=False,
		timeout=30,
	)
	assert page.status_code in (301, 302, 303) and page.headers["Location"].endswith("/my-tutoring")


def test_the_api_method_writes_the_tutors_own_pairing(site_server, fresh):
	session = logged_in(site_server, fresh.b.user)
	api = session.post(
		f"{site_server.url}/api/method/ciac_tutoring.portal.relationship_health.answer_relationship_health",
		data={"pairing": fresh.b.pairing, **tutor_form(3, 3)},
		timeout=30,
	)
	assert api.status_code == 200, api.text[:300]
	[record] = records(fresh.b.pairing)
	assert record.score == 50.0 and api.json()["message"] == record.name


# --- the beneficiary, through her check-in link --------------------------------------------------


def test_the_beneficiary_answers_through_her_link_in_her_language(site_server, fresh):
	link = current_link(fresh.a)  # she chose French
	page = requests.get(f"{site_server.url}/check-in", params={"t": link.token()}, timeout=30)
	assert 'id="health-questions"' in page.text
	assert (
		"Toi et Giulia : quelques questions" in page.text and "Je peux compter sur mon tuteur." in page.text
	)
	assert "Pas du tout" in page.text

	sent = her_answers(site_server, link, her_form(5, 1), mood="Good", lang="fr")
	assert sent.status_code in (301, 302, 303)
	[record] = records(fresh.a.pairing)
	assert (record.side, record.score, record.language) == ("Beneficiary", 100.0, "fr")
	assert getdate(record.period) == quarter(fresh.a)
	# the form shows her answers given so far
	again = requests.get(f"{site_server.url}/check-in", params={"t": link.token()}, timeout=30)
	assert again.text.count("checked") >= len(health.questions_for(health.BENEFICIARY))

	# B's mother tongue is Arabic: the questions in Arabic, right to left
	arabic = requests.get(
		f"{site_server.url}/check-in", params={"t": current_link(fresh.b).token()}, timeout=30
	)
	assert 'dir="rtl"' in arabic.text and "أستطيع الاعتماد على مرشدي." in arabic.text

	# in each language the questions leave no English behind
	english = [q.question for q in health.questions_for(health.BENEFICIARY)]
	english += [w for w in health.SCALE_WORDS[health.BENEFICIARY] if w != "Yes"]
	for language in ("it", "fr", "ar"):
		page = requests.get(
			f"{site_server.url}/check-in", params={"t": link.token(), "lang": language}, timeout=30
		)
		assert [s for s in english if s in page.text] == [], language

	# the check-in period before this quarter carries no questionnaire
	earlier = link_for(
		fresh.a.beneficiary, fresh.a.pairing, add_days(today(), -PERIOD_DAYS + 1), PERIOD_DAYS, "SMS"
	)
	assert health.beneficiary_period(fresh.a.pairing, earlier.period) is None


# --- the score and the alerts ------------------------------------------------------------------


def test_a_sharp_drop_alerts_the_coordinator_exactly_once(site_server, fresh):
	# the quarter before, the tutor's score was 100
	previous = add_months(quarter(fresh.a), -3)
	health.save_health_answers(
		fresh.a.pairing, previous, health.TUTOR, health.clean_scores(health.TUTOR, tutor_form(5, 1))
	)
	frappe.db.commit()  # nosemgrep: the server reads it
	assert alerts(fresh.a.pairing) == (0, 0)

	session = logged_in(site_server, fresh.a.user)
	tutor_answers(site_server, fresh.a, tutor_form(2, 4), session)  # 25: a drop of 75
	tutor_answers(site_server, fresh.a, tutor_form(1, 5), session)  # amended: still one alert
	now = [r for r in records(fresh.a.pairing) if getdate(r.period) == quarter(fresh.a)]
	assert [(r.score, r.alert_reason) for r in now] == [(0.0, "Sharp drop")]
	assert now[0].coordinator_alerted_on
	notifications, emails = alerts(fresh.a.pairing)
	assert (notifications, emails) == (1, 1)


def test_two_sides_diverging_alert_the_coordinator_exactly_once(site_server, fresh):
	tutor_answers(site_server, fresh.b, tutor_form(5, 1))  # the tutor: 100
	assert alerts(fresh.b.pairing) == (0, 0)
	link = current_link(fresh.b)
	her_answers(site_server, link, her_form(1, 5), lang="ar")  # she: 0
	her_answers(site_server, link, her_form(2, 4), lang="ar")  # again, 25: still one alert
	rows = records(fresh.b.pairing)
	assert [(r.side, r.score) for r in rows] == [("Beneficiary", 25.0), ("Tutor", 100.0)]
	assert [r.alert_reason for r in rows if r.coordinator_alerted_on] == ["The two sides diverge"]
	notifications, emails = alerts(fresh.b.pairing)
	assert (notifications, emails) == (1, 1)
	# the pairing's health score: the mean of both sides
	[row] = health.health_by_period([fresh.b.pairing])
	assert row.score == 62.5


def test_close_scores_raise_no_alert(site_server, fresh):
	tutor_answers(site_server, fresh.a, tutor_form(4, 2))  # 75
	her_answers(site_server, current_link(fresh.a), her_form(4, 2), lang="fr")  # 75
	assert alerts(fresh.a.pairing) == (0, 0)


# --- settings, reports, privacy ------------------------------------------------------------------


def test_the_questions_are_edited_in_the_settings(site_server, fresh):
	settings = frappe.get_doc("Beneficiary Voice Settings")
	before = [(q.side, q.question, q.reverse_scored) for q in settings.health_questions]
	try:
		settings.append("health_questions", {"side": "Tutor", "question": "We laugh together."})
		settings.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: the server reads them
		_session, page = tutor_page(site_server, fresh.a)
		assert "We laugh together." in page.text
		# the shipped questions never come back over an admin's edits
		health.ensure_default_questions()
		assert len(frappe.get_doc("Beneficiary Voice Settings").health_questions) == len(before) + 1
		# each side keeps at least one question
		settings = frappe.get_doc("Beneficiary Voice Settings")
		settings.health_questions = [q for q in settings.health_questions if q.side == "Tutor"]
		with pytest.raises(frappe.ValidationError):
			settings.save(ignore_permissions=True)
	finally:
		frappe.db.rollback()
		settings = frappe.get_doc("Beneficiary Voice Settings")
		settings.health_questions = []
		for side, question, reverse in before:
			settings.append(
				"health_questions", {"side": side, "question": question, "reverse_scored": reverse}
			)
		settings.save(ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: restored for the other tests


def test_programme_outcomes_show_the_trend(site_server, fresh):
	tutor_answers(site_server, fresh.a, tutor_form(4, 2))  # 75
	her_answers(site_server, current_link(fresh.a), her_form(5, 1), lang="fr")  # 100
	frappe.db.rollback()
	period = quarter(fresh.a)
	_columns, data, _message, _chart, summary = per_period(
		frappe._dict(from_date=period.replace(day=1), to_date=period, periodicity="Monthly")
	)
	# programme-wide, like the check-ins: this pairing's 87.5 among any others of the month
	assert data[-1].relationship_health is not None
	assert summary[-1]["label"] == "Relationship Health, Latest (0-100)"
	[row] = health.health_by_period([fresh.a.pairing])
	assert row.score == 87.5


def test_her_answers_are_in_her_export_and_in_no_tutors(site_server, fresh):
	tutor_answers(site_server, fresh.a, tutor_form(4, 2))
	her_answers(site_server, current_link(fresh.a), her_form(5, 1), lang="fr")
	frappe.db.rollback()
	tutor_export = collect_personal_data("Tutor", fresh.a.tutor, staff_view=False)
	assert tutor_export["relationship_health"] == []
	assert "I can count on my tutor." not in frappe.as_json(tutor_export)
	her_export = collect_personal_data("Beneficiary", fresh.a.beneficiary)
	[hers] = her_export["relationship_health"]
	assert hers["score"] == 100.0 and len(hers["answers"]) == len(health.questions_for(health.BENEFICIARY))
	assert "I feel close to the person I accompany." not in frappe.as_json(her_export)
