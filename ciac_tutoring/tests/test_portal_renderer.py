"""The tutor's pages through the app's page renderer and path resolver (ciac_tutoring/portal/renderer.py,
issue 25): the same HTML as Frappe's own TemplatePage, without the desk's workspaces on a kept
context, the kept context dropped when what it holds changes, Frappe's behaviour for staff, and
templates compiled once per worker without one request's globals reaching another's page."""

import os

import frappe
import pytest
from frappe.website.path_resolver import get_website_rules
from frappe.website.path_resolver import resolve_path as frappe_resolve_path
from jinja2 import DictLoader, FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from ciac_tutoring.portal import renderer
from ciac_tutoring.tests import portal_data
from ciac_tutoring.tests.query_counter import count_queries


@pytest.fixture()
def tutor():
	renderer.clear_website_contexts()
	user = portal_data.make_portal_user("renderer-tutor@portal-test.example", "Renata")
	tutor = portal_data.make_tutor("renderer", user=user)
	beneficiary = portal_data.make_beneficiary("renderer")
	pairing = portal_data.make_active_pairing(tutor, beneficiary)
	portal_data.make_contact_log(pairing, notes="a walk in the park")
	yield frappe._dict(user=user, tutor=tutor, pairing=pairing)
	frappe.set_user("Administrator")
	renderer.clear_website_contexts()  # Redis outlives the test's transaction


def kept_context_key(user: str, lang: str = "en") -> str:
	return f"{renderer.WEBSITE_CONTEXT_KEY}|{user}|{lang}"


def is_kept(user: str, lang: str = "en") -> bool:
	return frappe.cache.get_value(kept_context_key(user, lang), expires=True) is not None


def pages(tutor) -> list[str]:
	return [
		"/my-tutoring",
		"/log-contact",
		"/training",
		"/my-volunteering",
		f"/relationship-health?pairing={tutor.pairing}",
	]


def test_the_tutors_pages_are_frappes_pages_byte_for_byte(tutor):
	for path in pages(tutor):
		first = portal_data.render_page(path, tutor.user)
		assert is_kept(tutor.user)
		kept = portal_data.render_page(path, tutor.user)
		frappes = portal_data.render_page(path, tutor.user, frappes_own=True)
		assert kept == frappes, path
		assert first == frappes, path
		assert "frappe.boot = " in kept and '"apps_data"' in kept


def test_in_italian_too(tutor):
	portal_data.render_page("/my-tutoring", tutor.user, lang="it")
	assert is_kept(tutor.user, "it") and not is_kept(tutor.user, "en")
	kept = portal_data.render_page("/my-tutoring", tutor.user, lang="it")
	assert kept == portal_data.render_page("/my-tutoring", tutor.user, lang="it", frappes_own=True)
	assert '<html lang="it">' in kept


def test_the_language_switch_names_the_pages_language(tutor):
	"""The IT/EN switch is applied before the website context is taken: `<html lang>` is the
	language the page is written in, from the first page after the switch."""
	page = portal_data.render_page("/my-tutoring?_lang=it", tutor.user, lang="en")
	assert '<html lang="it">' in page and "Il mio tutoraggio" in page
	assert frappe.db.get_value("User", tutor.user, "language") == "it"
	back = portal_data.render_page("/my-tutoring?_lang=en", tutor.user, lang="it")
	assert '<html lang="en">' in back


def test_a_kept_context_skips_the_desks_workspaces(tutor):
	portal_data.render_page("/my-tutoring", tutor.user)
	with count_queries() as kept:
		portal_data.render_page("/my-tutoring", tutor.user)
	with count_queries() as frappes:
		portal_data.render_page("/my-tutoring", tutor.user, frappes_own=True)
	assert any("`tabWorkspace`" in query for query in frappes)  # what Frappe runs for every page
	assert not any("`tabWorkspace`" in query for query in kept)
	assert len(kept) < len(frappes)


def test_the_public_pages_are_frappes_pages_for_a_guest_too(tutor):
	for path in ("/become-a-tutor", "/check-in?t=not-a-link"):
		portal_data.render_page(path, "Guest")
		assert is_kept("Guest")
		kept = portal_data.render_page(path, "Guest")
		assert kept == portal_data.render_page(path, "Guest", frappes_own=True), path
	with count_queries() as kept:
		portal_data.render_page("/become-a-tutor", "Guest")
	assert not any("`tabWorkspace`" in query for query in kept)


def test_staff_get_frappes_context_as_frappe_builds_it(tutor):
	renderer.PortalPage("my-tutoring").init_context()  # as Administrator
	assert renderer.keeps_website_context() is False
	assert not is_kept("Administrator")
	frappe.set_user(tutor.user)
	assert renderer.keeps_website_context() is True
	frappe.set_user("Guest")
	assert renderer.keeps_website_context() is True


def test_only_the_portal_and_public_pages_are_rendered_here():
	for path in ("my-tutoring", "relationship-health", "become-a-tutor", "check-in"):
		assert renderer.PortalPage(path).can_render(), path
	for path in ("login", "me", "my-tutoring/x", "app", "update-password", "contact"):
		assert not renderer.PortalPage(path).can_render(), path


