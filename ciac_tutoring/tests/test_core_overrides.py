"""Why each core endpoint the app overrides (hooks.py `override_whitelisted_methods`) is overridden.

For each one, two tests: what released Frappe v15.55.1's own function does for a tutor (called
in-process as the tutor, it leaks or changes a record the tutor may not read), and what the route
does over HTTP with the app's checked stand-in (refused, nothing changed). The HTTP test fails
without the override. If a later Frappe checks permission itself, the first test fails: the
override can then go.

Endpoints the app overrode for an older Frappe build and no longer does, because v15.55.1 refuses
a tutor by itself (tests below): `frappe.desk.form.linked_with.get` (each linked DocType is read
with `frappe.get_list`) and the three tag methods (`update_tags` checks write permission; the
request is answered with an error and its transaction rolled back). See docs/permissions.md.
"""

import json

import frappe
import pytest
from frappe.desk import like, search
from frappe.desk.form import linked_with

from ciac_tutoring.tests import portal_data
from ciac_tutoring.tests.portal_data import PortalWorld, logged_in

KEPT_OVERRIDES = {
	"frappe.client.get_count",
	"frappe.desk.search.get_link_title",
	"frappe.desk.like.toggle_like",
}


def test_hooks_override_exactly_the_endpoints_frappe_leaves_unchecked():
	assert set(frappe.get_hooks("override_whitelisted_methods", app_name="ciac_tutoring")) == KEPT_OVERRIDES


# --- what Frappe v15.55.1 itself does for a tutor (in-process, rolled back) ---------------------


@pytest.fixture
def other_tutors_pairing():
	"""A tutor's portal user, and another tutor's Active pairing the first may not read."""
	user = portal_data.make_portal_user("override-probe@portal-test.example", "Probe")
	tutor = portal_data.make_tutor("override-other")
	beneficiary = portal_data.make_beneficiary("overrideother")
	pairing = portal_data.make_active_pairing(tutor, beneficiary)
	frappe.set_user(user)
	assert not frappe.has_permission("Pairing", "read", doc=pairing)
	return frappe._dict(user=user, pairing=pairing, beneficiary=beneficiary)


def test_frappe_get_count_counts_records_a_tutor_may_not_read(other_tutors_pairing):
	surname = frappe.db.get_value("Beneficiary", other_tutors_pairing.beneficiary, "last_name")
	assert frappe.client.get_count("Beneficiary", {"last_name": surname}) == 1


def test_frappe_get_link_title_returns_the_beneficiarys_name_unchecked(other_tutors_pairing):
	title = search.get_link_title("Pairing", other_tutors_pairing.pairing)
	assert title == frappe.db.get_value("Pairing", other_tutors_pairing.pairing, "beneficiary_name")
	assert title and title != other_tutors_pairing.pairing


def test_frappe_toggle_like_writes_a_like_on_a_record_a_tutor_may_not_read(other_tutors_pairing):
	like.toggle_like("Pairing", other_tutors_pairing.pairing, add="Yes")
	liked_by = frappe.db.get_value("Pairing", other_tutors_pairing.pairing, "_liked_by")
	assert json.loads(liked_by) == [other_tutors_pairing.user]


def test_frappe_linked_with_refuses_a_tutor_by_itself(other_tutors_pairing):
	"""Why `linked_with.get` needs no override on v15.55.1: every linked DocType is read with
	`frappe.get_list`, and a tutor holds no DocPerm on the programme's DocTypes."""
	with pytest.raises(frappe.PermissionError):
		linked_with.get("Beneficiary", other_tutors_pairing.beneficiary)


# --- the routes over HTTP, with the app's stand-ins ---------------------------------------------


@pytest.fixture(scope="module")
def world(site_server):
	world = PortalWorld.create(prefix="povr")
	yield world
	world.delete()


@pytest.fixture(scope="module")
def tutor_a(site_server, world):
	return logged_in(site_server, world.a.user, world.password)


def call(site_server, session, method: str, **params):
	return session.post(f"{site_server.url}/api/method/{method}", data=params, timeout=30)


def pairing_row(pairing: str) -> dict:
	frappe.db.rollback()  # what the server committed
	return frappe.db.get_value("Pairing", pairing, ["_user_tags", "_liked_by", "modified"], as_dict=True)


@pytest.mark.http
def test_get_count_counts_only_what_the_tutor_may_read(site_server, world, tutor_a):
	filters = json.dumps({"last_name": world.b.beneficiary_last_name})
	response = call(site_server, tutor_a, "frappe.client.get_count", doctype="Beneficiary", filters=filters)
	assert response.status_code == 403, response.text[:300]


@pytest.mark.http
def test_get_link_title_refuses_another_tutors_pairing(site_server, world, tutor_a):
	response = call(
		site_server, tutor_a, "frappe.desk.search.get_link_title", doctype="Pairing", docname=world.b.pairing
	)
	assert response.status_code == 403, response.text[:300]
	assert world.b.beneficiary_last_name not in response.text


@pytest.mark.http
def test_toggle_like_refused_on_another_tutors_pairing(site_server, world, tutor_a):
	before = pairing_row(world.b.pairing)
	response = call(
		site_server,
		tutor_a,
		"frappe.desk.like.toggle_like",
		doctype="Pairing",
		name=world.b.pairing,
		add="Yes",
	)
	assert response.status_code == 403, response.text[:300]
	assert pairing_row(world.b.pairing) == before


@pytest.mark.http
@pytest.mark.parametrize(
	"method, params",
	[
		("frappe.desk.doctype.tag.tag.add_tag", {"tag": "probe", "dt": "Pairing", "dn": "{pairing}"}),
		(
			"frappe.desk.doctype.tag.tag.add_tags",
			{"tags": '["probe"]', "dt": "Pairing", "docs": '["{pairing}"]'},
		),
		("frappe.desk.doctype.tag.tag.remove_tag", {"tag": "staff", "dt": "Pairing", "dn": "{pairing}"}),
	],
)
def test_frappe_tag_methods_refuse_a_tutor_by_themselves(site_server, world, tutor_a, method, params):
	"""No override: v15.55.1's `update_tags` checks write permission after its UPDATE, and the
	failed request is rolled back (Frappe answers 500: its error handler trips over the
	PermissionError). Nothing is tagged, no staff tag removed, no Tag master created."""
	pairing = world.b.pairing
	frappe.db.set_value("Pairing", pairing, "_user_tags", ",staff", update_modified=False)
	frappe.db.commit()  # nosemgrep: the server reads committed data
	before = pairing_row(pairing)
	params = {key: value.replace("{pairing}", pairing) for key, value in params.items()}
	try:
		for http in ("post", "get"):
			response = getattr(tutor_a, http)(
				f"{site_server.url}/api/method/{method}",
				**({"data": params} if http == "post" else {"params": params}),
				timeout=30,
			)
			assert response.status_code >= 400, response.text[:300]
			assert pairing_row(pairing) == before
			assert not frappe.db.exists("Tag", "probe")
	finally:
		frappe.db.set_value("Pairing", pairing, "_user_tags", None, update_modified=False)
		frappe.db.commit()  # nosemgrep: leave the shared record as it was
