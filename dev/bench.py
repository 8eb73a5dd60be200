#!/usr/bin/env python3
"""Build and drive a development bench for ciac_tutoring, without the `bench` CLI.

    python3 dev/bench.py build [--site SITE]   # idempotent: a second run takes seconds
    python3 dev/bench.py run                   # build, demo data, serve on :8000
    python3 dev/bench.py test [PYTEST ARGS]    # build the test site, run pytest
    python3 dev/bench.py frappe ARGS...        # any `bench frappe` command on the bench

The bench (`.bench/`, git-ignored, or $CIAC_BENCH) runs released Frappe v15, taken from the
first of: $FRAPPE_PATH (a Frappe v15 checkout, or a .tar.gz of one), ../shared/frappe-v15.55.1.tar.gz
beside this repository, or a shallow clone of Frappe's `v15.55.1` tag from its public repository.
Downloads and unpacked sources are cached in $CIAC_CACHE (default ~/.cache/ciac_tutoring).
See docs/runtimes.md.

Only the standard library is used here: this script runs before any venv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
APP = "ciac_tutoring"
FRAPPE_TAG = "v15.55.1"
FRAPPE_TARBALL = REPO.parent / "shared" / f"frappe-{FRAPPE_TAG}.tar.gz"
FRAPPE_REPOSITORY = "https://github.com/frappe/frappe"
BENCH = Path(os.environ.get("CIAC_BENCH") or REPO / ".bench").resolve()
# dev/build_assets.py, the tests and Frappe commands started from here find the bench by it.
os.environ["CIAC_BENCH"] = str(BENCH)
CACHE = Path(os.environ.get("CIAC_CACHE", Path.home() / ".cache" / "ciac_tutoring")).resolve()
PYTHON = os.environ.get("CIAC_PYTHON", "python3.11" if shutil.which("python3.11") else sys.executable)

# setuptools 81 drops pkg_resources, which google-api-python-client 2.2 imports
# (../shared/FRAPPE_OFFLINE.md); Frappe's test-only deps are not in its package metadata.
VENV_PINS = ["setuptools<81", "wheel"]
FRAPPE_TEST_DEPS = ["Faker~=18.10.1", "hypothesis~=6.77.0", "responses==0.23.1", "freezegun~=1.2.2"]
# requests comes pinned with Frappe; naming it again trips pip's resolver on a local index.
# aiosmtpd: the local mail sink (demo/mail_sink.py) of ./dev/run and the email tests.
# pytest-xdist: the suite on two test sites side by side (CIAC_TEST_WORKERS).
DEV_DEPS = ["pytest~=8.3", "pytest-xdist~=3.6", "playwright~=1.48", "ruff==0.17.6", "aiosmtpd~=1.4"]


def pyproject_dev_dependencies() -> list[str]:
	"""The app's `[tool.bench.dev-dependencies]` (what bench installs in developer mode; e.g.
	import-linter, whose contracts a test checks), beside DEV_DEPS."""
	try:
		import tomllib
	except ImportError:  # Python < 3.11: DEV_DEPS only
		return []
	table = tomllib.loads((REPO / "pyproject.toml").read_text()).get("tool", {}).get("bench", {})
	ours = {dep.split("~")[0].split("=")[0].lower() for dep in DEV_DEPS}
	return [
		f"{name}{spec}"
		for name, spec in table.get("dev-dependencies", {}).items()
		if name.lower() not in ours
	]


DB_HOST = os.environ.get("DB_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("DB_PORT", "3306"))
DB_ROOT_USER = os.environ.get("DB_ROOT_USER", "ciac_admin")
DB_ROOT_PASSWORD = os.environ.get("DB_ROOT_PASSWORD", "ciac_admin")


def bench_redis_port() -> int:
	"""A port of this bench's own, derived from its path: Frappe keeps some keys without a site
	prefix (`assets_json`, the bundle map), so two benches on one Redis serve each other's
	cache. dev/bench.py starts a redis-server there when none answers."""
	return 13000 + int(hashlib.sha1(str(BENCH).encode()).hexdigest(), 16) % 2000


REDIS_URL = (os.environ.get("REDIS_URL") or f"redis://127.0.0.1:{bench_redis_port()}").rstrip("/")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "admin")
DEMO_SITE = os.environ.get("CIAC_SITE", "ciac.localhost")
TEST_SITE = os.environ.get("CIAC_TEST_SITE", "test.localhost")

SITES = BENCH / "sites"
ENV_PYTHON = BENCH / "env" / "bin" / "python"


def log(message: str) -> None:
	print(f"[bench] {message}", flush=True)


def fail(message: str) -> None:
	print(f"[bench] ERROR: {message}", file=sys.stderr, flush=True)
	sys.exit(1)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
	return subprocess.run([str(part) for part in command], check=True, **kwargs)


def fingerprint(*paths: Path, patterns=("**/*",)) -> str:
	"""A hash of file names and mtimes: cheap, and changes whenever a file does."""
	digest = hashlib.sha1()
	for root in paths:
		for pattern in patterns:
			for path in sorted(root.glob(pattern)):
				if path.is_file() and "__pycache__" not in path.parts:
					digest.update(f"{path}:{path.stat().st_mtime_ns}".encode())
	return digest.hexdigest()


def stamp_matches(name: str, value: str) -> bool:
	stamp = BENCH / ".stamps" / name
	return stamp.exists() and stamp.read_text() == value


def write_stamp(name: str, value: str) -> None:
	stamp = BENCH / ".stamps" / name
	stamp.parent.mkdir(parents=True, exist_ok=True)
	stamp.write_text(value)


# --- services --------------------------------------------------------------------------


def port_open(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=2):
			return True
	except OSError:
		return False


def is_loopback(host: str) -> bool:
	return host in ("127.0.0.1", "localhost", "::1")


def can_install_packages() -> bool:
	return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(*packages: str) -> None:
	env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
	missing = [p for p in packages if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode]
	if not missing:
		return
	log(f"installing {' '.join(missing)} with apt-get")
	run(["apt-get", "update", "-qq"], env=env)
	run(["apt-get", "install", "-y", "-qq", *missing], env=env)


def wait_for_port(host: str, port: int, seconds: int = 30) -> bool:
	deadline = time.time() + seconds
	while time.time() < deadline:
		if port_open(host, port):
			return True
		time.sleep(0.5)
	return False


def ensure_mariadb() -> None:
	if port_open(DB_HOST, DB_PORT):
		return
	if not is_loopback(DB_HOST):
		fail(f"MariaDB does not answer at {DB_HOST}:{DB_PORT}. Start it, or set DB_HOST/DB_PORT.")
	if not can_install_packages():
		fail(
			f"MariaDB does not answer at {DB_HOST}:{DB_PORT}. Install MariaDB 10.6+ "
			"(Debian/Ubuntu: `sudo apt-get install mariadb-server`), start it, "
			"or point DB_HOST/DB_PORT/DB_ROOT_USER/DB_ROOT_PASSWORD at one."
		)
	apt_install("mariadb-server", "mariadb-client")
	subprocess.run(
		["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"]
	)
	if not wait_for_port(DB_HOST, DB_PORT):
		fail("MariaDB was installed but did not start; see /var/log/mysql.")


def ensure_redis() -> None:
	parsed = urlparse(REDIS_URL)
	host, port = parsed.hostname or "127.0.0.1", parsed.port or 6379
	if port_open(host, port):
		return
	if not is_loopback(host):
		fail(f"Redis does not answer at {host}:{port}. Start it, or set REDIS_URL.")
	if not shutil.which("redis-server"):
		if not can_install_packages():
			fail(
				f"Redis does not answer at {host}:{port}. Install Redis 6+ "
				"(Debian/Ubuntu: `sudo apt-get install redis-server`), or set REDIS_URL to a running one."
			)
		apt_install("redis-server")
	log(f"starting redis-server on port {port} for this bench")
	(BENCH / "config" / "pids").mkdir(parents=True, exist_ok=True)
	run(
		[
			"redis-server",
			"--daemonize",
			"yes",
			"--bind",
			host if host != "localhost" else "127.0.0.1",
			"--port",
			str(port),
			"--save",
			"",
			"--appendonly",
			"no",
			"--dir",
			BENCH / "config",
			"--pidfile",
			BENCH / "config" / "pids" / f"redis-{port}.pid",
			"--logfile",
			BENCH / "logs" / f"redis-{port}.log",
		]
	)
	if not wait_for_port(host, port):
		fail("Redis was installed but did not start.")


def mysql_as_root(sql: str) -> bool:
	"""Run SQL through the local root socket account, if this user may; True on success."""
	client = shutil.which("mariadb") or shutil.which("mysql")
	if not client or not is_loopback(DB_HOST):
		return False
	result = subprocess.run([client, "-uroot", "-e", sql], capture_output=True, text=True)
	return result.returncode == 0


def admin_account_works() -> bool:
	client = shutil.which("mariadb") or shutil.which("mysql")
	if not client:
		return True  # nothing to check with; new-site will tell
	result = subprocess.run(
		[
			client,
			f"-h{DB_HOST}",
			f"-P{DB_PORT}",
			f"-u{DB_ROOT_USER}",
			f"-p{DB_ROOT_PASSWORD}",
			"-N",
			"-e",
			"SELECT @@collation_server",
		],
		capture_output=True,
		text=True,
	)
	return result.returncode == 0 and result.stdout.strip() == "utf8mb4_unicode_ci"


def prepare_mariadb() -> None:
	"""Frappe wants utf8mb4_unicode_ci and an admin account with a password."""
	if admin_account_works():
		return
	user, password = DB_ROOT_USER, DB_ROOT_PASSWORD.replace("'", "''")
	statements = [
		"SET GLOBAL character_set_server='utf8mb4'",
		"SET GLOBAL collation_server='utf8mb4_unicode_ci'",
	]
	for host in ("localhost", "127.0.0.1", "%"):
		statements += [
			f"CREATE USER IF NOT EXISTS '{user}'@'{host}' IDENTIFIED BY '{password}'",
			f"ALTER USER '{user}'@'{host}' IDENTIFIED BY '{password}'",
			f"GRANT ALL PRIVILEGES ON *.* TO '{user}'@'{host}' WITH GRANT OPTION",
		]
	if mysql_as_root("; ".join(statements) + "; FLUSH PRIVILEGES;"):
		persist_collation()
	if not admin_account_works():
		fail(
			f"MariaDB at {DB_HOST}:{DB_PORT} needs collation_server=utf8mb4_unicode_ci and an admin "
			f"account '{DB_ROOT_USER}' (set DB_ROOT_USER/DB_ROOT_PASSWORD) with ALL PRIVILEGES "
			"WITH GRANT OPTION. As MariaDB's root: SET GLOBAL collation_server='utf8mb4_unicode_ci'; "
			"CREATE USER ...; GRANT ALL PRIVILEGES ON *.* TO ... WITH GRANT OPTION;"
		)


def persist_collation() -> None:
	"""Keep the collation across MariaDB restarts where the config folder is ours to write."""
	conf_dir = Path("/etc/mysql/mariadb.conf.d")
	if conf_dir.is_dir() and os.access(conf_dir, os.W_OK):
		(conf_dir / "99-frappe.cnf").write_text(
			"[mysqld]\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n"
		)


# --- Frappe and the venv ----------------------------------------------------------------


def frappe_source() -> Path:
	"""A folder holding `frappe/` and `pyproject.toml`: FRAPPE_PATH, the shared tarball unpacked,
	or a shallow clone of Frappe's release tag."""
	frappe_path = os.environ.get("FRAPPE_PATH")
	if not frappe_path and FRAPPE_TARBALL.is_file():
		frappe_path = str(FRAPPE_TARBALL)
	if not frappe_path:
		return cloned_release()
	path = Path(frappe_path).resolve()
	if not path.exists():
		fail(f"FRAPPE_PATH={frappe_path} does not exist")
	if path.is_file() and path.name.endswith((".tar.gz", ".tgz")):
		path = unpacked_tarball(path)
	if (path / "frappe" / "__init__.py").exists() and (path / "pyproject.toml").exists():
		return path
	fail(f"{frappe_path} is not a Frappe checkout (no frappe/__init__.py and pyproject.toml).")


