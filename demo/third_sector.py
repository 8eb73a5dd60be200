"""Demo step: the Third Sector records of a programme in full swing: the volunteers' register (with
a correction), the two insurance policies the law requires, expense claims in every state of the
approval, and a certificate of hours for the demo tutor. Idempotent, like the other steps.

`cover_tutor` is also called by demo.workflow before a walked tutor reaches Tutoring Started, whose
gate wants injury and civil liability cover."""

import contextlib
import functools
import http.server
import os
import threading

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, get_first_day, getdate, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.third_sector import expenses, hours, register, register_extract
from demo.base import DEMO_TUTOR_EMAIL

MANAGER = "manager@ciac.example"
# insurer, policy number, covers injury, covers civil liability, months before today, months after
POLICIES = [
	("Cattolica Assicurazioni", "INF-2026-0147", 1, 0, 9, 3),
	("UnipolSai", "RCT-2026-8812", 0, 1, 11, 1),  # ends within a month: the reminder's example
]
ACTIVE_PHASES = (gates.TUTORING_STARTED, gates.MONITORING)
# Left uncovered for civil liability: the report Tutors Without Insurance has a row to show.
UNCOVERED_EMAIL = "acli.collecchio@ciac.example"
DEMO_TAX_CODE = "FRRGLI85M41G337Q"
# amount, documentation, what for, days ago, decision
CLAIMS = [
	(8.40, expenses.RECEIPT, "Biglietti dell'autobus per accompagnare Amina all'anagrafe", 12, "Approve"),
	(6.00, expenses.SELF_CERTIFICATION, "Caffè e merenda durante l'incontro al parco", 5, None),
	(35.00, expenses.RECEIPT, "Cena al ristorante per il compleanno", 3, "Reject"),
]


def ensure_policies() -> list[str]:
	names = []
	for insurer, number, injury, liability, before, after in POLICIES:
		name = frappe.db.get_value("Insurance Policy", {"policy_number": number})
		if not name:
			policy = frappe.get_doc(
				{
					"doctype": "Insurance Policy",
					"insurer": insurer,
					"policy_number": number,
					"covers_injury": injury,
					"covers_civil_liability": liability,
					"valid_from": add_months(today(), -before),
					"valid_to": add_months(today(), after),
				}
			)
			name = policy.insert(ignore_permissions=True).name
		names.append(name)
	return names


def cover_tutor(tutor: str) -> None:
	for name in ensure_policies():
		policy = frappe.get_doc("Insurance Policy", name)
		if tutor not in {row.tutor for row in policy.tutors}:
			policy.append("tutors", {"tutor": tutor})
			policy.save(ignore_permissions=True)


def load() -> None:
	active = frappe.get_all(
		"Tutor",
		filters={"workflow_state": ("in", ACTIVE_PHASES)},
		fields=["name", "email"],
		order_by="creation",
	)
	for tutor in active:
		if tutor.email != UNCOVERED_EMAIL:
			cover_tutor(tutor.name)
	injury_policy = ensure_policies()[0]
	uncovered = frappe.db.get_value("Tutor", {"email": UNCOVERED_EMAIL})
	if uncovered:  # injury only
		policy = frappe.get_doc("Insurance Policy", injury_policy)
		if uncovered not in {row.tutor for row in policy.tutors}:
			policy.append("tutors", {"tutor": uncovered})
			policy.save(ignore_permissions=True)
	fill_register(active)
	demo_tutor = frappe.db.get_value("Tutor", {"email": DEMO_TUTOR_EMAIL})
	if demo_tutor:
		add_claims(demo_tutor)
	with assets_reachable():
		if demo_tutor:
			attach_certificate(demo_tutor)
		make_extract()


class AssetsOnly(http.server.SimpleHTTPRequestHandler):
	"""Serves /assets/ of the bench's sites folder and nothing else (no site config, no files)."""

	def do_GET(self):
		if not self.path.startswith("/assets/") or ".." in self.path:
			self.send_error(404)
			return
		super().do_GET()

	def log_message(self, *args):
		pass


@contextlib.contextmanager
def assets_reachable():
	"""wkhtmltopdf fetches the print styles from the site's URL, and the demo loads before `./dev/run`
	starts the web server: while the PDFs are made, a loopback server of the static assets stands in
	(unless the site's URL is already set, as in the tests)."""
	if frappe.local.conf.get("host_name"):
		yield
		return
	handler = functools.partial(AssetsOnly, directory=os.path.abspath(frappe.local.sites_path))
	server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
	thread = threading.Thread(target=server.serve_forever, daemon=True)
	thread.start()
	frappe.local.conf.host_name = f"http://127.0.0.1:{server.server_address[1]}"
	try:
		yield
	finally:
		frappe.local.conf.pop("host_name", None)
		server.shutdown()
		server.server_close()