def test_a_changed_website_settings_reaches_the_kept_pages(tutor):
	portal_data.render_page("/my-tutoring", tutor.user)
	frappe.set_user("Administrator")
	settings = frappe.get_single("Website Settings")
	before = settings.copyright
	try:
		settings.copyright = "Renderer Test Onlus"
		settings.save()
		assert not is_kept(tutor.user)
		page = portal_data.render_page("/my-tutoring", tutor.user)
		assert "Renderer Test Onlus" in page
	finally:
		frappe.set_user("Administrator")
		settings = frappe.get_single("Website Settings")
		settings.copyright = before
		settings.save()


def test_a_changed_user_or_system_settings_drops_the_kept_context(tutor):
	portal_data.render_page("/my-tutoring", tutor.user)
	frappe.set_user("Administrator")
	user = frappe.get_doc("User", tutor.user)
	user.time_zone = "Asia/Tokyo"
	user.save(ignore_permissions=True)
	assert not is_kept(tutor.user)
	assert '"user": "Asia/Tokyo"' in portal_data.render_page("/my-tutoring", tutor.user)
	assert is_kept(tutor.user)
	frappe.set_user("Administrator")
	system_settings = frappe.get_single("System Settings")
	system_settings.flags.ignore_mandatory = True  # the test site skipped the setup wizard
	system_settings.save()
	assert not is_kept(tutor.user)


def test_what_frappe_takes_from_the_request_is_not_kept(tutor):
	portal_data.render_page("/my-tutoring", tutor.user)
	page = portal_data.render_page("/training", tutor.user)
	assert page == portal_data.render_page("/training", tutor.user, frappes_own=True)
	frappe.flags.read_only = True
	try:
		context = renderer.website_context()
	finally:
		frappe.flags.read_only = False
	assert context["read_only_mode"] is True


def test_the_portal_pages_resolve_to_themselves_without_the_route_map():
	assert renderer.portal_pages_claimed(get_website_rules()) == frozenset()
	frappe.local.path = None
	assert renderer.resolve_path("my-tutoring") == "my-tutoring"
	assert frappe.local.path == "my-tutoring"


def test_other_paths_resolve_as_frappe_resolves_them():
	from frappe.utils import set_request

	for path in ("blog/news", "app/tutor", "profile", "login", "", "my-tutoring.html", "me"):
		set_request(method="GET", path="/" + path)
		assert renderer.resolve_path(path) == frappe_resolve_path(path), path


def test_a_route_rule_that_claims_a_portal_page_wins():
	rules = [
		*get_website_rules(),
		{"from_route": "/training", "to_route": "Training Session"},
		{"from_route": "/log-contact/<name>", "to_route": "Contact Log"},
	]
	assert renderer.portal_pages_claimed(rules) == frozenset({"training"})
	everything = [{"from_route": "/<path:anything>", "to_route": "Web Page"}]
	assert renderer.portal_pages_claimed(everything) == renderer.PAGES


def test_each_page_is_rendered_with_its_own_requests_globals(tutor):
	"""The kept templates hold compiled code only: the next tutor's page is hers, not the first's."""
	other_user = portal_data.make_portal_user("renderer-other@portal-test.example", "Ottavia")
	other = portal_data.make_tutor("renderer-other", user=other_user)
	pairing = portal_data.make_active_pairing(other, portal_data.make_beneficiary("renderer-other"))
	portal_data.make_contact_log(pairing, notes="a visit to the library")
	first = portal_data.render_page("/my-tutoring", tutor.user)
	second = portal_data.render_page("/my-tutoring", other_user)
	assert "a walk in the park" in first and "a visit to the library" not in first
	assert "a visit to the library" in second and "a walk in the park" not in second
	assert second == portal_data.render_page("/my-tutoring", other_user, frappes_own=True)


class CountingLoader(FileSystemLoader):
	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self.reads = 0

	def get_source(self, environment, template):
		self.reads += 1
		return super().get_source(environment, template)


def test_a_template_is_read_and_compiled_once_until_its_file_changes(tmp_path):
	page = tmp_path / "kept-test.html"
	page.write_text("Ciao {{ name }}")
	loader = CountingLoader(str(tmp_path))

	def render() -> str:  # a new environment per request, as Frappe makes
		environment = SandboxedEnvironment(loader=renderer.KeptTemplates(loader))
		return environment.get_template("kept-test.html").render(name="Amina")

	try:
		assert render() == "Ciao Amina"
		assert render() == "Ciao Amina"
		assert loader.reads == 1
		page.write_text("Buonasera {{ name }}")
		later = os.stat(page).st_mtime + 5
		os.utime(page, (later, later))
		assert render() == "Buonasera Amina"
		assert loader.reads == 2
	finally:
		renderer._compiled_templates.pop((frappe.local.site, "kept-test.html"), None)


def test_a_page_whose_source_frappe_changed_is_rendered_by_frappe():
	"""Front matter or a base template wrapped around the source: Frappe renders what it made."""
	page = renderer.PortalPage("my-tutoring")
	page.context = frappe._dict(name="x")
	page.file_source = "{{ name }}"
	page.source = "<div>{{ name }}</div>"
	frappe.local.jenv = SandboxedEnvironment(loader=DictLoader({}))
	try:
		assert page.render_template() == "<div>x</div>"
	finally:
		frappe.local.jenv = None