def cloned_release() -> Path:
	"""Frappe's release tag, cloned once into the cache (where no tarball is beside the repo)."""
	target = CACHE / "frappe-sources" / f"frappe-{FRAPPE_TAG}-git"
	if (target / "frappe" / "__init__.py").exists():
		return target
	if not shutil.which("git"):
		fail(f"git is needed to fetch Frappe {FRAPPE_TAG}; or set FRAPPE_PATH to a Frappe v15 source")
	log(f"cloning Frappe {FRAPPE_TAG} from {FRAPPE_REPOSITORY} (shallow)")
	staging = target.with_name(target.name + ".partial")
	shutil.rmtree(staging, ignore_errors=True)
	staging.parent.mkdir(parents=True, exist_ok=True)
	run(["git", "clone", "--quiet", "--depth", "1", "--branch", FRAPPE_TAG, FRAPPE_REPOSITORY, staging])
	shutil.rmtree(target, ignore_errors=True)
	staging.rename(target)
	return target


def unpacked_tarball(tarball: Path) -> Path:
	"""Unpack a Frappe source tarball (e.g. ../shared/frappe-v15.55.1.tar.gz, whose top folder
	is `frappe/`) once into the cache; the tarball itself is never changed."""
	stat = tarball.stat()
	key = f"{tarball}:{stat.st_size}:{stat.st_mtime_ns}"
	target = (
		CACHE / "frappe-sources" / tarball.name.removesuffix(".gz").removesuffix(".tar").removesuffix(".tgz")
	)
	marker = target / ".unpacked-from"
	if not (marker.exists() and marker.read_text() == key):
		log(f"unpacking {tarball}")
		staging = target.with_name(target.name + ".partial")
		shutil.rmtree(staging, ignore_errors=True)
		staging.mkdir(parents=True)
		with tarfile.open(tarball) as archive:
			# The "data" filter (Python 3.11.4+) refuses links and paths out of the folder.
			safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
			archive.extractall(staging, **safe)
		shutil.rmtree(target, ignore_errors=True)
		staging.rename(target)
		marker.write_text(key)
	for candidate in (target, *sorted(target.iterdir())):
		if (candidate / "frappe" / "__init__.py").exists():
			return candidate
	fail(f"{tarball} holds no Frappe source (no frappe/__init__.py in it or its top folder)")


