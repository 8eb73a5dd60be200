"""Every label, Select option, description and message of the data model has an Italian row."""

import csv
import re
from pathlib import Path

import frappe
import pytest

from ciac_tutoring.setup import masters
from ciac_tutoring.setup.roles import ROLES

APP = Path(__file__).resolve().parents[1]
IT_CSV = APP / "translations" / "it.csv"
DOCTYPES = (
	"Tutor", "Beneficiary", "Pairing", "Training Session", "Contact Log",
	"Support Area", "Tutoring Goal", "Closure Reason", "Training Topic", "Reception Project",
	"Tutoring Settings", "Support Area Item", "Spoken Language", "Pairing Goal",
	"Training Attendance", "Tutor Phase History", "Municipality Distance",
	"Privacy Notice", "Consent Record", "Data Erasure Log", "Portal Field", "Contact Month",
)  # fmt: skip
# _("...") in Python, __("...") in JS
MESSAGE = re.compile(r'(?<![\w.])_{1,2}\(\s*"((?:[^"\\]|\\.)*)"')


def italian_rows() -> dict[str, str]:
	with IT_CSV.open(newline="", encoding="utf-8") as fh:
		return {row[0]: row[1] for row in csv.reader(fh) if len(row) >= 2}


def doctype_strings() -> set[str]:
	strings = set(DOCTYPES)
	for doctype in DOCTYPES:
		for df in frappe.get_meta(doctype).fields:
			strings.update(filter(None, (df.label, df.description)))
			if df.fieldtype == "Select":
				strings.update(option for option in (df.options or "").split("\n") if option)
	return strings


def code_strings() -> set[str]:
	sources = [APP / "setup" / "roles.py", APP / "setup" / "masters.py"]
	for doctype in DOCTYPES:
		(folder,) = APP.glob(f"*/doctype/{frappe.scrub(doctype)}")
		sources += [p for p in folder.glob("*.py") if not p.name.startswith("test_")]
		sources += list(folder.glob("*.js"))
	return {match for path in sources for match in MESSAGE.findall(path.read_text())}


def seeded_strings() -> set[str]:
	return {
		*ROLES,
		*masters.SUPPORT_AREAS,
		*masters.TUTORING_GOALS,
		*masters.CLOSURE_REASONS,
		*masters.TRAINING_TOPICS,
	}


@pytest.mark.parametrize("collect", [doctype_strings, code_strings, seeded_strings])
def test_every_string_has_an_italian_translation(collect):
	strings = collect()
	assert strings, "nothing collected"
	missing = sorted(s for s in strings if not italian_rows().get(s, "").strip())
	assert missing == []


def test_translations_keep_their_placeholders():
	rows = italian_rows()
	ours = doctype_strings() | code_strings()
	placeholder = re.compile(r"\{\d+\}")
	wrong = [
		s
		for s in ours
		if s in rows and sorted(placeholder.findall(s)) != sorted(placeholder.findall(rows[s]))
	]
	assert wrong == []


def test_frappe_serves_the_italian_labels():
	frappe.local.lang = "it"
	try:
		frappe.translate.clear_cache()
		assert frappe._("Pairing") == "Abbinamento"
		assert frappe._(
			"Tutor {0} already holds {1} open pairings, the most their capacity allows"
		).startswith("Il tutor {0}")
	finally:
		frappe.local.lang = "en"
