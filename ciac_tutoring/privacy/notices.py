"""The privacy notices the app ships: version 1 of each purpose, created only when none exists."""

import frappe

# The shipped texts' own date, not today(): at install the site may have no time zone yet, and
# Frappe's default (Asia/Kolkata) can make "today" tomorrow in Parma, leaving no notice in effect.
# Nobody can consent before the app is installed, so an earlier date changes nothing else.
FIRST_NOTICES_EFFECTIVE_FROM = "2026-01-01"

# Not the translation function: the texts are stored in both languages, admins edit them in the desk.
FIRST_NOTICES = {
	"Tutor availability": {
		"text_it": "<p>Acconsento al trattamento dei miei dati personali da parte di CIAC per valutare e "
		"gestire la mia partecipazione al programma (Regolamento UE 2016/679).</p>",
		"text_en": "<p>I consent to CIAC processing my personal data to evaluate and manage my "
		"participation in the programme (EU Regulation 2016/679).</p>",
	},
	"Beneficiary intake": {
		"text_it": "<p>Acconsento al trattamento dei miei dati personali, compresi quelli relativi alla "
		'protezione internazionale e alla salute, da parte di CIAC per il programma "Tutor per '
		"l'integrazione\" (Regolamento UE 2016/679, art. 6 e 9).</p>",
		"text_en": "<p>I consent to CIAC processing my personal data, including data on international "
		'protection and health, for the "Tutor for integration" programme (EU Regulation 2016/679, '
		"art. 6 and 9).</p>",
	},
}


def ensure_privacy_notices() -> None:
	for purpose, texts in FIRST_NOTICES.items():
		if frappe.db.exists("Privacy Notice", {"purpose": purpose}):
			continue
		frappe.get_doc(
			{
				"doctype": "Privacy Notice",
				"purpose": purpose,
				"effective_from": FIRST_NOTICES_EFFECTIVE_FROM,
				**texts,
			}
		).insert(ignore_permissions=True)
