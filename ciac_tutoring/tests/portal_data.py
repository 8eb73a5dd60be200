"""Committed test data for the portal's HTTP, browser and benchmark runs (a real server reads it).

`PortalWorld.create()` builds two tutors with their portal users, a beneficiary and an Active
pairing each, a contact log each, a planned training session and private files attached to each
tutor's records; `delete()` removes every row it made. States that other areas' gates guard
(phase, Active pairing) are set directly: this data is about who may see what, not the path there.
"""

import re
from urllib.parse import parse_qsl

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate
from frappe.utils.file_manager import save_file
from frappe.utils.password import update_password

from ciac_tutoring.tests import factory

PASSWORD = "Portal-Test-9431!"
CSRF_PATTERN = re.compile(r'frappe.csrf_token = "([0-9a-f]+)"')


def logged_in(site_server, user: str, password: str = PASSWORD):
	"""A `requests` session logged in as a tutor, sending JSON and the session's CSRF token."""
	session = site_server.session(user, password)
	page = session.get(f"{site_server.url}/my-tutoring", timeout=30)
	assert page.status_code == 200, page.text[:300]
	session.headers["X-Frappe-CSRF-Token"] = CSRF_PATTERN.search(page.text).group(1)
	session.headers["Accept"] = "application/json"
	return session


def make_portal_user(email: str, first_name: str, password: str = PASSWORD) -> str:
	factory.make_user(email, first_name=first_name, roles=("Tutor",), user_type="Website User")
	update_password(email, password)
	return email


def make_tutor(tag: str, user: str | None = None, phase: str = "Tutoring Started") -> str:
	doc = factory.make_tutor(
		ignore_permissions=True,
		tutor_name=f"Tutor {tag}",
		email=f"{tag}@portal-test.example",
		mobile="+39 333 1234567",
		municipality="Parma",
		privacy_consent_date=nowdate(),
		languages=[{"language": "it", "level": "Native"}],
		support_areas=[{"support_area": frappe.get_all("Support Area", pluck="name", limit=1)[0]}],
	)
	frappe.db.set_value(
		"Tutor", doc.name, {"user": user, "workflow_state": phase, "interview_notes": f"secret notes {tag}"}
	)
	return doc.name


def make_beneficiary(tag: str, share_contact: int = 1) -> str:
	return factory.make_beneficiary(
		ignore_permissions=True,
		first_name=f"Amina{tag}",
		last_name=f"Surname{tag}",
		gender="Female",
		date_of_birth="1995-03-04",
		mother_tongue="ar",
		municipality="Parma",
		consent=1,
		consent_date=nowdate(),
		share_contact_with_tutor=share_contact,
		mobile="+39 320 5550000",
		email=f"beneficiary-{tag}@portal-test.example",
		protection_status="Refugee",
		health_notes=f"health secret {tag}",
	).name


def make_active_pairing(tutor: str, beneficiary: str, start_date: str | None = None) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Pairing",
			"tutor": tutor,
			"beneficiary": beneficiary,
			"status": "Proposed",
			"presentation_date": add_days(nowdate(), -60),
			"phone_contacts_per_week": 1,
			"meetings_per_month": 1,
			"notes": "pairing notes",
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	frappe.db.set_value(
		"Pairing", doc.name, {"status": "Active", "start_date": start_date or add_days(nowdate(), -50)}
	)
	return doc.name


def make_contact_log(
	pairing: str, contact_date: str | None = None, kind: str = "Phone or video call", **extra
) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing,
			"contact_date": contact_date or add_days(nowdate(), -3),
			"kind": kind,
			"initiated_by": "Tutor",
			"duration_minutes": 20,
			"wellbeing": "Fine",
			"notes": extra.pop("notes", "contact notes"),
			**extra,
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	return doc.name


