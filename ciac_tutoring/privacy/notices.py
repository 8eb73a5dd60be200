"""The privacy notices the app ships: version 1 of each purpose, created only when none exists."""

import frappe
from frappe.utils import today

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
			{"doctype": "Privacy Notice", "purpose": purpose, "effective_from": today(), **texts}
		).insert(ignore_permissions=True)