# Frappe's pyproject.toml pins a few packages from GitHub forks, which a machine without GitHub
# cannot fetch; these PyPI releases are what v15 pinned before switching to each fork.
PYPI_FOR_GITHUB_FORKS = {"gunicorn": "gunicorn~=22.0.0", "pypika": "PyPika==0.48.9"}


def use_pypi_for_github_forks(pyproject: Path) -> None:
	"""Rewrite `name @ git+https://github.com/...` dependencies in the bench's copy of Frappe."""
	lines = pyproject.read_text().splitlines(keepends=True)
	for index, line in enumerate(lines):
		stripped = line.strip()
		if not (stripped.startswith('"') and " @ " in stripped and "github.com" in stripped):
			continue
		name = stripped.strip('",').split(" @ ")[0].strip().split("[")[0]
		substitute = PYPI_FOR_GITHUB_FORKS.get(name.lower())
		if not substitute:
			fail(f"{pyproject}: {name} comes from GitHub and has no PyPI substitute in dev/bench.py")
		indent = line[: len(line) - len(line.lstrip())]
		lines[index] = f'{indent}"{substitute}",  # PyPI for the GitHub fork (dev/bench.py)\n'
		log(f"Frappe's {name} from GitHub replaced by {substitute} from PyPI")
	pyproject.write_text("".join(lines))


