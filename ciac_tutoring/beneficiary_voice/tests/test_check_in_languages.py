"""Every string of the check-in page and of its messages ships in Italian, French and Arabic
(English is the source), and the page served in each language leaves no English behind."""

import csv
import re
from pathlib import Path

import pytest
import requests

from ciac_tutoring.beneficiary_voice.language import PAGE_LANGUAGES
from ciac_tutoring.beneficiary_voice.tests.voice_data import (
	clear_check_ins,
	create_world,
	current_link,
	delete_world,
)

APP = Path(__file__).resolve().parents[2]
SOURCES = (
	APP / "www" / "check-in.html",
	APP / "beneficiary_voice" / "sending.py",
	APP / "beneficiary_voice" / "page.py",
)
STRING = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


# for CIAC's staff (the Error Log), in Italian and English only
STAFF_STRINGS = {"Check-in link not sent"}


def page_strings() -> set[str]:
	return {a or b for path in SOURCES for a, b in STRING.findall(path.read_text())} - STAFF_STRINGS


def translations(language: str) -> dict[str, str]:
	with (APP / "translations" / f"{language}.csv").open(newline="", encoding="utf-8") as fh:
		return {row[0]: row[1] for row in csv.reader(fh) if len(row) >= 2}


@pytest.mark.parametrize("language", ["it", "fr", "ar"])
def test_every_page_string_is_translated(language):
	strings = page_strings()
	assert len(strings) > 20
	rows = translations(language)
	missing = sorted(s for s in strings if not rows.get(s))
	assert missing == []
	for source in strings:
		assert re.findall(r"\{\d\}", source) == re.findall(r"\{\d\}", rows[source]), source


def test_no_duplicate_keys_in_the_new_files():
	for language in ("fr", "ar"):
		with (APP / "translations" / f"{language}.csv").open(newline="", encoding="utf-8") as fh:
			keys = [row[0] for row in csv.reader(fh) if row]
		assert len(keys) == len(set(keys))


@pytest.mark.http
def test_the_page_in_each_language_leaves_no_english(site_server):
	world = create_world("voicelang")
	try:
		clear_check_ins(world)
		token = current_link(world.b).token()
		english = requests.get(
			f"{site_server.url}/check-in", params={"t": token, "lang": "en"}, timeout=30
		).text
		assert "I want to talk to CIAC" in english
		# the strings long enough to be unmistakably English (not "No", "Email", "CIAC...")
		sentences = [s for s in page_strings() if len(s) > 12 and "{" not in s and s in english]
		assert sentences
		for language in set(PAGE_LANGUAGES) - {"en"}:
			page = requests.get(
				f"{site_server.url}/check-in", params={"t": token, "lang": language}, timeout=30
			)
			assert f'lang="{language}"' in page.text
			assert [s for s in sentences if s in page.text] == [], language
	finally:
		delete_world(world)
