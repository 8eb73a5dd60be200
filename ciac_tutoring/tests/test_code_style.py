"""The house style (pyproject.toml's ruff settings: tabs, double quotes, 110 columns) holds everywhere."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.skipif(not RUFF, reason="ruff is not installed (dev/bench.py installs it in the venv)")
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_finds_nothing(command):
	result = subprocess.run([RUFF, *command, "."], cwd=REPO, capture_output=True, text=True)
	assert result.returncode == 0, result.stdout + result.stderr
