#!/usr/bin/env python3
"""Build the desk's JS/CSS bundles (Frappe's and this app's) for the development bench.

    python3 dev/build_assets.py            # cached: rebuilds only when the sources change
    python3 dev/build_assets.py --force    # rebuild anyway

Frappe's source carries the desk's sources, not their build: without this every desk page
loads without its JavaScript and CSS. npm installs Frappe's own npm set, at the versions its
yarn.lock resolved (see frappe_npm_set), and the build tools of dev/assets/package.json into
<bench>/node, with its cache in $CIAC_CACHE/npm. dev/assets/build.js then
bundles every `*.bundle.*` under each app's public/ with esbuild into
sites/assets/<app>/dist and writes sites/assets/assets.json and assets-rtl.json.

A fingerprint of the sources (names, sizes and mtimes) is kept in <bench>/.stamps: a warm
run with nothing changed only checks it and that every mapped file exists. A failed build
exits non-zero and keeps the previous bundles and maps. Called by dev/bench.py's build
with the system python3: standard library only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
APP = "ciac_tutoring"
BENCH = Path(os.environ.get("CIAC_BENCH", REPO / ".bench")).resolve()
CACHE = Path(os.environ.get("CIAC_CACHE", Path.home() / ".cache" / "ciac_tutoring")).resolve()
TOOLING = REPO / "dev" / "assets"
NODE_DIR = BENCH / "node"
SITES = BENCH / "sites"
ASSETS = SITES / "assets"
STAMP = BENCH / ".stamps" / "desk-assets"
MIN_NODE_MAJOR = 18
SOURCE_SUFFIXES = (".js", ".ts", ".vue", ".html", ".scss", ".sass", ".css", ".json")
SKIPPED_DIRS = {"dist", "node_modules", "__pycache__", ".git"}


def log(message: str) -> None:
	print(f"[assets] {message}", flush=True)


def fail(message: str) -> None:
	print(f"[assets] ERROR: {message}", file=sys.stderr, flush=True)
	sys.exit(1)


# --- Node and npm -------------------------------------------------------------------------


def node_major() -> int | None:
	node = shutil.which("node")
	if not node:
		return None
	version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
	try:
		return int(version.lstrip("v").split(".")[0])
	except ValueError:
		return None


def ensure_node() -> None:
	major = node_major()
	if major and major >= MIN_NODE_MAJOR and shutil.which("npm"):
		return
	if os.geteuid() == 0 and shutil.which("apt-get"):
		log("installing nodejs and npm with apt-get")
		env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
		subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
		subprocess.run(["apt-get", "install", "-y", "-qq", "nodejs", "npm"], env=env, check=True)
		major = node_major()
	if not (major and major >= MIN_NODE_MAJOR and shutil.which("npm")):
		fail(
			f"the desk's bundles need Node.js {MIN_NODE_MAJOR}+ and npm "
			"(Debian/Ubuntu: `sudo apt-get install nodejs npm`); "
			"or skip them with CIAC_SKIP_ASSETS=1 (the desk then loads without JS/CSS)."
		)


# Frappe's package.json names a few packages by GitHub repository, which a machine without
# GitHub cannot fetch: these registry releases replace them when its yarn.lock gives no version.
REGISTRY_FOR_GITHUB_FORKS = {"air-datepicker": "2.2.3"}


def is_github_spec(spec: str) -> bool:
	return spec.startswith(("github:", "git+", "git:", "https://github.com")) or (
		"/" in spec and not spec.startswith(("@", ".", "file:", "npm:"))
	)


def yarn_lock_versions(yarn_lock: Path) -> dict[str, str]:
	"""`{"vue@^3.3.0": "3.3.9", ...}` from a yarn v1 lock file: what Frappe's own build resolved."""
	versions, specs = {}, []
	if not yarn_lock.exists():
		return versions
	for line in yarn_lock.read_text().splitlines():
		if line and not line.startswith((" ", "#")) and line.endswith(":"):
			specs = [spec.strip().strip('"') for spec in line[:-1].split(",")]
		elif line.startswith("  version ") and specs:
			version = line.split(None, 1)[1].strip('"')
			versions.update(dict.fromkeys(specs, version))
			specs = []
	return versions


