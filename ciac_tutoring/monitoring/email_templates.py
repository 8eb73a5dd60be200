"""The reminders' Email Templates: shipped in Italian and English, editable by admins in the desk.

`ensure_email_templates` (an install and migrate step) creates only the missing ones, so an
admin's edits survive `migrate`. A reminder uses the template in its recipient's language
("<name> - it"), else the English one.
"""

from pathlib import Path

import frappe

TEMPLATE_DIR = Path(__file__).parent / "email_templates"
LANGUAGES = ("it", "en")
FALLBACK_LANGUAGE = "en"

# Template slug -> (base name of the Email Template, subject per language). Subjects are Jinja too.
TEMPLATES = {
	"tutor_reminder": (
		"CIAC Tutor Reminder",
		{
			"it": "Promemoria: i contatti con {{ beneficiary_first_name }}",
			"en": "Reminder: keeping in touch with {{ beneficiary_first_name }}",
		},
	),
	"pairing_overdue": (
		"CIAC Pairing Overdue",
		{
			"it": "Abbinamento in ritardo: {{ tutor_name }} / {{ beneficiary_name }}",
			"en": "Pairing overdue: {{ tutor_name }} / {{ beneficiary_name }}",
		},
	),
	"needs_attention": (
		"CIAC Needs Attention",
		{
			"it": "Richiede attenzione CIAC: {{ tutor_name }} / {{ beneficiary_name }}",
			"en": "Needs CIAC attention: {{ tutor_name }} / {{ beneficiary_name }}",
		},
	),
	"weekly_digest": (
		"CIAC Weekly Digest",
		{
			"it": "Tutoraggio: il riepilogo della settimana {{ week }}",
			"en": "Tutoring: the digest of week {{ week }}",
		},
	),
	"training_reminder": (
		"CIAC Training Reminder",
		{
			"it": "Domani: {{ title }}",
			"en": "Tomorrow: {{ title }}",
		},
	),
}


def template_name(slug: str, language: str) -> str:
	return f"{TEMPLATES[slug][0]} - {language}"


def ensure_email_templates() -> None:
	"""Create the missing Email Templates; never touch existing ones (admins may have edited them)."""
	existing = set(frappe.get_all("Email Template", pluck="name"))
	for slug, (_base, subjects) in TEMPLATES.items():
		for language in LANGUAGES:
			name = template_name(slug, language)
			if name in existing:
				continue
			frappe.get_doc(
				{
					"doctype": "Email Template",
					"name": name,
					"subject": subjects[language],
					"use_html": 1,
					"response_html": (TEMPLATE_DIR / f"{slug}.{language}.html").read_text(),
				}
			).insert(ignore_permissions=True, set_name=name)


class TemplateRenderer:
	"""Renders the reminders of one run; loads every template in one query."""

	def __init__(self):
		names = [template_name(slug, language) for slug in TEMPLATES for language in LANGUAGES]
		self.templates = {
			t.name: t
			for t in frappe.get_all(
				"Email Template",
				filters={"name": ["in", names]},
				fields=["name", "subject", "use_html", "response", "response_html"],
			)
		}
		self.system_language = normalise_language(frappe.get_system_settings("language"))
		self._templates_compiled = {}

	def language_for(self, user_language: str | None) -> str:
		return normalise_language(user_language) or self.system_language or FALLBACK_LANGUAGE

	def render(self, slug: str, language: str, context: dict) -> tuple[str, str]:
		"""Return (subject, html) of the template `slug` in `language` (or its fallback)."""
		template = self.templates.get(template_name(slug, language)) or self.templates.get(
			template_name(slug, FALLBACK_LANGUAGE)
		)
		if not template:
			frappe.throw(
				frappe._("The Email Template {0} is missing: run migrate to restore it.").format(
					template_name(slug, FALLBACK_LANGUAGE)
				)
			)
		body = template.response_html if template.use_html else template.response
		return (
			self._compiled(template.subject or "").render(context).strip(),
			self._compiled(body or "").render(context),
		)

	def _compiled(self, text: str):
		"""The template compiled once per run (what frappe.render_template does on every call, with
		its guard against server-side scripting): compiling dominates rendering thousands."""
		if text not in self._templates_compiled:
			if ".__" in text:
				frappe.throw(frappe._("Illegal template"))
			self._templates_compiled[text] = frappe.get_jenv().from_string(text)
		return self._templates_compiled[text]


def normalise_language(language: str | None) -> str | None:
	"""'it-IT' -> 'it'; only the languages we ship templates for."""
	if not language:
		return None
	language = language.split("-")[0].lower()
	return language if language in LANGUAGES else None