def ensure_frappe_app() -> None:
	"""Frappe must physically live at <bench>/apps/frappe (get_bench_path resolves from it)."""
	source = frappe_source()
	target = BENCH / "apps" / "frappe"
	version = f"{source}:{fingerprint(source, patterns=('pyproject.toml', 'frappe/__init__.py'))}"
	if target.exists() and stamp_matches("frappe-source", version):
		return
	log(f"copying Frappe from {source}")
	shutil.rmtree(target, ignore_errors=True)
	target.parent.mkdir(parents=True, exist_ok=True)
	shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".git", "node_modules"))
	use_pypi_for_github_forks(target / "pyproject.toml")
	write_stamp("frappe-source", version)
	(BENCH / ".stamps" / "venv").unlink(missing_ok=True)


def ensure_app_link() -> None:
	link = BENCH / "apps" / APP
	if link.is_symlink() and link.resolve() == REPO:
		return
	if link.is_symlink() or link.exists():
		link.unlink() if link.is_symlink() else shutil.rmtree(link)
	link.symlink_to(REPO, target_is_directory=True)


def ensure_venv() -> None:
	requirements = [*VENV_PINS, *FRAPPE_TEST_DEPS, *DEV_DEPS, *pyproject_dev_dependencies()]
	wanted = hashlib.sha1(
		json.dumps([requirements, fingerprint(REPO, patterns=("pyproject.toml",))]).encode()
	).hexdigest()
	if ENV_PYTHON.exists() and stamp_matches("venv", wanted):
		return
	if not ENV_PYTHON.exists():
		log("creating the venv")
		run([PYTHON, "-m", "venv", BENCH / "env"])
	log("installing Frappe, the app and the test tools into the venv (about a minute with a warm cache)")
	pip = [ENV_PYTHON, "-m", "pip", "--disable-pip-version-check", "-q"]
	env = {**os.environ, "PIP_CACHE_DIR": str(CACHE / "pip")}
	run([*pip, "install", *VENV_PINS], env=env)
	run(
		[*pip, "install", "-e", BENCH / "apps" / "frappe", "-e", REPO, *requirements[len(VENV_PINS) :]],
		env=env,
	)
	write_stamp("venv", wanted)