def frappe_npm_set(frappe: Path) -> dict:
	"""The package.json to install for a Frappe source that has its own (a release or a checkout):
	its dependencies at the versions its yarn.lock resolved (GitHub-hosted ones from the registry),
	plus the build tools of dev/assets/package.json it does not declare (the Vue SFC compiler)."""
	declared = json.loads((frappe / "package.json").read_text()).get("dependencies", {})
	locked = yarn_lock_versions(frappe / "yarn.lock")
	locked_by_name: dict[str, set[str]] = {}
	for spec, version in locked.items():
		locked_by_name.setdefault(spec.rsplit("@", 1)[0], set()).add(version)
	dependencies = {}
	for name, spec in declared.items():
		version = locked.get(f"{name}@{spec}")
		if is_github_spec(spec):
			version = version or REGISTRY_FOR_GITHUB_FORKS.get(name)
			if not version:
				fail(f"{name} comes from GitHub ({spec}) and has no registry version in dev/build_assets.py")
		dependencies[name] = version or spec
	for name, spec in json.loads((TOOLING / "package.json").read_text())["dependencies"].items():
		if name not in dependencies:
			versions = locked_by_name.get(name, set())
			dependencies[name] = versions.pop() if len(versions) == 1 else spec
	return {
		"name": "ciac-tutoring-desk-assets",
		"private": True,
		"description": f"generated by dev/build_assets.py from {frappe / 'package.json'}",
		"dependencies": dict(sorted(dependencies.items())),
	}


def npm_set() -> dict[str, str]:
	"""What to put in <bench>/node: Frappe's own npm set, from its package.json."""
	frappe = BENCH / "apps" / "frappe"
	if not (frappe / "package.json").exists():
		fail(
			f"{frappe} has no package.json: FRAPPE_PATH must name a Frappe v15 source (a release or a checkout)"
		)
	return {"package.json": json.dumps(frappe_npm_set(frappe), indent=2) + "\n"}


def lockfile_digest() -> str:
	digest = hashlib.sha1(json.dumps(npm_set(), sort_keys=True).encode())
	digest.update(str(node_major()).encode())
	return digest.hexdigest()


def ensure_node_modules() -> None:
	"""`npm install` of Frappe's own set (exact versions), once per change of it."""
	stamp = NODE_DIR / ".installed-from"
	wanted = lockfile_digest()
	if (NODE_DIR / "node_modules").is_dir() and stamp.exists() and stamp.read_text() == wanted:
		return
	files = npm_set()
	log("installing the npm packages of Frappe's package.json (a minute or two with a warm cache)")
	NODE_DIR.mkdir(parents=True, exist_ok=True)
	(NODE_DIR / "package-lock.json").unlink(missing_ok=True)
	for name, text in files.items():
		(NODE_DIR / name).write_text(text)
	started = time.time()
	npm_command = ["npm", "install", "--prefer-offline"]
	result = subprocess.run(
		[*npm_command, "--no-audit", "--no-fund", "--loglevel=error", "--cache", str(CACHE / "npm")],
		cwd=NODE_DIR,
	)
	if result.returncode:
		fail(f"{' '.join(npm_command)} failed (exit {result.returncode}) in {NODE_DIR}")
	stamp.write_text(wanted)
	log(f"npm packages installed in {time.time() - started:.0f} s")


# --- what to build, and whether it is built -----------------------------------------------


def bench_apps() -> list[str]:
	apps_txt = SITES / "apps.txt"
	names = apps_txt.read_text().split() if apps_txt.exists() else ["frappe", APP]
	return [app for app in names if (BENCH / "apps" / app / app).is_dir()]


def has_bundles(public: Path) -> bool:
	for _folder, dirs, files in os.walk(public):
		dirs[:] = [d for d in dirs if d not in SKIPPED_DIRS]
		if any(".bundle." in name for name in files):
			return True
	return False


def source_roots(apps: list[str]) -> list[Path]:
	"""Frappe's whole package (bundles import templates and styles outside public/), the
	public/ of each other app that has bundles (an app's plain doctype_js files are served as
	they are: editing them rebuilds nothing), and the build tooling itself."""
	roots = []
	for app in apps:
		package = (BENCH / "apps" / app / app).resolve()
		if app == "frappe":
			roots.append(package)
		elif has_bundles(package / "public"):
			roots.append(package / "public")
	return [*roots, TOOLING]


