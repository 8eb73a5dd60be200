"""The desk's bundles built by dev/build_assets.py are what Frappe looks for, and are served."""

import os
import re
from pathlib import Path

import frappe
import pytest
import requests
from frappe.utils.jinja_globals import bundled_asset

ASSETS = Path(frappe.utils.get_bench_path()) / "sites" / "assets"


@pytest.fixture(scope="module")
def manifests():
	built = (ASSETS / "assets.json").exists() and "desk.bundle.js" in frappe.parse_json(
		(ASSETS / "assets.json").read_text()
	)
	if not built and os.environ.get("CIAC_SKIP_ASSETS") == "1":
		pytest.skip("the desk's bundles are not built (CIAC_SKIP_ASSETS=1)")
	return (
		frappe.parse_json((ASSETS / "assets.json").read_text()),
		frappe.parse_json((ASSETS / "assets-rtl.json").read_text()),
	)


def bundle_sources(app: str) -> list[Path]:
	public = Path(frappe.get_app_path(app, "public"))
	return [
		path
		for path in public.rglob("*.bundle.*")
		if path.suffix in (".js", ".ts", ".css", ".scss", ".sass")
		and "dist" not in path.relative_to(public).parts
	]


def expected_key(source: Path) -> str:
	return source.name.rsplit(".", 1)[0] + (".js" if source.suffix in (".js", ".ts") else ".css")


@pytest.mark.parametrize("app", ["frappe", "ciac_tutoring"])
def test_every_bundle_of_each_app_is_mapped_to_a_built_file(manifests, app):
	assets, assets_rtl = manifests
	for source in bundle_sources(app):
		key = expected_key(source)
		url = assets.get(key)
		assert url and re.fullmatch(rf"/assets/{app}/dist/(js|css)/[\w.-]+\.[A-Z0-9]{{8}}\.(js|css)", url), (
			key
		)
		assert (ASSETS.parent / url.lstrip("/")).is_file(), url
		if key.endswith(".css"):
			rtl_url = assets_rtl[f"rtl_{key}"]
			assert "/dist/css-rtl/" in rtl_url and (ASSETS.parent / rtl_url.lstrip("/")).is_file()


def test_frappe_resolves_bundle_names_through_the_map(manifests):
	assets, _ = manifests
	assert bundled_asset("desk.bundle.js").endswith(assets["desk.bundle.js"])
	assert bundled_asset("desk.bundle.css").endswith(assets["desk.bundle.css"])


def test_html_templates_and_vue_styles_are_compiled_into_the_bundles(manifests):
	assets, _ = manifests
	list_bundle = (ASSETS.parent / assets["list.bundle.js"].lstrip("/")).read_text()
	assert "frappe.templates.list_sidebar=" in list_bundle  # from list_sidebar.html
	form_builder = (ASSETS.parent / assets["form_builder.bundle.js"].lstrip("/")).read_text()
	assert form_builder.startswith("frappe.dom.set_style(")


@pytest.mark.http
def test_the_login_page_and_its_bundles_are_served(site_server, manifests):
	page = requests.get(f"{site_server.url}/login", timeout=30)
	assert page.status_code == 200
	urls = re.findall(r'(?:src|href)="(/assets/frappe/dist/[^"?]+)', page.text)
	assert any("login.bundle." in url for url in urls), urls
	for url in urls:
		assert requests.get(site_server.url + url, timeout=30).status_code == 200, url