# --- sites --------------------------------------------------------------------------------


def redis_url(db: int) -> str:
	return f"{REDIS_URL}/{db}"


def ensure_bench_config() -> None:
	SITES.mkdir(parents=True, exist_ok=True)
	(BENCH / "logs").mkdir(exist_ok=True)
	(BENCH / "config" / "pids").mkdir(parents=True, exist_ok=True)
	(SITES / "apps.txt").write_text(f"frappe\n{APP}\n")
	config_path = SITES / "common_site_config.json"
	config = json.loads(config_path.read_text()) if config_path.exists() else {}
	config.update(
		{
			"db_host": DB_HOST,
			"db_port": DB_PORT,
			"redis_cache": redis_url(int(os.environ.get("REDIS_CACHE_DB", "1"))),
			"redis_queue": redis_url(int(os.environ.get("REDIS_QUEUE_DB", "2"))),
			"redis_socketio": redis_url(int(os.environ.get("REDIS_SOCKETIO_DB", "3"))),
			"webserver_port": 8000,
			"serve_default_site": True,
			"live_reload": False,
		}
	)
	config_path.write_text(json.dumps(config, indent=1, sort_keys=True))
	assets = SITES / "assets"
	assets.mkdir(exist_ok=True)
	for app, public in (("frappe", BENCH / "apps/frappe/frappe/public"), (APP, REPO / APP / "public")):
		link = assets / app
		if not link.is_symlink():
			shutil.rmtree(link, ignore_errors=True)
			link.symlink_to(public, target_is_directory=True)
	# Without assets.json every desk and www page answers 500. The desk bundles are built
	# by dev/build_assets (issue 8); until then an empty map keeps the server pages alive.
	for manifest in ("assets.json", "assets-rtl.json"):
		if not (assets / manifest).exists():
			(assets / manifest).write_text("{}")


