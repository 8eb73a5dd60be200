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
	# The escalating ladder of a tutor's reminders (reminders.py): a second, different reminder...
	"tutor_second_reminder": (
		"CIAC Tutor Second Reminder",
		{
			"it": "Un'idea per sentire {{ beneficiary_first_name }}",
			"en": "An idea for getting in touch with {{ beneficiary_first_name }}",
		},
	),
	# ...then the coordinator.
	"reminders_unanswered": (
		"CIAC Reminders Unanswered",
		{
			"it": "Promemoria senza risposta: {{ tutor_name }} / {{ beneficiary_name }}",
			"en": "Reminders unanswered: {{ tutor_name }} / {{ beneficiary_name }}",
		},
	),
	"supervision_invitation": (
		"CIAC Supervision Invitation",
		{
			"it": "Incontro di supervisione di gruppo: {{ topic }}, {{ starts_on }}",
			"en": "Group supervision meeting: {{ topic }}, {{ starts_on }}",
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
					"response_html": shipped_html(slug, language),
				}
			).insert(ignore_permissions=True, set_name=name)


def shipped_html(slug: str, language: str) -> str:
	return (TEMPLATE_DIR / f"{slug}.{language}.html").read_text()


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
		self._broken: set[tuple[str, str]] = set()
		self._translations: dict[tuple[str, str], str] = {}

	def translate(self, text: str, language: str) -> str:
		"""frappe._, remembered for the run: it asks Redis on every call, and a run translates the
		same few labels thousands of times."""
		key = (text, language)
		if key not in self._translations:
			self._translations[key] = frappe._(text, language)
		return self._translations[key]

	def language_for(self, user_language: str | None) -> str:
		return normalise_language(user_language) or self.system_language or FALLBACK_LANGUAGE

	def prepare(self, slug: str, language: str, context: dict) -> dict:
		"""What the background job renders the email from (`render`): deciding thousands of
		reminders does not wait for thousands of subjects and bodies."""
		return {"template": slug, "language": language, "context": context}

	def render(self, email: dict) -> tuple[str, str]:
		"""(subject, body) of an email `prepare` described."""
		slug, language, context = email["template"], email["language"], email["context"]
		return (
			self.render_part(slug, language, context, "subject").strip(),
			self.render_part(slug, language, context, "body"),
		)

	def render_part(self, slug: str, language: str, context: dict, part: str) -> str:
		"""The subject or the body of the Email Template `slug` in `language` (or its fallback).

		An Email Template that is missing or that an admin's edit broke must not stop a reminder
		(nor the Contact Log or the daily run behind it): the text the app ships is used instead,
		and the problem goes to the Error Log once per run."""
		name = template_name(slug, language)
		template = self.templates.get(name)
		if not template:
			name = template_name(slug, FALLBACK_LANGUAGE)
			template = self.templates.get(name)
		if template and (name, part) not in self._broken:
			try:
				return self._compiled(template_text(template, part)).render(context)
			except Exception:
				self._broken.add((name, part))
				frappe.log_error(title=frappe._("Email Template {0} cannot be rendered").format(name))
		shipped = normalise_language(language) or FALLBACK_LANGUAGE
		text = TEMPLATES[slug][1][shipped] if part == "subject" else shipped_html(slug, shipped)
		return self._compiled(text).render(context)

	def _compiled(self, text: str):
		"""The template compiled once per run (what frappe.render_template does on every call, with
		its guard against server-side scripting): compiling dominates rendering thousands."""
		if text not in self._templates_compiled:
			if ".__" in text:
				frappe.throw(frappe._("Illegal template"))
			self._templates_compiled[text] = frappe.get_jenv().from_string(text)
		return self._templates_compiled[text]


def template_text(template: dict, part: str) -> str:
	if part == "subject":
		return template.subject or ""
	return (template.response_html if template.use_html else template.response) or ""


def normalise_language(language: str | None) -> str | None:
	"""'it-IT' -> 'it'; only the languages we ship templates for."""
	if not language:
		return None
	language = language.split("-")[0].lower()
	return language if language in LANGUAGES else None
