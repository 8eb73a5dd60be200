import frappe
import pytest
import requests

from ciac_tutoring.tests.utils import CIACTestCase


class TestAppIsInstalled(CIACTestCase):
	def test_app_is_installed_on_the_site(self):
		self.assertIn("ciac_tutoring", frappe.get_installed_apps())

	def test_module_is_registered(self):
		self.assertEqual(frappe.db.get_value("Module Def", "Tutoring", "app_name"), "ciac_tutoring")


def test_hooks_are_visible_through_frappe():
	assert frappe.get_hooks("app_title", app_name="ciac_tutoring") == ["CIAC Tutoring"]
	assert "ciac_tutoring" in frappe.get_hooks("app_name")


def test_plain_test_functions_are_rolled_back():
	frappe.get_doc({"doctype": "ToDo", "description": "pytest rollback probe"}).insert()
	assert frappe.db.exists("ToDo", {"description": "pytest rollback probe"})


def test_previous_test_left_nothing_behind():
	assert not frappe.db.exists("ToDo", {"description": "pytest rollback probe"})


@pytest.mark.http
def test_server_answers_ping_login_and_rest(site_server):
	assert requests.get(f"{site_server.url}/api/method/ping", timeout=10).json() == {"message": "pong"}
	session = site_server.session("Administrator")
	assert (
		session.get(f"{site_server.url}/api/method/frappe.auth.get_logged_user").json()["message"]
		== "Administrator"
	)
	users = session.get(
		f"{site_server.url}/api/resource/User",
		params={"filters": '[["name", "=", "Administrator"]]', "limit_page_length": 5},
	).json()["data"]
	assert users == [{"name": "Administrator"}]
	assert requests.get(f"{site_server.url}/api/resource/User", timeout=10).status_code == 403
