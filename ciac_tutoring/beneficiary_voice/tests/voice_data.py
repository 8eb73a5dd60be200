"""Committed data for the check-in tests: PortalWorld's two tutors, beneficiaries and Active
pairings (each with a call the tutor logged 3 days ago), a coordinator on pairing A, the
beneficiaries' consent to messages, and a local SMS gateway that Frappe's SMS Settings post to."""

import shutil
import tempfile
from pathlib import Path

import frappe
import pytest
from frappe.utils import add_days, getdate, today

from ciac_tutoring.beneficiary_voice.links import link_for
from ciac_tutoring.portal.http import rate_limit_key
from ciac_tutoring.privacy.doctype.consent_record.consent_record import PURPOSE_OF, record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import get_current_notice
from ciac_tutoring.tests.portal_data import PortalWorld, delete_rows
from demo.sms_gateway import SmsGateway, configure_sms_settings

CHECK_IN = "Beneficiary Check-in"
COORDINATOR = "voice.coordinator@ciac-test.example"
PERIOD_DAYS = 14
TUTOR_NAMES = {"a": "Giulia Bianchi", "b": "Marco Verdi"}
MOBILES = {"a": "+39 320 7770001", "b": "+39 320 7770002"}
LANGUAGES = {"a": "fr", "b": None}  # B's mother tongue is Arabic (portal_data.make_beneficiary)


def create_world(prefix: str) -> PortalWorld:
	world = PortalWorld.create(prefix=prefix)
	ensure_coordinator()
	notice = get_current_notice(PURPOSE_OF["Beneficiary"])
	for side in ("a", "b"):
		data = world[side]
		frappe.db.set_value("Pairing", data.pairing, "tutor_name", TUTOR_NAMES[side])
		frappe.db.set_value(
			"Beneficiary",
			data.beneficiary,
			{"mobile": MOBILES[side], "check_in_messages": 1, "preferred_language": LANGUAGES[side]},
		)
		record_consent("Beneficiary", data.beneficiary, notice.name, "Paper", "it")
	for side in ("a", "b"):
		frappe.db.set_value("Pairing", world[side].pairing, "coordinator", COORDINATOR)
	settings = frappe.get_doc("Beneficiary Voice Settings")
	settings.update(
		{"check_in_every_days": PERIOD_DAYS, "no_contact_check_ins": 2, "ciac_phone": "+39 0521 000000"}
	)
	settings.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: the test server reads it
	return world


def world_fixtures(prefix: str, server: str = "site_server"):
	"""A test module's `world` (made once, with the server `server` running) and `fresh` (the
	world without check-ins, before and after the test): `world, fresh = world_fixtures("x")`."""

	@pytest.fixture(scope="module")
	def world(request):
		request.getfixturevalue(server)
		world = create_world(prefix)
		yield world
		delete_world(world)

	@pytest.fixture
	def fresh(world):
		clear_check_ins(world)
		yield world
		clear_check_ins(world)

	return world, fresh


def ensure_coordinator() -> None:
	if not frappe.db.exists("User", COORDINATOR):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": COORDINATOR,
				"first_name": "Voice Coordinator",
				"send_welcome_email": 0,
				"roles": [{"role": "CIAC Coordinator"}],
			}
		).insert(ignore_permissions=True)


def current_period(pairing: str):
	"""The pairing's current period, as the sending job computes it."""
	started = getdate(frappe.db.get_value("Pairing", pairing, "start_date"))
	elapsed = (getdate(today()) - started).days
	return add_days(started, elapsed // PERIOD_DAYS * PERIOD_DAYS)


def current_link(data, channel: str = "SMS"):
	return link_for(data.beneficiary, data.pairing, current_period(data.pairing), PERIOD_DAYS, channel)


def clear_check_ins(world) -> None:
	frappe.db.rollback()
	pairings = [world.a.pairing, world.b.pairing]
	names = frappe.get_all(CHECK_IN, filters={"pairing": ("in", pairings)}, pluck="name")
	for doctype, field in (("Notification Log", "document_name"), ("Email Queue", "reference_name")):
		frappe.db.delete(doctype, {field: ("in", names or [""])})
	delete_rows(CHECK_IN, names)
	log = frappe.qb.DocType("Contact Log")
	frappe.qb.update(log).set(log.confirmed_by_beneficiary, 0).where(log.pairing.isin(pairings)).run()
	frappe.cache.delete_value(rate_limit_key("check-in", "127.0.0.1"))
	frappe.db.commit()  # nosemgrep: the server's rows


def delete_world(world) -> None:
	clear_check_ins(world)
	frappe.db.delete(
		"Consent Record",
		{"party_type": "Beneficiary", "party": ("in", [world.a.beneficiary, world.b.beneficiary])},
	)
	frappe.db.set_single_value("Beneficiary Voice Settings", "enabled", 0)
	world.delete()
	# directly, as PortalWorld does: an extra coordinator would change other tests' recipients
	frappe.db.delete("Notification Log", {"for_user": COORDINATOR})
	frappe.db.delete("Has Role", {"parent": COORDINATOR})
	frappe.db.delete("User", {"name": COORDINATOR})
	frappe.db.commit()  # nosemgrep: the server's rows


class LocalGateway:
	"""The local SMS gateway with the site's SMS Settings pointed at it, restored afterwards."""

	def __enter__(self) -> SmsGateway:
		self.folder = Path(tempfile.mkdtemp(prefix="ciac-sms-"))
		self.previous = frappe.get_doc("SMS Settings").as_dict()
		self.gateway = SmsGateway(self.folder).__enter__()
		configure_sms_settings(self.gateway.url)
		frappe.db.commit()  # nosemgrep: the job and the server read them
		return self.gateway

	def __exit__(self, *exc) -> None:
		self.gateway.__exit__(*exc)
		frappe.db.rollback()
		# directly: SMS Settings' form refuses to save without a gateway, as a fresh site has
		frappe.db.set_single_value(
			"SMS Settings",
			{
				f: self.previous.get(f)
				for f in ("sms_gateway_url", "message_parameter", "receiver_parameter", "use_post")
			},
		)
		frappe.db.commit()  # nosemgrep: restored for the other tests
		shutil.rmtree(self.folder, ignore_errors=True)
