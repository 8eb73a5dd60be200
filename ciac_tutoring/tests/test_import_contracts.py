"""The app's layers hold (pyproject.toml, [tool.importlinter]; docs/data-model.md, "Modules"): DocTypes
and domain code never import the scheduler, the portal or reports; the programme's modules depend
one way; privacy follows the records through hooks. CI fails here when a change bends a layer."""

import subprocess
import sys
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
import tomllib
from importlinter.configuration import configure

from ciac_tutoring.tests.import_contracts import ForbiddenOutsideTests, LayersOutsideTests

REPO = Path(__file__).resolve().parents[2]
configure()  # import-linter's settings (timer, printer), as its command sets them
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_every_import_contract_is_kept():
	lint_imports = Path(sys.executable).parent / "lint-imports"
	result = subprocess.run(
		[lint_imports, "--config", REPO / "pyproject.toml", "--no-cache"],
		cwd=REPO,
		capture_output=True,
		text=True,
	)
	assert result.returncode == 0, result.stdout + result.stderr
	assert f"{len(CONFIG['contracts'])} kept, 0 broken" in result.stdout


@pytest.fixture(scope="module")
def graph():
	return grimp.build_graph("ciac_tutoring")


def contract(name_start: str):
	options = next(c for c in CONFIG["contracts"] if c["name"].startswith(name_start))
	kind = {"forbidden_outside_tests": ForbiddenOutsideTests, "layers_outside_tests": LayersOutsideTests}
	return kind[options["type"]](
		name=options["name"],
		session_options={"root_packages": CONFIG["root_packages"]},
		contract_options={k: v for k, v in options.items() if k not in ("name", "type")},
	)


def bent(graph, importer: str, imported: str):
	copy = deepcopy(graph)
	copy.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
	return copy


@pytest.mark.parametrize(
	("name_start", "importer", "imported"),
	[
		# the save of a contact calls the reminders again (as before issue 24)
		(
			"DocTypes and domain code",
			"ciac_tutoring.monitoring.doctype.contact_log.contact_log",
			"ciac_tutoring.monitoring.reminders",
		),
		("DocTypes and domain code", "ciac_tutoring.pairing.matching", "ciac_tutoring.api.portal"),
		(
			"DocTypes and domain code",
			"ciac_tutoring.activation.doctype.tutor.tutor",
			"ciac_tutoring.activation.report.tutor_pipeline.tutor_pipeline",
		),
		# the settings call the compliance rule again: a circle
		(
			"The programme's modules",
			"ciac_tutoring.tutoring.doctype.tutoring_settings.tutoring_settings",
			"ciac_tutoring.monitoring.compliance",
		),
		(
			"The programme's modules",
			"ciac_tutoring.activation.workflow_gates",
			"ciac_tutoring.pairing.matching",
		),
		(
			"Privacy follows",
			"ciac_tutoring.pairing.doctype.beneficiary.beneficiary",
			"ciac_tutoring.privacy.access",
		),
	],
)
def test_a_bent_layer_breaks_its_contract(graph, name_start, importer, imported):
	assert contract(name_start).check(bent(graph, importer, imported), verbose=False).kept is False
	assert (
		contract(name_start)
		.check(bent(graph, "ciac_tutoring.pairing.doctype.pairing.test_pairing", imported), verbose=False)
		.kept
	)


def test_tests_may_import_across_layers(graph):
	assert (
		contract("DocTypes and domain code")
		.check(
			bent(
				grimp.build_graph("ciac_tutoring"),
				"ciac_tutoring.monitoring.doctype.contact_log.test_contact_log",
				"ciac_tutoring.api.portal",
			),
			verbose=False,
		)
		.kept
	)
