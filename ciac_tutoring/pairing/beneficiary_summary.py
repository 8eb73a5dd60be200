"""The beneficiary's one-page summary (print format "Beneficiary Summary"), in plain words.

Italian, English or French, following the print language (Italian otherwise). The texts are
admin-editable in Tutoring Settings (section Beneficiary Summary); only the few headings are
fixed here, because the app's translations cover Italian alone.
"""

import frappe
from frappe.utils import get_fullname

from ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings import get_settings
from ciac_tutoring.tutoring.printing import require_printable

LANGUAGES = ("it", "en", "fr")
HEADINGS = {
	"it": {"title": "Il tuo percorso con il tutor", "tutor": "Il tuo tutor", "agreed": "Cosa avete deciso insieme", "ciac": "Come contattare il CIAC", "name": "Nome", "none": "Non hai ancora un tutor: il CIAC ti presenterà presto una persona."},
	"en": {"title": "Your path with your tutor", "tutor": "Your tutor", "agreed": "What you agreed together", "ciac": "How to reach CIAC", "name": "Name", "none": "You do not have a tutor yet: CIAC will soon introduce you to someone."},
	"fr": {"title": "Ton parcours avec ton tuteur", "tutor": "Ton tuteur", "agreed": "Ce que vous avez décidé ensemble", "ciac": "Comment contacter le CIAC", "name": "Nom", "none": "Tu n'as pas encore de tuteur : le CIAC va bientôt te présenter quelqu'un."},
}  # fmt: skip
PARTS = ("tutor", "agreed", "ciac")


def summary_language() -> str:
	lang = (frappe.local.lang or "it").split("-")[0]
	return lang if lang in LANGUAGES else "it"


def current_pairing(beneficiary: str) -> frappe._dict | None:
	"""The beneficiary's open pairing (Active, Suspended, Proposed), else the latest one."""
	pairings = frappe.get_all(
		"Pairing",
		filters={"beneficiary": beneficiary, "status": ("!=", "Closed")},
		fields=["tutor_name", "phone_contacts_per_week", "meetings_per_month", "start_date", "status"],
		order_by="modified desc",
		limit=1,
	)
	return pairings[0] if pairings else None


def ciac_beneficiary_summary(doc) -> dict:
	"""The summary's texts for a Beneficiary, in the print language: a Jinja helper (hooks). Only for
	a Beneficiary the user may read and print (it looks the pairing up with no check of its own)."""
	require_printable(doc, "Beneficiary")
	lang = summary_language()
	headings = HEADINGS[lang]
	settings = get_settings()
	pairing = current_pairing(doc.name)
	values = {
		"tutor": pairing.tutor_name if pairing else "",
		"calls": (pairing and pairing.phone_contacts_per_week) or 1,
		"meetings": (pairing and pairing.meetings_per_month) or 1,
		"operator": get_fullname(doc.referring_operator) if doc.get("referring_operator") else "",
	}
	sections = []
	for part in PARTS:
		if part != "ciac" and not pairing:
			continue
		text = settings.get(f"summary_{part}_{lang}") or ""
		sections.append({"heading": headings[part], "text": text.format_map(_Blank(values))})
	return {
		"lang": lang,
		"title": headings["title"],
		"name_label": headings["name"],
		"no_tutor": None if pairing else headings["none"],
		"sections": sections,
	}


class _Blank(dict):
	"""Unknown {placeholders} an admin typed are left as they are instead of failing the print."""

	def __missing__(self, key):
		return "{" + key + "}"
