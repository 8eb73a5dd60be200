"""Demo data for `./dev/run`: a programme in full swing, safe to load again and again."""

import frappe

# Dotted paths of idempotent functions, run in order; each area of the app adds its own.
DEMO_STEPS: list[str] = [
	"ciac_tutoring.setup.desk.complete_setup_wizard",  # else the desk sends staff to the wizard
	"ciac_tutoring.setup.demo.load",  # base data first: the other steps build on it
	"ciac_tutoring.workflows.demo.walk_demo_tutors",  # tutors walked through every phase
	"ciac_tutoring.monitoring.demo.load",  # volume from the generator, then the monitoring jobs
	"ciac_tutoring.tutoring.demo_matching_and_closure.load",  # closures, a matching session, an agreement
]


def load_demo_data() -> None:
	frappe.flags.in_demo = True
	for step in DEMO_STEPS:
		frappe.get_attr(step)()
		frappe.db.commit()  # nosemgrep: each step's data is kept even if a later one fails
	print(f"Demo data loaded ({len(DEMO_STEPS)} steps).")
