"""`bench --site SITE run-tests --app ciac_tutoring` runs the whole non-browser suite.

Frappe's runner (unittest) sees only TestCase classes, while most of this suite is plain pytest
functions and fixtures. So for Frappe's runner this module holds one TestCase that runs pytest
in-process, on the site the runner has already connected (`pytest_plugin` reuses that
connection), with `-m "not browser"`. Under pytest itself it skips: pytest runs the suite
directly. Needs pytest in the bench's venv (`bench setup requirements --dev` installs the
`[tool.bench.dev-dependencies]` of pyproject.toml). Extra pytest arguments may be given in
$CIAC_PYTEST_ARGS, e.g. `-x -k portal`.
"""

import os
import shlex
import unittest
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parents[2]


class TestPytestSuite(unittest.TestCase):
	def test_the_pytest_suite_passes(self):
		if os.environ.get("PYTEST_CURRENT_TEST"):
			self.skipTest("pytest runs the suite itself")
		import pytest

		arguments = [
			f"--rootdir={APP_ROOT}",
			f"--config-file={APP_ROOT / 'pyproject.toml'}",
			"-p",
			"no:cacheprovider",
			"-m",
			"not browser",
			"-q",
			*shlex.split(os.environ.get("CIAC_PYTEST_ARGS", "")),
			str(APP_ROOT / "ciac_tutoring"),
		]
		exit_code = pytest.main(arguments)
		self.assertEqual(exit_code, pytest.ExitCode.OK, f"pytest {' '.join(arguments)} failed")
