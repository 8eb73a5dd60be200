from datetime import date, timedelta

from ciac_tutoring.monitoring.doctype.contact_month.contact_month import rebuild
from ciac_tutoring.monitoring.report.contact_activity.contact_activity import execute
from ciac_tutoring.tutoring.report.report_test_data import (
	TOWN,
	beneficiary_row,
	make_contact,
	make_user,
	pairing_row,
	tutor_row,
)

MARCH_APRIL = {"from_date": "2026-03-01", "to_date": "2026-04-30", "municipality": TOWN}
PHONE, MEETING, ACTIVITY, MESSAGE, MONITORING = (
	"Phone or video call",
	"In-person meeting",
	"Activity or event together",
	"Message",
	"CIAC monitoring meeting",
)


def mondays(first: str, last: str, skip=()):
	day, end = date.fromisoformat(first), date.fromisoformat(last)
	while day <= end:
		if day.isoformat() not in skip:
			yield day.isoformat()
		day += timedelta(days=7)


def build_contacts():
	coordinator = make_user("_test_report_coord@example.com", "Chiara")
	tutor_row("_TR-TUT-1")
	tutor_row("_TR-TUT-2", municipality="_Test Elsewhere")
	for index in range(1, 7):
		beneficiary_row(f"_TR-BEN-{index}")
	since_january = {"start_date": "2026-01-01"}
	pairing_row("_TR-PA", "_TR-TUT-1", "_TR-BEN-1", coordinator=coordinator.name, **since_january)
	pairing_row("_TR-PB", "_TR-TUT-1", "_TR-BEN-2", **since_january)
	pairing_row("_TR-PC", "_TR-TUT-1", "_TR-BEN-3", start_date="2026-03-15", phone_contacts_per_week=2)
	pairing_row(
		"_TR-PD", "_TR-TUT-1", "_TR-BEN-4", status="Closed", closure_date="2026-04-10", **since_january
	)
	pairing_row("_TR-PE", "_TR-TUT-1", "_TR-BEN-5", status="Proposed")
	pairing_row("_TR-PF", "_TR-TUT-2", "_TR-BEN-6", **since_january)

	# PA keeps every commitment in March and April.
	for day in mondays("2026-03-02", "2026-04-27"):
		make_contact("_TR-PA", day, PHONE)
	make_contact(
		"_TR-PA",
		"2026-03-10",
		MEETING,
		support_areas=[{"support_area": "_TR Area A"}, {"support_area": "_TR Area B"}],
	)
	make_contact("_TR-PA", "2026-04-15", ACTIVITY)
	# PB misses a week and the meeting in March, keeps both in April.
	for day in mondays("2026-03-02", "2026-04-27", skip={"2026-03-16"}):
		make_contact("_TR-PB", day, PHONE)
	make_contact("_TR-PB", "2026-03-12", MESSAGE, initiated_by="Beneficiary")
	make_contact("_TR-PB", "2026-04-20", MEETING)
	# PC starts mid-March; in April one call a week where two were agreed, two meetings.
	for day in mondays("2026-04-06", "2026-04-27"):
		make_contact("_TR-PC", day, PHONE)
	make_contact("_TR-PC", "2026-04-08", MEETING)
	make_contact("_TR-PC", "2026-04-16", MEETING)
	make_contact("_TR-PC", "2026-04-22", MONITORING, initiated_by="CIAC")
	# PD keeps everything in March and closes on 10 April.
	for day in mondays("2026-03-02", "2026-03-30"):
		make_contact("_TR-PD", day, PHONE)
	make_contact("_TR-PD", "2026-03-05", MEETING)
	return coordinator


def run(**filters):
	rebuild()  # make_contact writes without the controller that counts contacts into the rollup
	_columns, data, _message, chart, summary = execute({**MARCH_APRIL, **filters})
	return {row.month: row for row in data}, chart, summary


