"""What the crawl (test_crawl.py) needs beside the browser: the demo data loaded once and removed
afterwards, the routes each role reaches, the app's own English strings, and axe-core.

Kept apart from the test so the test reads as the list of what it checks.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import frappe

from ciac_tutoring.tests.utils import PROGRAMME_MODULES

APP_DIR = Path(__file__).resolve().parents[2]

# Frappe tables the demo loader and the crawl write to beside the app's own DocTypes.
FRAPPE_TABLES_TOUCHED = (
	"User",
	"Has Role",
	"Email Queue",
	"Email Queue Recipient",
	"Communication",
	"Communication Link",
	"Version",
	"Comment",
	"ToDo",
	"Access Log",
	"Activity Log",
	"Notification Log",
	"Workflow Action",
	"Workflow Action Permitted Role",
	"Prepared Report",
	"File",
	"Error Log",
	"Route History",
	"DocShare",
	"Contact",
	"Contact Email",
	"Dynamic Link",
	"Deleted Document",
)


def app_modules() -> list[str]:
	"""The Frappe modules of the app (modules.txt): every DocType, report and print format it ships."""
	return frappe.get_module_list("ciac_tutoring")


def app_doctypes(tables: bool = False) -> list[frappe._dict]:
	filters = {"module": ("in", app_modules())}
	if not tables:
		filters["istable"] = 0
	return frappe.get_all(
		"DocType", filters=filters, fields=["name", "issingle", "istable", "read_only"], order_by="name"
	)


def row_names(doctype: str) -> list:
	return frappe.db.sql_list(f"SELECT name FROM `tab{doctype}`")  # nosemgrep: a DocType's own table


class TableSnapshot:
	"""The names of the rows of the app's tables and of the Frappe tables the demo writes to, so
	that what was added afterwards can be removed (by name: creation times follow the site's time
	zone, which the demo's setup changes)."""

	def __init__(self):
		doctypes = [row.name for row in app_doctypes(tables=True) if not row.issingle]
		self.names = {
			doctype: set(row_names(doctype))
			for doctype in doctypes + list(FRAPPE_TABLES_TOUCHED)
			if frappe.db.table_exists(doctype)
		}
		self.passwords = set(frappe.db.sql_list("SELECT name FROM `__Auth` WHERE doctype = 'User'"))

	def delete_rows_added(self) -> None:
		for doctype, before in self.names.items():
			added = [name for name in row_names(doctype) if name not in before]
			for chunk in range(0, len(added), 1000):
				frappe.db.delete(doctype, {"name": ("in", added[chunk : chunk + 1000])})
		users = [
			name
			for name in frappe.db.sql_list("SELECT name FROM `__Auth` WHERE doctype = 'User'")
			if name not in self.passwords
		]
		if users:
			frappe.db.delete("__Auth", {"doctype": "User", "name": ("in", users)})
		frappe.clear_cache()


# --- the app's own strings ---------------------------------------------------------------------

# Words the app shows that are the same in Italian (or names): never a leftover.
SAME_IN_ITALIAN = {
	"Tutor",
	"Tutors",
	"Email",
	"E-mail",
	"Privacy",
	"Report",
	"Online",
	"Standard",
	"Mobile",
	"Partner",
	"Hobby",
	"Sport",
	"Computer",
	"Parma",
	"Portal",
	"No",
	"ID",
	"Link",
	"Budget",
	"Team",
	"Manager",
	"Email Template",
}


def app_translations(lang: str = "it") -> dict[str, str]:
	"""The app's it.csv: source string -> translation."""
	path = APP_DIR / "translations" / f"{lang}.csv"
	with path.open(newline="", encoding="utf-8") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2 and row[0]}


def app_source_strings() -> set[str]:
	"""What the app shows in its own words: its translation keys, and the labels, options and
	headings of its DocTypes, reports, workspace, charts and number cards."""
	strings = set(app_translations())
	for path in (p for m in PROGRAMME_MODULES for p in (APP_DIR / frappe.scrub(m)).rglob("*.json")):
		data = json.loads(path.read_text())
		strings.update(json_strings(data))
	return {s.strip() for s in strings if s and s.strip()}


def json_strings(data) -> set[str]:
	found: set[str] = set()
	if isinstance(data, dict):
		for key, value in data.items():
			if key in ("label", "title", "chart_name", "description") and isinstance(value, str):
				found.add(value)
			elif key == "options" and isinstance(value, str) and "\n" in value:
				found.update(value.split("\n"))
			elif key == "content" and isinstance(value, str) and value.startswith("["):
				for block in json.loads(value):
					text = re.sub(r"<[^>]+>", "", block.get("data", {}).get("text", ""))
					found.add(text)
			else:
				found.update(json_strings(value))
	elif isinstance(data, list):
		for item in data:
			found.update(json_strings(item))
	return found