def sources_fingerprint(apps: list[str]) -> str:
	digest = hashlib.sha1(json.dumps([apps, lockfile_digest()]).encode())
	for root in source_roots(apps):
		for folder, dirs, files in os.walk(root):
			dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
			for name in sorted(files):
				if name.endswith(SOURCE_SUFFIXES):
					stat = os.stat(os.path.join(folder, name))
					digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
	return digest.hexdigest()


def built_files_present() -> bool:
	"""assets.json maps every bundle to a file that exists (the dist folders live inside the
	apps, so recopying Frappe into the bench removes them)."""
	try:
		assets = json.loads((ASSETS / "assets.json").read_text())
		rtl = json.loads((ASSETS / "assets-rtl.json").read_text())
	except (OSError, ValueError):
		return False
	if "desk.bundle.js" not in assets or "rtl_desk.bundle.css" not in rtl:
		return False
	return all((SITES / url.lstrip("/")).is_file() for url in [*assets.values(), *rtl.values()])


def up_to_date(fingerprint: str) -> bool:
	return STAMP.exists() and STAMP.read_text() == fingerprint and built_files_present()


# --- building -------------------------------------------------------------------------------


def run_build(apps: list[str]) -> None:
	tmp = NODE_DIR / "tmp"  # the PostCSS plugin's compiled SCSS; cleared on every build
	shutil.rmtree(tmp, ignore_errors=True)
	tmp.mkdir(parents=True)
	env = {**os.environ, "NODE_PATH": str(NODE_DIR / "node_modules"), "TMPDIR": str(tmp)}
	command = ["node", str(TOOLING / "build.js"), "--bench", str(BENCH), "--apps", ",".join(apps)]
	result = subprocess.run(command, env=env)
	shutil.rmtree(tmp, ignore_errors=True)
	if result.returncode:
		fail(f"the desk's bundles did not build (exit {result.returncode}); the previous ones are kept")


def link_node_modules() -> None:
	"""The desk loads a few libraries unbundled from /assets/frappe/node_modules (ace, the code
	editor of Code fields): link it to the npm packages, as `bench build` links the app's."""
	link = BENCH / "apps" / "frappe" / "frappe" / "public" / "node_modules"
	if not link.is_symlink():
		if link.exists():
			shutil.rmtree(link)
		link.symlink_to(NODE_DIR / "node_modules", target_is_directory=True)


def forget_cached_manifest() -> None:
	"""Frappe caches assets.json in Redis (key `assets_json`, shared by all sites) outside
	developer mode: drop it, as Frappe's own build does, so servers see the new bundles."""
	try:
		config = json.loads((SITES / "common_site_config.json").read_text())
		url = urlparse(config["redis_cache"])
	except (OSError, ValueError, KeyError):
		return
	db = (url.path or "/0").lstrip("/") or "0"
	command = f"*2\r\n$6\r\nSELECT\r\n${len(db)}\r\n{db}\r\n*2\r\n$3\r\nDEL\r\n$11\r\nassets_json\r\n"
	try:
		with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=3) as redis:
			redis.sendall(command.encode())
			redis.recv(1024)
	except OSError:
		log("Redis did not answer: a running server may serve the old bundle names until its cache expires")


def main() -> None:
	force = "--force" in sys.argv[1:]
	apps = bench_apps()
	if "frappe" not in apps:
		fail(f"no Frappe in {BENCH / 'apps'}: build the bench first (python3 dev/bench.py build)")
	link_node_modules()
	if not force and up_to_date(sources_fingerprint(apps)):
		return
	ensure_node()
	NODE_DIR.mkdir(parents=True, exist_ok=True)
	# Several engineers' test runs may start at once on one bench: one build at a time.
	with open(NODE_DIR / ".build.lock", "w") as lock:
		fcntl.flock(lock, fcntl.LOCK_EX)
		ensure_node_modules()
		fingerprint = sources_fingerprint(apps)
		if not force and up_to_date(fingerprint):
			return
		log("building the desk's bundles with esbuild (about half a minute)")
		run_build(apps)
		if not built_files_present():
			fail("the build finished but assets.json does not map every bundle to a file")
		STAMP.parent.mkdir(parents=True, exist_ok=True)
		STAMP.write_text(fingerprint)
		forget_cached_manifest()


if __name__ == "__main__":
	main()