def test_contacts_per_month_by_kind():
	build_contacts()
	rows, chart, summary = run()
	march, april = rows["2026-03"], rows["2026-04"]
	assert (
		march.contacts,
		march.grp_phone_or_video_call,
		march.grp_in_person_meeting,
		march.grp_message,
	) == (17, 14, 2, 1)
	assert (april.contacts, april.grp_phone_or_video_call, april.grp_in_person_meeting) == (17, 12, 3)
	assert (april.grp_activity_or_event_together, april.grp_ciac_monitoring_meeting) == (1, 1)
	assert chart["data"]["datasets"][0]["values"] == [14, 12]
	assert summary[0]["value"] == 34


def test_share_of_pairings_meeting_the_weekly_and_monthly_commitments():
	build_contacts()
	rows, _chart, summary = run()
	march, april = rows["2026-03"], rows["2026-04"]
	# March: PA, PB, PD ran all month; PB missed a week and its meeting.
	assert (march.eligible, march.met_weekly, march.weekly_share, march.met_monthly) == (3, 2, 66.7, 2)
	# April: PA, PB, PC; PC made one call a week out of the two agreed.
	assert (april.eligible, april.met_weekly, april.met_monthly, april.monthly_share) == (3, 2, 3, 100.0)
	assert [item["value"] for item in summary[1:]] == [66.7, 83.3]


def test_group_by_initiator_and_support_area():
	build_contacts()
	rows = run(group_by="Initiated By")[0]
	assert (rows["2026-03"].grp_beneficiary, rows["2026-04"].grp_ciac, rows["2026-04"].grp_tutor) == (
		1,
		1,
		16,
	)
	rows = run(group_by="Support Area")[0]
	assert (rows["2026-03"].contacts, rows["2026-03"].grp__tr_area_a, rows["2026-03"].grp__tr_area_b) == (
		17,
		1,
		1,
	)


def test_coordinator_and_municipality_filters():
	coordinator = build_contacts()
	rows = run(coordinator=coordinator.name)[0]
	assert (rows["2026-03"].contacts, rows["2026-03"].eligible, rows["2026-03"].met_weekly) == (6, 1, 1)
	rows = run(municipality="_Test Elsewhere")[0]
	assert (rows["2026-03"].contacts, rows["2026-03"].eligible, rows["2026-03"].met_monthly) == (0, 1, 0)


def test_a_month_cut_by_the_date_range_is_not_measured():
	build_contacts()
	rows = run(to_date="2026-04-15")[0]
	assert rows["2026-03"].eligible == 3
	assert rows["2026-04"].get("eligible") is None


def test_support_areas_without_a_filter_on_pairings():
	# Counted from the areas' own copy of the contact date, not through the contacts.
	build_contacts()
	rows = run(group_by="Support Area", municipality=None)[0]
	assert (rows["2026-03"].grp__tr_area_a, rows["2026-03"].grp__tr_area_b) == (1, 1)
	assert (rows["2026-04"].grp__tr_area_a, rows["2026-04"].grp__tr_area_b) == (0, 0)


def test_a_call_before_the_first_monday_counts_for_the_week_before():
	# 1 March 2026 is a Sunday: its week started in February, so it does not make up for a
	# pairing silent in the week of Monday 2 March.
	build_contacts()
	beneficiary_row("_TR-BEN-7")
	pairing_row("_TR-PG", "_TR-TUT-1", "_TR-BEN-7", start_date="2026-01-01")
	for day in ["2026-03-01", *mondays("2026-03-09", "2026-04-27")]:
		make_contact("_TR-PG", day, PHONE)
	rows = run()[0]
	assert (rows["2026-03"].eligible, rows["2026-03"].met_weekly) == (4, 2)
	assert (rows["2026-04"].eligible, rows["2026-04"].met_weekly) == (4, 3)