def bench_frappe(*args: str, site: str | None = None, check: bool = True, **kwargs):
	command = [ENV_PYTHON, "-m", "frappe.utils.bench_helper", "frappe"]
	if site:
		command += ["--site", site]
	return subprocess.run([str(a) for a in [*command, *args]], cwd=SITES, check=check, **kwargs)


def db_name_for(site: str) -> str:
	"""Readable, and distinct per bench folder so two checkouts never share a database."""
	bench_id = hashlib.sha1(str(BENCH).encode()).hexdigest()[:6]
	return f"ciac_{''.join(ch if ch.isalnum() else '_' for ch in site)[:40]}_{bench_id}"


def app_fingerprint() -> str:
	return fingerprint(
		REPO / APP, patterns=("**/*.json", "hooks.py", "patches.txt", "patches/**/*.py", "**/*.csv")
	)


def ensure_site(site: str, developer_mode: bool) -> None:
	site_path = SITES / site
	if not (site_path / "site_config.json").exists():
		log(f"creating site {site} (about 20 s)")
		shutil.rmtree(site_path, ignore_errors=True)
		bench_frappe(
			"new-site",
			site,
			"--db-name",
			db_name_for(site),
			"--db-root-username",
			DB_ROOT_USER,
			"--db-root-password",
			DB_ROOT_PASSWORD,
			"--db-host",
			DB_HOST,
			"--db-port",
			str(DB_PORT),
			"--no-mariadb-socket",
			"--admin-password",
			ADMIN_PASSWORD,
			"--force",  # the database of a site whose folder was deleted is stale: replace it
		)
		config_path = site_path / "site_config.json"
		config = json.loads(config_path.read_text())
		config.update({"allow_tests": True, "developer_mode": int(developer_mode), "mute_emails": True})
		config_path.write_text(json.dumps(config, indent=1, sort_keys=True))
		write_stamp(f"site-{site}", "")
	installed = bench_frappe("list-apps", site=site, capture_output=True, text=True).stdout
	if APP not in installed:
		log(f"installing {APP} on {site}")
		bench_frappe("install-app", APP, site=site)
		write_stamp(f"site-{site}", app_fingerprint())
	elif not stamp_matches(f"site-{site}", app_fingerprint()):
		log(f"migrating {site}: the app's DocTypes, hooks or patches changed")
		bench_frappe("migrate", "--skip-search-index", site=site)
		write_stamp(f"site-{site}", app_fingerprint())


def build(*sites: str) -> None:
	started = time.time()
	ensure_mariadb()
	(BENCH / "logs").mkdir(parents=True, exist_ok=True)
	ensure_redis()
	prepare_mariadb()
	ensure_frappe_app()
	ensure_app_link()
	ensure_venv()
	ensure_bench_config()
	# The desk's bundles and each site need only the venv: built side by side (a cold build of the
	# two test sites and the bundles took 75 s less so on two cores, docs/runtimes.md).
	with ThreadPoolExecutor(max_workers=1 + len(sites)) as pool:
		# Developer mode (exports DocTypes on save) for the demo site only: tests must not write files.
		steps = [pool.submit(build_desk_assets)] + [
			pool.submit(ensure_site, site, developer_mode=site == DEMO_SITE) for site in sites
		]
		for step in steps:
			step.result()
	log(f"bench ready in {time.time() - started:.0f} s: {BENCH}, site {', '.join(sites)}")


def build_desk_assets() -> None:
	builder = REPO / "dev" / "build_assets.py"
	if builder.exists() and os.environ.get("CIAC_SKIP_ASSETS") != "1":
		run([sys.executable, builder])


# --- commands -----------------------------------------------------------------------------


def command_build(args) -> None:
	build(args.site)


MAIL_SINK_PORT = int(os.environ.get("CIAC_MAIL_PORT", "2525"))
MAIL_PAGE_PORT = int(os.environ.get("CIAC_MAIL_PAGE_PORT", "8025"))
SMS_GATEWAY_PORT = int(os.environ.get("CIAC_SMS_PORT", "8026"))