@dataclass
class EnglishLeftovers:
	"""Finds the app's English strings among the texts an Italian page shows."""

	english: set[str] = field(default_factory=set)

	@classmethod
	def for_italian(cls) -> EnglishLeftovers:
		translations = frappe.translate.get_all_translations("it")
		english = set()
		for source in app_source_strings():
			if source in SAME_IN_ITALIAN or len(source) < 3 or not re.search(r"[A-Za-z]{3}", source):
				continue
			if "{" in source or "<" in source:  # templates are checked through what they render
				continue
			if translations.get(source, source) != source:
				english.add(source)
			elif source not in translations:
				english.add(source)  # the app's own string with no Italian at all
		# A word that is also Italian for another string is not a leftover ("Date": "Dates").
		english -= set(translations.values())
		# The relationship-health statements are records admins edit (Beneficiary Voice Settings):
		# translated where tutors and beneficiaries answer them, shown in the desk as stored.
		from ciac_tutoring.beneficiary_voice.health import DEFAULT_QUESTIONS

		return cls(english - {question for _side, question, _reverse in DEFAULT_QUESTIONS})

	def find(self, texts: list[list[str]]) -> list[str]:
		"""`texts`: [text, where on the page] pairs (VISIBLE_TEXTS_JS); the English ones, said where."""
		found = set()
		for text, where in texts:
			if any(candidate in self.english for candidate in self.normalised(text)):
				found.add(f"{text!r} in {where}")
		return sorted(found)

	@staticmethod
	def normalised(text: str) -> list[str]:
		"""The text as shown, and without the counts or colons the desk puts around a label
		("58 Active", "Status:")."""
		text = " ".join(text.split())
		bare = re.sub(r"^[\d.,]+\s+|\s+[\d.,]+$|:$", "", text).strip()
		return [text, bare] if bare != text else [text]


# JavaScript that returns the texts a person sees, each with where it is: visible text nodes, and
# the placeholders and aria-labels of the page.
VISIBLE_TEXTS_JS = """
() => {
	const where = (el) => [el, el.parentElement].filter(Boolean)
		.map(e => e.tagName.toLowerCase() + (e.classList[0] ? '.' + e.classList[0] : '')).reverse().join(' > ');
	const texts = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const node = walker.currentNode;
		const text = node.textContent.trim();
		if (!text) continue;
		const parent = node.parentElement;
		if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
		if (!parent.getClientRects().length) continue;
		const style = getComputedStyle(parent);
		if (style.visibility === 'hidden' || style.display === 'none') continue;
		texts.push([text, where(parent)]);
	}
	for (const el of document.querySelectorAll('[placeholder], [aria-label]')) {
		if (!el.getClientRects().length) continue;
		for (const attr of ['placeholder', 'aria-label']) {
			const value = el.getAttribute(attr);
			if (value && value.trim()) texts.push([value.trim(), where(el) + '@' + attr]);
		}
	}
	return texts;
}
"""


# --- axe-core ---------------------------------------------------------------------------------

AXE_VERSION = "4"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_script() -> Path | None:
	"""axe-core's browser script, installed once with npm into the bench's node-tools/ (the
	test-side tool; dev/ builds the bench). None when npm is missing or the registry refuses."""
	bench = Path(os.environ.get("CIAC_BENCH") or frappe.utils.get_bench_path())
	tools = bench / "node-tools"
	script = tools / "node_modules" / "axe-core" / "axe.min.js"
	if script.exists():
		return script
	npm = shutil.which("npm")
	if not npm:
		return None
	tools.mkdir(parents=True, exist_ok=True)
	result = subprocess.run(
		[npm, "install", "--no-audit", "--no-fund", "--prefix", str(tools), f"axe-core@{AXE_VERSION}"],
		capture_output=True,
		text=True,
		timeout=300,
	)
	return script if result.returncode == 0 and script.exists() else None


AXE_RUN_JS = """
async (tags) => {
	const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
	return result.violations.map(v => ({
		id: v.id, impact: v.impact, help: v.help,
		targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
	}));
}
"""


def axe_violations(page) -> list[dict]:
	"""axe-core's WCAG 2.1 A/AA violations on the page; none checked when axe-core could not be
	installed (axe_script)."""
	script = axe_script()
	if not script:
		return []
	page.add_script_tag(path=str(script))
	return page.evaluate(AXE_RUN_JS, AXE_TAGS)
