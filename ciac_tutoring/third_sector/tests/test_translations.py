"""Italian everywhere the Third Sector module reaches: labels, options, messages, print formats,
reports, the workflow, the reminder and the portal page."""

import json
import re
from pathlib import Path

import frappe
import pytest

from ciac_tutoring.tests.test_data_model_translations import italian_rows
from ciac_tutoring.third_sector import insurance

MODULE = Path(__file__).resolve().parents[1]
APP = MODULE.parent
DOCTYPES = (
	"Volunteer Register Entry", "Volunteer Register Extract", "Insurance Policy", "Insurance Policy Tutor",
	"Volunteer Expense Claim",
)  # fmt: skip
SETTINGS_FIELDS = (
	"volunteer_expenses_section", "expense_self_certification_allowed", "expense_limits_apply_to",
	"expense_daily_limit", "expense_monthly_limit",
)  # fmt: skip
# _("...") in Python and Jinja, __("...") in JS
MESSAGE = re.compile(r'(?<![\w.])_{1,2}\(\s*"((?:[^"\\]|\\.)*)"')


def doctype_strings() -> set[str]:
	strings = set(DOCTYPES) | {"Third Sector"}
	fields = [df for doctype in DOCTYPES for df in frappe.get_meta(doctype).fields]
	fields += [frappe.get_meta("Tutoring Settings").get_field(name) for name in SETTINGS_FIELDS]
	for df in fields:
		strings.update(filter(None, (df.label, df.description)))
		if df.fieldtype == "Select":
			strings.update(option for option in (df.options or "").split("\n") if option)
	return strings


def code_strings() -> set[str]:
	sources = [p for p in MODULE.rglob("*") if p.suffix in (".py", ".js", ".html", ".md")]
	sources = [p for p in sources if not p.name.startswith("test_") and "tests" not in p.parts]
	sources += [
		APP / "www" / "my_volunteering.py",
		APP / "templates/includes/ciac_portal/my_volunteering.html",
	]
	strings = {match.replace('\\"', '"') for path in sources for match in MESSAGE.findall(path.read_text())}
	for path in MODULE.glob("notification/*/*.json"):
		strings |= set(MESSAGE.findall(json.loads(path.read_text())["subject"]))
	return strings


def other_strings() -> set[str]:
	workflow = json.loads((MODULE / "workflows" / "volunteer_expense_approval.json").read_text())
	strings = {"Expenses and hours", "Tutors Without Insurance", "Volunteer Expenses by Month"}
	strings |= {"Volunteer Register", "Volunteer Certificate", *insurance.COVERS.values()}
	for record in workflow:
		strings |= {
			record.get("workflow_state_name"),
			record.get("workflow_action_name"),
			record.get("workflow_name"),
		}
		strings |= {row["message"] for row in record.get("states", [])}
	return strings - {None}


@pytest.mark.parametrize("collect", [doctype_strings, code_strings, other_strings])
def test_every_string_has_an_italian_row(collect):
	italian = italian_rows()
	missing = sorted(text for text in collect() if not italian.get(text))
	assert missing == []