def command_run(args) -> None:
	"""What `bench start` runs on CIAC's bench (web, worker, scheduler) plus a local mail sink."""
	build(args.site)
	set_site_config(args.site, mute_emails=0, scheduler_interval=60)
	mail_folder = BENCH / "mail"
	processes = [
		start_process(
			"mail sink",
			[
				ENV_PYTHON,
				"-m",
				"demo.mail_sink",
				mail_folder,
				"--smtp-port",
				MAIL_SINK_PORT,
				"--http-port",
				MAIL_PAGE_PORT,
			],
		),
		# SMS Settings of the demo site post here (demo/sms_gateway.py); CIAC's site, to its provider
		start_process(
			"SMS gateway", [ENV_PYTHON, "-m", "demo.sms_gateway", BENCH / "sms", "--port", SMS_GATEWAY_PORT]
		),
	]
	try:
		if not wait_for_port("127.0.0.1", MAIL_SINK_PORT, 20):
			fail(f"the mail sink did not start on port {MAIL_SINK_PORT} (CIAC_MAIL_PORT sets another)")
		log("loading demo data")
		run(
			[ENV_PYTHON, "-m", "demo", args.site],
			cwd=SITES,
			env={
				**os.environ,
				"CIAC_MAIL_SINK_PORT": str(MAIL_SINK_PORT),
				"CIAC_SMS_GATEWAY_URL": f"http://127.0.0.1:{SMS_GATEWAY_PORT}/send",
			},
		)
		bench_frappe("use", args.site)
		frappe_cli = [ENV_PYTHON, "-m", "frappe.utils.bench_helper", "frappe"]
		processes += [
			start_process("worker", [*frappe_cli, "worker"], cwd=SITES),
			start_process("scheduler", [*frappe_cli, "schedule"], cwd=SITES),
		]
		print(
			f"\n  CIAC Tutoring is running at http://localhost:{args.port}\n"
			f"  Desk login: Administrator / {ADMIN_PASSWORD}   (staff: coordinator@ciac.example / demo-coordinator)\n"
			f"  Portal:     http://localhost:{args.port}/become-a-tutor   (tutor: tutor@ciac.example / demo-tutor)\n"
			f"  Mails sent: http://localhost:{MAIL_PAGE_PORT}   (files in {mail_folder})\n"
			f"  SMS sent:   http://localhost:{SMS_GATEWAY_PORT}   (files in {BENCH / 'sms'})\n"
			"  A worker and the scheduler run beside the web server. Stop with Ctrl+C.\n",
			flush=True,
		)
		bench_frappe("serve", "--port", str(args.port), "--noreload", site=args.site, check=False)
	finally:
		for process in processes:
			process.terminate()
		for process in processes:
			process.wait(timeout=20)


def start_process(name: str, command: list, **kwargs) -> subprocess.Popen:
	log(f"starting the {name}")
	return subprocess.Popen([str(part) for part in command], **kwargs)


def set_site_config(site: str, **values) -> None:
	path = SITES / site / "site_config.json"
	config = json.loads(path.read_text())
	config.update(values)
	path.write_text(json.dumps(config, indent=1, sort_keys=True))