def make_training_session(title: str, days_ahead: int = 10, capacity: int = 3) -> str:
	starts_on = add_to_date(now_datetime(), days=days_ahead)
	doc = frappe.get_doc(
		{
			"doctype": "Training Session",
			"title": title,
			"topic": frappe.get_all("Training Topic", pluck="name", limit=1)[0],
			"starts_on": starts_on,
			"ends_on": add_to_date(starts_on, hours=2),
			"location": "CIAC, Parma",
			"capacity": capacity,
			"status": "Planned",
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	return doc.name


def attach_private_file(doctype: str, name: str, content: bytes) -> str:
	# A unique suffix: File reuses any stored file with the same content hash.
	content += b" " + frappe.generate_hash().encode()
	file = save_file(f"{frappe.scrub(name)}-secret.txt", content, doctype, name, is_private=1)
	return file.file_url


class PortalWorld(frappe._dict):
	"""Two tutors, each with their own pairing, contacts, files; one shared training session."""

	@classmethod
	def create(cls, prefix: str = "ptest") -> "PortalWorld":
		cls.purge(prefix)
		world = cls(prefix=prefix, password=PASSWORD)
		for side in ("a", "b"):
			tag = f"{prefix}-{side}"
			user = make_portal_user(f"{tag}-user@portal-test.example", f"Tutor{side.upper()}")
			clear_page_limits(user)
			tutor = make_tutor(tag, user=user)
			beneficiary = make_beneficiary(tag.replace("-", ""), share_contact=1 if side == "a" else 0)
			pairing = make_active_pairing(tutor, beneficiary)
			world[side] = frappe._dict(
				user=user,
				tutor=tutor,
				beneficiary=beneficiary,
				beneficiary_first_name=frappe.db.get_value("Beneficiary", beneficiary, "first_name"),
				beneficiary_last_name=frappe.db.get_value("Beneficiary", beneficiary, "last_name"),
				pairing=pairing,
				contact_log=make_contact_log(pairing, notes=f"contact notes {side}"),
			)
			world[side].pairing_file = attach_private_file(
				"Pairing", pairing, f"pairing secret {side}".encode()
			)
			world[side].log_file = attach_private_file(
				"Contact Log", world[side].contact_log, f"log secret {side}".encode()
			)
			world[side].beneficiary_file = attach_private_file(
				"Beneficiary", beneficiary, f"beneficiary secret {side}".encode()
			)
		world.session = make_training_session(f"{prefix} training")
		frappe.db.commit()  # nosemgrep: the test server reads this data from its own connection
		return world

	@classmethod
	def purge(cls, prefix: str) -> None:
		"""Remove what an interrupted run with the same prefix left behind."""
		tutors = frappe.get_all(
			"Tutor", filters={"email": ("like", f"{prefix}-%@portal-test.example")}, pluck="name"
		)
		leftover = cls(prefix=prefix)
		for side, tutor in zip(("a", "b", "c", "d"), tutors, strict=False):
			pairing = frappe.get_all("Pairing", filters={"tutor": tutor}, fields=["beneficiary"], limit=1)
			leftover[side] = frappe._dict(
				tutor=tutor,
				user=frappe.db.get_value("Tutor", tutor, "user") or "",
				beneficiary=pairing[0].beneficiary if pairing else "",
			)
		leftover.delete()

	def delete(self) -> None:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		sides = [self[side] for side in ("a", "b", "c", "d") if self.get(side)]
		tutors = [side.tutor for side in sides]
		users = [side.user for side in sides if side.user]
		pairings = frappe.get_all("Pairing", filters={"tutor": ("in", tutors)}, pluck="name")
		beneficiaries = [side.beneficiary for side in sides if side.beneficiary]
		sessions = frappe.get_all(
			"Training Session", filters={"title": ("like", f"{self.prefix}%")}, pluck="name"
		)
		logs = (
			frappe.get_all("Contact Log", filters={"pairing": ("in", pairings)}, pluck="name")
			if pairings
			else []
		)
		for doctype, names in (
			("Contact Log", logs),
			("Pairing", pairings),
			("Beneficiary", beneficiaries),
			("Training Session", sessions),
		):
			for name in frappe.get_all(
				"File",
				filters={"attached_to_doctype": doctype, "attached_to_name": ("in", names or [""])},
				pluck="name",
			):
				frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		delete_rows("Contact Log", logs)
		frappe.db.delete("Training Attendance", {"tutor": ("in", tutors or [""])})
		delete_rows("Training Session", sessions)
		delete_rows("Pairing", pairings)
		delete_rows("Beneficiary", beneficiaries)
		delete_rows("Tutor", tutors)
		if frappe.db.table_exists("Tutoring Reminder Log"):
			frappe.db.delete("Tutoring Reminder Log", {"tutor": ("in", tutors or [""])})
			# the coordinators' notices (Needs CIAC attention) name the pairing, not the tutor
			frappe.db.delete("Tutoring Reminder Log", {"pairing": ("in", pairings or [""])})
		# What the tutors' calls made: a calendar address, rows in supervision meetings.
		frappe.db.delete("Calendar Feed", {"tutor": ("in", tutors or [""])})
		frappe.db.delete("Supervision Attendee", {"tutor": ("in", tutors or [""])})
		if users:
			# Directly: User.on_trash checks unrelated to these website users can refuse on test sites.
			frappe.db.delete("Has Role", {"parent": ("in", users)})
			frappe.db.delete("__Auth", {"doctype": "User", "name": ("in", users)})
			frappe.db.delete("User", {"name": ("in", users)})
		frappe.db.commit()  # nosemgrep: the data was committed for the server


def clear_page_limits(user: str) -> None:
	"""Earlier runs' attempts by the same test user must not count against this one."""
	from ciac_tutoring.portal.http import rate_limit_key

	for action in ("training", "log-contact"):
		frappe.cache.delete_value(rate_limit_key(action, user))


def delete_rows(doctype: str, names: list[str]) -> None:
	"""Delete rows and their child rows directly: controllers' on_trash rules are not under test here."""
	if not names:
		return
	meta = frappe.get_meta(doctype)
	for table_field in meta.get_table_fields():
		frappe.db.delete(table_field.options, {"parenttype": doctype, "parent": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})


def render_page(path: str, user: str, lang: str = "en", frappes_own: bool = False) -> str:
	"""Render a www page in-process as the web server does (path resolution, get_context, Jinja),
	without the HTTP layer; sees this connection's uncommitted data. `frappes_own`: with Frappe's
	own route resolution and TemplatePage, whatever the app's hooks (ciac_tutoring/portal/renderer.py)."""
	import frappe.auth
	from frappe.utils import set_request
	from frappe.website.page_renderers.template_page import TemplatePage
	from frappe.website.path_resolver import PathResolver, resolve_path

	frappe.set_user(user)
	# Each request starts without a Jinja environment (frappe.init), as on the web server.
	frappe.local.jenv = None
	# A resumed session already holds its CSRF token (making one would write the session row).
	frappe.local.session.data.csrf_token = "in-process"
	path, _sep, query = path.partition("?")
	set_request(method="GET", path=path, query_string=query)
	frappe.local.form_dict = frappe._dict(parse_qsl(query))
	frappe.local.cookie_manager = frappe.auth.CookieManager()
	frappe.local.lang = lang
	if frappes_own:
		renderer = TemplatePage(resolve_path(path.strip("/ ")))
	else:
		_endpoint, renderer = PathResolver(path).resolve()
	response = renderer.render()
	if response.status_code != 200:
		raise AssertionError(f"{path} answered {response.status_code}")
	return response.get_data(as_text=True)
