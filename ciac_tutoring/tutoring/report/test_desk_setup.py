"""The Tutoring workspace, number cards and dashboard charts install with the app and count right."""

import json

import frappe
from frappe.core.doctype.report.report import get_report_module_dotted_path
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.number_card.number_card import get_result

from ciac_tutoring.monitoring.report.programme_outcomes.outcomes_closures import DURATION_BUCKETS
from ciac_tutoring.tests.utils import PROGRAMME_MODULES
from ciac_tutoring.tutoring.dashboard_chart_source.pairings_by_status.pairings_by_status import (
	get as get_pairings_by_status,
)
from ciac_tutoring.tutoring.report.report_test_data import (
	beneficiary_row,
	make_contact,
	pairing_row,
	tutor_row,
)
from ciac_tutoring.tutoring.report.report_utils import ALL_PHASES
from ciac_tutoring.validation import select_options

CARDS = ("Active Pairings", "Overdue Pairings", "Tutors Waiting for an Interview", "Tutors in Training")
CHARTS = ("Contacts per Week", "Pairings by Status")
REPORTS = (
	"Pairing Compliance",
	"Tutor Pipeline",
	"Training Attendance",
	"Contact Activity",
	"Programme Outcomes",
	"Permit Expiry",
	"Matching Candidates",
	"Matching Plan",
	"Coordinator Worklist",
	"Tutors Without Supervision",
)
# Every report answers live (Contact Activity from its rollup since issue 25, docs/benchmarks.md).
PREPARED_REPORTS: set[str] = set()


def card_value(name: str) -> int:
	card = frappe.get_doc("Number Card", name)
	return get_result(card.as_json(), card.filters_json)


def test_workspace_shows_cards_charts_shortcuts_and_every_report():
	workspace = frappe.get_doc("Workspace", "Tutoring")
	assert workspace.module == "Tutoring" and workspace.public
	assert {row.number_card_name for row in workspace.number_cards} == set(CARDS)
	assert {row.chart_name for row in workspace.charts} == set(CHARTS)
	assert {"Tutor", "Beneficiary", "Pairing", "Contact Log", "Training Session"} <= {
		row.link_to for row in workspace.shortcuts
	}
	assert {row.link_to for row in workspace.links if row.link_type == "Report"} == set(REPORTS)
	blocks = json.loads(workspace.content)
	assert {b["data"]["number_card_name"] for b in blocks if b["type"] == "number_card"} == set(CARDS)
	assert {b["data"]["chart_name"] for b in blocks if b["type"] == "chart"} == set(CHARTS)
	shortcut_labels = {row.label for row in workspace.shortcuts}
	assert {b["data"]["shortcut_name"] for b in blocks if b["type"] == "shortcut"} <= shortcut_labels
	card_labels = {row.label for row in workspace.links if row.type == "Card Break"}
	assert {b["data"]["card_name"] for b in blocks if b["type"] == "card"} <= card_labels


def test_reports_are_standard_script_reports_for_staff():
	for name in REPORTS:
		report = frappe.get_doc("Report", name)
		assert (report.report_type, report.is_standard, report.prepared_report) == (
			"Script Report",
			"Yes",
			int(name in PREPARED_REPORTS),
		)
		assert report.module in PROGRAMME_MODULES
		assert {row.role for row in report.roles} == {"CIAC Coordinator", "CIAC Manager"}


def test_number_cards_count_pairings_and_tutors_by_state():
	before = {name: card_value(name) for name in CARDS}
	tutor_row("_TR-TUT-1", "Availability Notified")
	tutor_row("_TR-TUT-2", "Training")
	tutor_row("_TR-TUT-3", "Training")
	tutor_row("_TR-TUT-4", "Tutoring Started")
	for index in range(1, 4):
		beneficiary_row(f"_TR-BEN-{index}")
	pairing_row("_TR-P1", "_TR-TUT-4", "_TR-BEN-1", compliance_status="Overdue")
	pairing_row("_TR-P2", "_TR-TUT-4", "_TR-BEN-2", compliance_status="On track")
	pairing_row("_TR-P3", "_TR-TUT-4", "_TR-BEN-3", status="Closed", compliance_status="Overdue")
	after = {name: card_value(name) for name in CARDS}
	assert {name: after[name] - before[name] for name in CARDS} == {
		"Active Pairings": 2,
		"Overdue Pairings": 1,
		"Tutors Waiting for an Interview": 1,
		"Tutors in Training": 2,
	}