def command_test(args) -> None:
	if not os.environ.get("CIAC_SKIP_BROWSER_SETUP"):
		# Browser tests drive Debian's Chromium through playwright-core's Python twin; Frappe renders
		# PDFs (the tutoring agreement's) with wkhtmltopdf.
		ensure_test_tool("chromium", ("chromium", "chromium-driver", "fonts-dejavu-core"), "browser tests")
		ensure_test_tool("wkhtmltopdf", ("wkhtmltopdf",), "PDF tests")
	workers = test_workers(args.pytest_args)
	sites = test_sites(args.site, workers)
	build(*sites)
	env = {**os.environ, "CI": "1", "CIAC_SITE": args.site, "CIAC_BENCH": str(BENCH)}
	pytest_args = list(args.pytest_args)
	if workers > 1:
		# One test site per worker (tests commit data for their servers); a file's tests stay on one
		# worker, so its module fixtures (servers, test worlds) are made once.
		env["CIAC_TEST_SITES"] = ",".join(sites)
		# Workers collect after the plugin moved into the sites folder: name test paths absolutely
		# (pyproject.toml's testpaths too, when none is given).
		pytest_args = [absolute_test_path(arg) for arg in pytest_args]
		if not any(arg.startswith(str(REPO)) for arg in pytest_args):
			pytest_args += [str(REPO / path) for path in pyproject_testpaths()]
		pytest_args = ["-n", str(workers), "--dist", "loadfile", *pytest_args]
	result = subprocess.run([ENV_PYTHON, "-m", "pytest", *pytest_args], cwd=REPO, env=env)
	sys.exit(result.returncode)


def absolute_test_path(arg: str) -> str:
	"""`ciac_tutoring/tests/test_x.py::test_y` made absolute; options and their values as they are."""
	path, separator, test = arg.partition("::")
	looks_like_a_path = "/" in path or path.endswith(".py")
	return str(REPO / path) + separator + test if looks_like_a_path and (REPO / path).exists() else arg


def pyproject_testpaths() -> list[str]:
	import tomllib  # Python 3.11+; the workers need it only

	with open(REPO / "pyproject.toml", "rb") as file:
		return tomllib.load(file)["tool"]["pytest"]["ini_options"]["testpaths"]


def test_workers(pytest_args: list[str]) -> int:
	"""$CIAC_TEST_WORKERS, else two for the whole suite on a machine of two cores or more (it halves
	the time: docs/runtimes.md), one when tests are named."""
	if os.environ.get("CIAC_TEST_WORKERS"):
		return max(1, int(os.environ["CIAC_TEST_WORKERS"]))
	names_tests = any(absolute_test_path(arg) != arg for arg in pytest_args)
	return 1 if names_tests or (os.cpu_count() or 1) < 2 else 2


def test_sites(site: str, workers: int) -> list[str]:
	"""`test.localhost`, then `test-2.localhost`, ... for the second and later workers."""
	name, _dot, domain = site.partition(".")
	return [site] + [
		f"{name}-{number}.{domain}" if domain else f"{name}-{number}" for number in range(2, workers + 1)
	]


def ensure_test_tool(command: str, packages: tuple[str, ...], tests: str) -> None:
	"""Install Debian's `packages` for `command` when missing and allowed; else say which tests skip."""
	if shutil.which(command):
		return
	if can_install_packages():
		apt_install(*packages)
	else:
		log(f"{command} is missing (Debian/Ubuntu: `sudo apt-get install {packages[0]}`): {tests} will skip")


def command_frappe(args) -> None:
	result = bench_frappe(*args.frappe_args, check=False)
	sys.exit(result.returncode)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	commands = parser.add_subparsers(dest="command", required=True)
	build_parser = commands.add_parser("build", help="build what is missing (idempotent)")
	build_parser.add_argument("--site", default=TEST_SITE)
	build_parser.set_defaults(handler=command_build)
	run_parser = commands.add_parser("run", help="build, load demo data and serve")
	run_parser.add_argument("--site", default=DEMO_SITE)
	run_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
	run_parser.set_defaults(handler=command_run)
	test_parser = commands.add_parser("test", help="build the test site and run pytest")
	test_parser.add_argument("--site", default=TEST_SITE)
	test_parser.set_defaults(handler=command_test)
	frappe_parser = commands.add_parser("frappe", help="run a `bench frappe` command in the bench")
	frappe_parser.set_defaults(handler=command_frappe)
	# Everything after the command's own options goes to pytest or to Frappe's CLI.
	args, passthrough = parser.parse_known_args()
	if passthrough and args.command not in ("test", "frappe"):
		parser.error(f"unrecognized arguments: {' '.join(passthrough)}")
	args.pytest_args = args.frappe_args = passthrough
	args.handler(args)


if __name__ == "__main__":
	main()