def test_two_pairings_of_one_tutor_each_meet_their_commitments_with_their_own_contacts():
	# A month's weekly and monthly commitments are counted per pairing, never across a tutor's pairings.
	build_contacts()
	beneficiary_row("_TR-BEN-7")
	beneficiary_row("_TR-BEN-8")
	pairing_row("plumless", "_TR-TUT-1", "_TR-BEN-7", start_date="2026-01-01")
	pairing_row("buckeroo", "_TR-TUT-1", "_TR-BEN-8", start_date="2026-01-01")
	for day in mondays("2026-03-02", "2026-03-30"):
		make_contact("plumless", day, PHONE)
	make_contact("buckeroo", "2026-03-10", MEETING)
	march = run()[0]["2026-03"]
	assert (march.eligible, march.met_weekly, march.met_monthly) == (5, 3, 3)


def test_support_areas_filtered_on_the_coordinator_and_the_municipality():
	# Counted from the areas' own copy of the contact's pairing and tutor.
	coordinator = build_contacts()
	other = make_user("_test_report_other_coord@example.com", "Marco")
	for filters, areas in (
		({"coordinator": coordinator.name, "municipality": None}, (1, 1)),
		({"coordinator": other.name, "municipality": None}, (0, 0)),
		({"municipality": "_Test Elsewhere"}, (0, 0)),
	):
		march = run(group_by="Support Area", **filters)[0]["2026-03"]
		# An area no contact touched has no column.
		assert (march.get("grp__tr_area_a", 0), march.get("grp__tr_area_b", 0)) == areas, filters


def test_coordinator_and_municipality_filters_keep_to_their_own_pairings_contacts():
	# Two pairings, one per coordinator and municipality: each filter counts only its own pairing's contacts.
	coordinator = build_contacts()
	tutor_row("plumless", municipality="_Test Elsewhere")
	tutor_row("buckeroo")
	beneficiary_row("_TR-BEN-8")
	beneficiary_row("_TR-BEN-9")
	pairing_row("plumless", "plumless", "_TR-BEN-8", coordinator="Administrator", start_date="2026-01-01")
	pairing_row("buckeroo", "buckeroo", "_TR-BEN-9", coordinator=coordinator.name, start_date="2026-01-01")
	make_contact("plumless", "2026-03-03", PHONE)
	make_contact("buckeroo", "2026-03-04", PHONE, support_areas=[{"support_area": "_TR Area A"}])

	rows = run(coordinator=coordinator.name, municipality=None)[0]
	assert rows["2026-03"].contacts == 7
	march = run(group_by="Support Area", municipality="_Test Elsewhere")[0]["2026-03"]
	assert (march.contacts, march.get("grp__tr_area_a", 0)) == (1, 0)


def test_the_rollup_follows_a_new_coordinator_and_a_tutors_new_municipality():
	"""The filters read the coordinator and municipality the rollup holds: a pairing's save and a
	tutor's save that change them rewrite its rows, with no rebuild."""
	import frappe
	from frappe.utils import get_first_day, getdate, today

	from ciac_tutoring.tests.factory import make_pairing, make_tutor

	first, second = (make_user(f"_test_follow_{n}@example.com", n) for n in ("Anna", "Bruna"))
	tutor = make_tutor(phase="Tutoring Started", municipality="_Test Collecchio")
	pairing = make_pairing(
		tutor=tutor.name, status="Active", start_date=get_first_day(today()), coordinator=first.name
	)
	frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing.name,
			"contact_date": today(),
			"kind": PHONE,
			"initiated_by": "Tutor",
			"wellbeing": "Fine",
		}
	).insert()
	this_month = {"from_date": get_first_day(today()), "to_date": today(), "group_by": "Kind"}

	def contacts(**filters) -> int:
		_columns, data, *_rest = execute({**this_month, **filters})
		return sum(row.contacts for row in data if getdate(f"{row.month}-01") == get_first_day(today()))

	assert contacts(coordinator=first.name) == 1 and contacts(municipality="_Test Collecchio") == 1

	pairing.reload()
	pairing.coordinator = second.name
	pairing.save()
	tutor.reload()
	tutor.municipality = "_Test Fornovo"
	tutor.save()

	assert (contacts(coordinator=first.name), contacts(coordinator=second.name)) == (0, 1)
	assert (contacts(municipality="_Test Collecchio"), contacts(municipality="_Test Fornovo")) == (0, 1)
