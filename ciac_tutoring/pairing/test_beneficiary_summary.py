"""The beneficiary's one-page summary: plain words in Italian, English and French, texts from settings."""

import frappe
import pytest
from frappe.translate import print_language

from ciac_tutoring.tests import portal_data


def render(beneficiary: str, lang: str) -> str:
	with print_language(lang):
		return frappe.get_print("Beneficiary", beneficiary, "Beneficiary Summary", no_letterhead=1)


@pytest.fixture
def paired():
	tutor = portal_data.make_tutor("summary-tutor")
	beneficiary = portal_data.make_beneficiary("summary")
	pairing = portal_data.make_active_pairing(tutor, beneficiary)
	frappe.db.set_value("Pairing", pairing, {"phone_contacts_per_week": 2, "meetings_per_month": 3})
	frappe.db.set_value("Beneficiary", beneficiary, "referring_operator", "Administrator")
	return beneficiary


@pytest.mark.parametrize(
	"lang, expected",
	[
		("it", ("Il tuo percorso con il tutor", "Il tuo tutor è Tutor summary-tutor", "al telefono 2 volte a settimana", "3 volte al mese", "il tuo operatore è Administrator")),
		("en", ("Your path with your tutor", "Your tutor is Tutor summary-tutor", "2 times a week", "meet 3 times a month", "your operator is Administrator")),
		("fr", ("Ton parcours avec ton tuteur", "Ton tuteur est Tutor summary-tutor", "2 fois par semaine", "3 fois par mois", "ton opérateur est Administrator")),
	],
)  # fmt: skip
def test_the_summary_speaks_the_print_language(paired, lang, expected):
	html = render(paired, lang)
	for text in expected:
		assert text in html, text
	assert "Aminasummary Surnamesummary" in html
	assert "health secret" not in html and "Refugee" not in html  # nothing of the staff-only data


def test_the_texts_are_the_admins(paired):
	frappe.db.set_single_value(
		"Tutoring Settings", "summary_ciac_en", "Call CIAC on 0521 000000, {operator} answers."
	)
	assert "Call CIAC on 0521 000000, Administrator answers." in render(paired, "en")


def test_without_a_tutor_it_says_so_and_how_to_reach_ciac():
	beneficiary = portal_data.make_beneficiary("summary-waiting")
	html = render(beneficiary, "en")
	assert "You do not have a tutor yet" in html
	assert "How to reach CIAC" in html and "Your tutor is" not in html
	assert "Il tuo percorso con il tutor" in render(beneficiary, "de")  # other languages: Italian