def test_dashboard_charts_group_pairings_by_status_and_contacts_by_week():
	tutor_row("_TR-TUT-1")
	beneficiary_row("_TR-BEN-1")
	beneficiary_row("_TR-BEN-2")
	pairing_row(
		"_TR-P1", "_TR-TUT-1", "_TR-BEN-1", start_date=frappe.utils.add_days(frappe.utils.today(), -30)
	)
	pairing_row("_TR-P2", "_TR-TUT-1", "_TR-BEN-2", status="Suspended")
	for days_ago in (1, 2, 3):
		make_contact("_TR-P1", frappe.utils.add_days(frappe.utils.today(), -days_ago), "Phone or video call")

	by_status = get_pairings_by_status()
	assert "Active" in by_status["labels"] and "Suspended" in by_status["labels"]
	frappe.local.lang = "it"  # the legend in the user's language
	assert "Sospeso" in get_pairings_by_status()["labels"]
	frappe.local.lang = "en"

	per_week = get_chart(chart_name="Contacts per Week", refresh=1)
	assert sum(per_week["datasets"][0]["values"]) >= 3


def test_every_label_of_the_reports_cards_charts_and_workspace_has_an_italian_translation():
	import csv
	import re
	from pathlib import Path

	import frappe.desk.query_report

	app = Path(frappe.get_app_path("ciac_tutoring"))
	with open(app / "translations" / "it.csv", newline="") as csv_file:
		italian = {row[0] for row in csv.reader(csv_file) if row}

	labels = set(REPORTS) | set(CARDS) | set(CHARTS)
	workspace = frappe.get_doc("Workspace", "Tutoring")
	labels |= {row.label for row in workspace.links} | {row.label for row in workspace.shortcuts}
	for block in json.loads(workspace.content):
		if block["type"] == "header":
			labels.add(re.sub(r"<[^>]+>", "", block["data"]["text"]).replace("&amp;", "&"))
	for script in app.glob("*/report/*/*.js"):
		labels |= set(re.findall(r'__\("((?:[^"\\]|\\.)*)"', script.read_text()))
	views = {
		"Training Attendance": ({"view": "Sessions"}, {"view": "Tutors"}),
		"Programme Outcomes": tuple(
			{"view": v} for v in ("Per Period", "Closure Reasons", "Duration", "Goals")
		),
		"Contact Activity": ({"group_by": "Kind"}, {"group_by": "Initiated By"}),
	}
	for report in REPORTS:
		module = frappe.get_module(
			get_report_module_dotted_path(frappe.db.get_value("Report", report, "module"), report)
		)
		for filters in views.get(report, ({},)):
			columns = module.execute(filters)[0]
			# "Progress {0}" comes formatted: check its source string.
			labels |= {re.sub(r" \d$", " {0}", column["label"]) for column in columns}
	labels |= (
		set(ALL_PHASES)
		| set(select_options("Contact Log", "kind"))
		| set(select_options("Contact Log", "initiated_by"))
		| {"On track", "Due soon", "Overdue"}
	)
	labels |= {label for _upper, label in DURATION_BUCKETS}

	assert sorted(label for label in labels if label not in italian) == []


def test_the_indexes_the_doctypes_declare_are_installed():
	"""Declared with the DocTypes (search_index, on_doctype_update), so install and migrate make them."""
	expected = {
		"Tutor": ["user"],
		"Contact Log": ["contact_date", "kind", "initiated_by", "pairing", "tutor"],
		"Support Area Item": ["parenttype", "parentfield", "parent", "support_area"],
		"Spoken Language": ["parenttype", "parentfield", "parent"],
	}
	for doctype, fields in expected.items():
		rows = frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}`", as_dict=True)
		indexes: dict[str, list[str]] = {}
		for row in sorted(rows, key=lambda row: row.Seq_in_index):
			indexes.setdefault(row.Key_name, []).append(row.Column_name)
		assert fields in indexes.values(), (doctype, indexes)
