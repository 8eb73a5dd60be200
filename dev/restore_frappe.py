"""Restore Frappe v15 (develop, 5 Aug 2023) from PyPI's `criscostack==1.0.0`.

The wheel is Frappe renamed mechanically and case-sensitively; the mapping below
reverses it (see ../shared/FRAPPE_OFFLINE.md). The result is a source tree with a
`pyproject.toml`, installable with `pip install -e`.
"""

import os
import shutil
import sys
import zipfile
from pathlib import Path

WHEEL_NAME = "criscostack-1.0.0-py3-none-any.whl"

# Longest, most specific forms first so that "Criscoerp" is not caught by "Crisco".
RENAMES = [
	("criscoerp", "erpnext"),
	("Criscoerp", "ERPNext"),
	("criscostack", "frappe"),
	("CRISCOSTACK", "FRAPPE"),
	("Crisco", "Frappe"),
]
FILE_RENAMES = {"utils/brik_helper.py": "utils/bench_helper.py"}


def unrename(text: str) -> str:
	for old, new in RENAMES:
		text = text.replace(old, new)
	return text


def restore(wheel: Path, target: Path) -> None:
	"""Write the restored source tree to `target` (a folder that will hold `frappe/`)."""
	staging = target.with_name(target.name + ".partial")
	shutil.rmtree(staging, ignore_errors=True)
	staging.mkdir(parents=True)
	requirements = []
	with zipfile.ZipFile(wheel) as archive:
		for info in archive.infolist():
			if info.is_dir():
				continue
			if ".dist-info/" in info.filename:
				if info.filename.endswith("/METADATA"):
					metadata = archive.read(info).decode()
					requirements = [
						line.split(":", 1)[1].strip()
						for line in metadata.splitlines()
						if line.startswith("Requires-Dist:")
					]
				continue
			relative = unrename(info.filename)
			inner = relative.split("/", 1)[1] if "/" in relative else relative
			if inner in FILE_RENAMES:
				relative = "frappe/" + FILE_RENAMES[inner]
			data = archive.read(info)
			try:
				data = unrename(data.decode("utf-8")).encode("utf-8")
			except UnicodeDecodeError:
				pass  # binary (images, fonts): content untouched, only the name is restored
			destination = staging / relative
			destination.parent.mkdir(parents=True, exist_ok=True)
			destination.write_bytes(data)
	(staging / "pyproject.toml").write_text(pyproject(requirements))
	shutil.rmtree(target, ignore_errors=True)
	os.replace(staging, target)


def pyproject(requirements: list[str]) -> str:
	dependencies = "\n".join(f'\t"{requirement}",' for requirement in requirements)
	return f"""[project]
name = "frappe"
authors = [{{ name = "Frappe Technologies Pvt Ltd", email = "developers@frappe.io" }}]
description = "Metadata driven, full-stack low code web framework (restored from criscostack 1.0.0)"
requires-python = ">=3.10"
dynamic = ["version"]
dependencies = [
{dependencies}
]

[build-system]
requires = ["flit_core >=3.4,<4"]
build-backend = "flit_core.buildapi"
"""


if __name__ == "__main__":
	restore(Path(sys.argv[1]), Path(sys.argv[2]))
