"""How Frappe serves the tutors' portal pages and the two public ones (issue 25, docs/benchmarks.md):
its own TemplatePage, without two costs every Frappe website page pays that these pages do not need.

- The website context. Frappe's `get_website_settings()` builds, for every page, the web boot data,
  and in it the desk's apps screen (`frappe.apps.get_apps`), which instantiates every Workspace
  twice; for a Website User or a guest, whose allowed modules are an empty list, each
  instantiation rebuilds the user's permissions (20-60 ms of a tutor's page, 250 ms of a guest's).
  `PortalPage` keeps Frappe's own context per Website User (or Guest) and language in Redis
  (`website_context`), refreshes what Frappe takes from the request, and drops it whenever Frappe
  clears the website's cache or the user, the System Settings or the website theme change. Staff
  and desk users get Frappe's context as Frappe builds it.
- The route map. Frappe compiles a werkzeug `Map` of the website's route rules on every request
  (the rules are cached; the map is not). `resolve_path` answers the portal's own paths without
  it once it knows, per worker and per rule set, that no rule claims them; any other path goes
  through Frappe's `resolve_path`.
- The templates. Frappe makes a Jinja environment per request, so every template of a page (the
  page, `web.html`, `base.html`, the navbar, the footer, the icons, our includes) was found, read
  and compiled again, and the page itself compiled from its source string. `KeptTemplates` keeps
  each template's compiled code in the worker, checked against its file's modification time.

Hooks: `page_renderer`, `website_path_resolver`, `website_clear_cache`, `doc_events` (hooks.py).
"""

import json
from urllib.parse import quote

import frappe
from frappe.utils import get_assets_json, get_request_site_address
from frappe.website.doctype.website_settings.website_settings import get_website_settings
from frappe.website.page_renderers.template_page import TemplatePage
from frappe.website.path_resolver import get_website_rules
from frappe.website.path_resolver import resolve_path as frappe_resolve_path
from jinja2 import BaseLoader
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from ciac_tutoring.portal.http import apply_language_choice

# The tutor's pages (ciac_tutoring/www/), and the public ones: the form to become a tutor and the
# beneficiaries' check-in (guests).
PORTAL_PAGES = frozenset({"my-tutoring", "log-contact", "training", "relationship-health", "my-volunteering"})
PUBLIC_PAGES = frozenset({"become-a-tutor", "check-in"})
PAGES = PORTAL_PAGES | PUBLIC_PAGES

WEBSITE_CONTEXT_KEY = "ciac_portal_website_context"
# A bound for what no hook announces; every change Frappe announces clears it at once.
WEBSITE_CONTEXT_SECONDS = 600


class PortalPage(TemplatePage):
	"""A page of PAGES: Frappe's TemplatePage, with a Website User's or a guest's website context kept."""

	def set_template_path(self):
		if self.path in PAGES:
			super().set_template_path()

	def can_render(self):
		return self.path in PAGES and super().can_render()

	def init_context(self):
		# The IT/EN switch first: the website context (the page's `lang` among it) is the language's.
		apply_language_choice()
		if not keeps_website_context():
			super().init_context()
			return
		self.context = frappe._dict(website_context())
		self.context.update(frappe.local.conf.get("website_context") or {})

	def get_raw_template(self):
		self.file_source = super().get_raw_template()
		return self.file_source

	def render_template(self):
		"""The page's file through the kept templates, unless Frappe changed its source (front
		matter, markdown, a base template wrapped around it): then Frappe's own rendering."""
		jenv = keep_templates(frappe.get_jenv())
		if self.source is not self.file_source:
			return super().render_template()
		return jenv.get_template(self.context.template).render(self.context)


def keeps_website_context() -> bool:
	user = frappe.session.user
	return user == "Guest" or frappe.get_cached_value("User", user, "user_type") == "Website User"


def website_context() -> dict:
	"""Frappe's `get_website_settings()` for this Website User (or Guest) and language, built once and
	kept (every guest shares Guest's: nothing in it is a visitor's but the request's parts below)."""
	key = f"{WEBSITE_CONTEXT_KEY}|{frappe.session.user}|{frappe.local.lang}"
	context = frappe.cache.get_value(key, expires=True)
	if context is None:
		context = get_website_settings()
		frappe.cache.set_value(key, context, expires_in_sec=WEBSITE_CONTEXT_SECONDS)
		return context
	# What Frappe takes from this request, and the assets' names (a build changes them; Frappe
	# keeps them in its own cache, which a build replaces without clearing the website's).
	if frappe.request:
		context["url"] = quote(str(get_request_site_address(full_address=True)), safe="/:")
	context["read_only_mode"] = frappe.flags.read_only
	context["boot"]["assets_json"] = get_assets_json()
	return context