def fill_register(active: list) -> None:
	"""The base data placed tutors in their phase directly: enter them as of their first pairing."""
	for tutor in active:
		if register.current_status(tutor.name):
			continue
		started = frappe.get_all(
			"Pairing",
			{"tutor": tutor.name, "start_date": ("is", "set")},
			pluck="start_date",
			order_by="start_date",
			limit=1,
		)
		register.enrol(frappe.get_doc("Tutor", tutor.name), start_date=started[0] if started else today())
	demo_tutor = frappe.db.get_value("Tutor", {"email": DEMO_TUTOR_EMAIL})
	status = register.current_status(demo_tutor) if demo_tutor else None
	if status and status.entry_type != register.CORRECTION:
		entry = frappe.get_doc(register.ENTRY, status.name)
		register.append_entry(
			{
				"entry_type": register.CORRECTION,
				"tutor": demo_tutor,
				"corrects_entry": entry.name,
				"full_name": entry.full_name,
				"tax_code": DEMO_TAX_CODE,
				"address": entry.address or "Borgo delle Colonne 12, 43121 Parma",
				"start_date": entry.start_date,
				"reason": "Codice fiscale consegnato dalla volontaria dopo l'iscrizione",
			}
		)


def receipt_pdf() -> bytes:
	import io

	from pypdf import PdfWriter

	writer = PdfWriter()
	writer.add_blank_page(width=200, height=300)
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def add_claims(tutor: str) -> None:
	if frappe.db.exists(expenses.CLAIM, {"tutor": tutor}):
		return
	pairing = frappe.db.get_value("Pairing", {"tutor": tutor, "status": "Active"})
	for amount, documentation, purpose, days_ago, decision in CLAIMS:
		day = max(getdate(add_days(today(), -days_ago)), get_first_day(today()))
		claim = frappe.get_doc(
			{
				"doctype": expenses.CLAIM,
				"tutor": tutor,
				"pairing": pairing,
				"expense_date": day,
				"purpose": purpose,
				"amount": amount,
				"documentation": documentation,
				"self_certified": int(documentation == expenses.SELF_CERTIFICATION),
			}
		)
		if documentation == expenses.RECEIPT:
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"scontrino-{days_ago}.pdf",
					"is_private": 1,
					"content": receipt_pdf(),
				}
			).insert(ignore_permissions=True)
			claim.receipt = file.file_url
		claim.insert(ignore_permissions=True)
		if decision:
			if decision == "Reject":
				claim.review_note = "Non è una spesa dell'attività di tutoraggio."
			user = MANAGER if frappe.db.exists("User", MANAGER) else "Administrator"
			frappe.set_user(user)
			try:
				apply_workflow(claim, decision)
			finally:
				frappe.set_user("Administrator")


def attach_certificate(tutor: str) -> None:
	"""The demo tutor's certificate, rendered to PDF and attached to their record (when the PDF
	renderer can reach the site; the certificate is always on the portal and in the desk)."""
	if frappe.db.exists(
		"File",
		{"attached_to_doctype": "Tutor", "attached_to_name": tutor, "file_name": ("like", "Attestato%")},
	):
		return
	frappe.db.savepoint("demo_certificate")
	try:
		pdf = hours.render_certificate(tutor, as_pdf=True, lang="it")
	except Exception as error:
		frappe.db.rollback(save_point="demo_certificate")
		print(f"Demo certificate not rendered to PDF ({error}); it prints from the desk and the portal.")
		return
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"Attestato di volontariato {tutor}.pdf",
			"attached_to_doctype": "Tutor",
			"attached_to_name": tutor,
			"is_private": 1,
			"content": pdf,
		}
	).insert(ignore_permissions=True)


def make_extract() -> None:
	if frappe.db.exists(register_extract.EXTRACT, {"period_to": today()}):
		return
	frappe.db.savepoint("demo_extract")
	try:
		register_extract.make_extract(None, today())
	except Exception as error:  # the PDF renderer cannot reach the site: no extract in the demo
		frappe.db.rollback(save_point="demo_extract")
		print(f"Demo register extract not rendered to PDF ({error}).")
