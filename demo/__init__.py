"""Demo data for `./dev/run`, and the bulk data generator and statement counter of the tests and
benchmarks: development tools, kept out of the installed app (`ciac_tutoring`).

`load_demo_data` builds a programme in full swing, safe to load again and again; `./dev/run`
calls it as `python -m demo SITE` from the bench's sites folder (`bench execute` runs only the
code of installed apps)."""

import importlib

import frappe

# Dotted paths of idempotent functions, run in order; each area of the app adds its own.
DEMO_STEPS: list[str] = [
	"ciac_tutoring.setup.desk.complete_setup_wizard",  # else the desk sends staff to the wizard
	"ciac_tutoring.setup.desk.use_the_countrys_formats",  # Italy's dates, numbers and euro, as CIAC's
	"demo.bench_services.configure_outgoing_email",  # `./dev/run`'s mail sink, the scheduler on
	"demo.base.load",  # base data first: the other steps build on it
	"demo.workflow.walk_demo_tutors",  # tutors walked through every phase
	"demo.monitoring.load",  # volume from the generator, then the monitoring jobs
	"demo.supervision.load",  # a held group supervision meeting with who came, and an upcoming one
	"demo.matching_and_closure.load",  # closures, a matching session, a signed agreement
	"demo.third_sector.load",  # the volunteers' register, insurance, expense claims, a certificate
	"demo.beneficiary_voice.load",  # check-in links by SMS to the local gateway, answers from several
]


def load_demo_data() -> None:
	for step in DEMO_STEPS:
		module, function = step.rsplit(".", 1)
		getattr(importlib.import_module(module), function)()
		frappe.db.commit()  # nosemgrep: each step's data is kept even if a later one fails
	print(f"Demo data loaded ({len(DEMO_STEPS)} steps).")
