"""Install, migrate and test-setup entry points (registered in hooks.py).

Each step is an idempotent function: it creates what is missing and leaves what an
admin changed alone, so the same steps serve a fresh install, `migrate` and patches.
"""

import click
import frappe

# Dotted paths, run in order on install.
AFTER_INSTALL_STEPS: list[str] = [
	"ciac_tutoring.setup.roles.create_roles",
	# Once (and by a patch on sites installed before): a right an admin removed stays removed.
	"ciac_tutoring.setup.roles.grant_customising_rights",
	"ciac_tutoring.setup.masters.seed_masters",
	"ciac_tutoring.setup.masters.seed_settings",
	# Created only if missing and never from after_migrate: admins edit them in the desk.
	"ciac_tutoring.activation.workflows.install.install_tutor_activation_workflow",
	"ciac_tutoring.activation.workflows.install.install_notifications",
	"ciac_tutoring.monitoring.email_templates.ensure_email_templates",
	"ciac_tutoring.privacy.notices.ensure_privacy_notices",
	"ciac_tutoring.setup.desk.name_the_site",
	"ciac_tutoring.third_sector.install.install_expense_workflow",
	# Only while the table is empty: admins edit the questions in Beneficiary Voice Settings.
	"ciac_tutoring.beneficiary_voice.health.ensure_default_questions",
]

# Dotted paths, run after every `migrate` (they must never overwrite an admin's edits).
# Masters are seeded on install only (new ones ship as patches): a master an admin deleted must
# not come back on the next migrate.
AFTER_MIGRATE_STEPS: list[str] = [
	"ciac_tutoring.setup.roles.create_roles",
	"ciac_tutoring.setup.masters.seed_settings",
	# Creates only the missing templates: admins' edits survive.
	"ciac_tutoring.monitoring.email_templates.ensure_email_templates",
	"ciac_tutoring.setup.desk.name_the_site",
	"ciac_tutoring.beneficiary_voice.health.ensure_default_questions",
]


def after_install() -> None:
	try:
		_run_steps(AFTER_INSTALL_STEPS)
	except Exception:
		click.secho(
			"Installing CIAC Tutoring failed; the error follows. Re-run install-app once fixed.", fg="red"
		)
		raise


def after_migrate() -> None:
	_run_steps(AFTER_MIGRATE_STEPS)


def before_tests() -> None:
	"""Seed data every test may rely on (the install steps are idempotent)."""
	# The tests build their own records. Without this, `bench run-tests --app ciac_tutoring`
	# first commits Frappe's generic test records of every linked DocType, its test Users among
	# them, whose welcome mails fail on a site without an outgoing email account.
	frappe.flags.skip_test_records = True
	_run_steps(AFTER_INSTALL_STEPS)
	frappe.db.commit()  # nosemgrep: the test run starts from this state


def _run_steps(steps: list[str]) -> None:
	for step in steps:
		frappe.get_attr(step)()