def clear_website_contexts(path=None) -> None:
	"""Hook `website_clear_cache` (Website Settings, the current theme, `bench clear-cache`...)."""
	forget_kept_contexts(f"{WEBSITE_CONTEXT_KEY}|")


def clear_user_website_contexts(doc, method=None) -> None:
	"""A user's roles, language, time zone or default app changed (doc_events: User)."""
	forget_kept_contexts(f"{WEBSITE_CONTEXT_KEY}|{doc.name}|")


def forget_kept_contexts(prefix: str) -> None:
	"""Now, and again once the change is committed (or rolled back): a page asked in between
	would keep the old settings it read for ten minutes (Frappe clears its document cache so)."""
	frappe.cache.delete_keys(prefix)
	if getattr(frappe.local, "db", None):
		frappe.db.after_commit.add(lambda: frappe.cache.delete_keys(prefix))
		frappe.db.after_rollback.add(lambda: frappe.cache.delete_keys(prefix))


def clear_all_website_contexts(doc, method=None) -> None:
	"""The date, number and time zone formats of every page changed (doc_events: System Settings)."""
	clear_website_contexts()


# --- the templates ---------------------------------------------------------------------------

# (site, template name) -> (compiled code, Jinja's up-to-date check of its file)
_compiled_templates: dict[tuple[str, str], tuple] = {}


class KeptTemplates(BaseLoader):
	"""The request's template loader (Frappe's, which finds a name in the site's apps), with each
	template's compiled code kept in the worker: found, read and compiled once, again only when its
	file changes. Only code is kept; each request's environment still makes its own templates from
	it, with its own globals (the request's user and CSRF token among them). A template another app
	adds under the same name later (an app installed) is found once the workers restart, as after
	every deploy."""

	def __init__(self, loader: BaseLoader):
		self.loader = loader

	def get_source(self, environment, template):
		return self.loader.get_source(environment, template)

	def list_templates(self):
		return self.loader.list_templates()

	def load(self, environment, name, globals=None):
		key = (frappe.local.site, name)
		kept = _compiled_templates.get(key)
		if kept is None or (kept[1] is not None and not kept[1]()):
			source, filename, uptodate = self.loader.get_source(environment, name)
			kept = (environment.compile(source, name, filename), uptodate)
			if len(_compiled_templates) > 1000:  # many sites in one worker, or templates changing
				_compiled_templates.clear()
			_compiled_templates[key] = kept
		return environment.template_class.from_code(environment, kept[0], globals or {}, kept[1])


def keep_templates(jenv):
	"""Give this request's Jinja environment the kept templates (once per environment)."""
	if not isinstance(jenv.loader, KeptTemplates):
		jenv.loader = KeptTemplates(jenv.loader)
	return jenv


# --- the route -------------------------------------------------------------------------------

_claimed_by_rules: dict[str, frozenset] = {}


def resolve_path(path: str) -> str:
	"""Hook `website_path_resolver`: Frappe's `resolve_path`, except for a page of PAGES that no
	route rule claims, whose endpoint is its path (what Frappe's route map would answer)."""
	if path in PAGES and path not in portal_pages_claimed(get_website_rules()):
		frappe.local.path = path
		return path
	try:
		return frappe_resolve_path(path)
	except RequestRedirect as redirect:
		# Frappe's resolver answers this redirect itself when no app resolves paths
		frappe.flags.redirect_location = redirect.new_url
		raise frappe.Redirect(redirect.code) from None


def portal_pages_claimed(rules: list[dict]) -> frozenset:
	"""The pages of PAGES that one of the website's route rules matches, worked out once per worker
	for each set of rules (Frappe keeps the rules in Redis; a rule is rarely added)."""
	key = json.dumps(rules, sort_keys=True, default=str)
	claimed = _claimed_by_rules.get(key)
	if claimed is None:
		urls = Map(
			[Rule(r["from_route"], endpoint=r["to_route"], defaults=r.get("defaults")) for r in rules]
		).bind("localhost")
		claimed = frozenset(path for path in PAGES if matches(urls, path))
		if len(_claimed_by_rules) > 16:  # several sites in one worker, or rules changing
			_claimed_by_rules.clear()
		_claimed_by_rules[key] = claimed
	return claimed


def matches(urls, path: str) -> bool:
	try:
		urls.match("/" + path)
	except NotFound:
		return False
	except RequestRedirect:
		return True
	return True
