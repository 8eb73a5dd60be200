"""Reports read from the read replica (issue 25), on a real MariaDB primary and replica pair.

The fixture starts the pair (dev/replica_pair.py: two `mariadbd` of the machine's MariaDB on
loopback, data folders and ports of their own under the bench, binary logging on the primary),
copies this test site's database onto the primary (it replicates), and serves a site of its own
on it with Frappe's replica settings (`read_from_replica`, `replica_host`, `replica_db_port`).
The replica is `read_only`: a report that wrote on its connection would fail.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import frappe
import pytest
from frappe.utils import add_days, get_bench_path, today

from ciac_tutoring.tests.server import FrappeServer

STARTER = Path(__file__).resolve().parents[2] / "dev" / "replica_pair.py"
REPORT_QUERY_MARK = "residence_permit_expiry"

pytestmark = pytest.mark.skipif(
	not (STARTER.exists() and shutil.which("mariadb-install-db") and shutil.which("mariadb-dump")),
	reason="needs dev/replica_pair.py and the machine's MariaDB server tools",
)


def load_starter():
	spec = importlib.util.spec_from_file_location("replica_pair", STARTER)
	module = importlib.util.module_from_spec(spec)
	sys.modules[spec.name] = module
	spec.loader.exec_module(module)
	return module


@pytest.fixture(scope="module")
def pair():
	replica_pair = load_starter()
	site = frappe.local.site
	pair = replica_pair.ReplicaPair(
		Path(get_bench_path()) / "replica-pair" / site, replica_pair.default_ports(f"replica-pair:{site}")
	)
	pair.start()
	try:
		yield pair
	finally:
		pair.stop()


@pytest.fixture(scope="module")
def replica_site(pair):
	"""A copy of this test site on the primary, served with Frappe's replica settings."""
	conf = frappe.local.conf
	db_name, password = replica_db_name(), conf.db_password
	frappe.db.commit()
	pair.primary.sql(
		f"CREATE DATABASE IF NOT EXISTS `{db_name}`;"
		f"CREATE USER IF NOT EXISTS '{db_name}'@'127.0.0.1' IDENTIFIED BY '{password}';"
		f"GRANT ALL PRIVILEGES ON `{db_name}`.* TO '{db_name}'@'127.0.0.1'"
	)
	dump = subprocess.Popen(
		[
			"mariadb-dump",
			"--no-defaults",
			"--single-transaction",
			"--no-tablespaces",
			f"-h{conf.db_host or '127.0.0.1'}",
			f"-P{conf.db_port or 3306}",
			f"-u{conf.db_user or conf.db_name}",
			f"-p{password}",
			conf.db_name,
		],
		stdout=subprocess.PIPE,
	)
	subprocess.run(
		["mariadb", "--no-defaults", f"--socket={pair.primary.socket}", "-uroot", db_name],
		stdin=dump.stdout,
		check=True,
	)
	assert dump.wait() == 0
	pair.wait_for_replica()

	site = f"replica-{frappe.local.site}"
	folder = Path(get_bench_path()) / "sites" / site
	(folder / "logs").mkdir(parents=True, exist_ok=True)
	(folder / "site_config.json").write_text(
		json.dumps(
			{
				**{key: conf[key] for key in ("encryption_key", "db_type") if conf.get(key)},
				"db_name": db_name,
				"db_password": password,
				"db_host": "127.0.0.1",
				"db_port": pair.primary.port,
				"read_from_replica": 1,
				"replica_host": "127.0.0.1",
				"replica_db_port": pair.replica.port,
				"allow_tests": True,
				"mute_emails": True,
			},
			indent=1,
		)
	)
	# The copy keeps its database name from run to run: Frappe's cache of it (keyed by that name)
	# may hold an older app's modules.
	frappe_command(site, "clear-cache")
	try:
		with FrappeServer(site=site) as server:
			yield server
	finally:
		shutil.rmtree(folder, ignore_errors=True)


def frappe_command(site: str, *args: str) -> None:
	subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", site, *args],
		cwd=Path(get_bench_path()) / "sites",
		check=True,
		capture_output=True,
	)


def general_log(server, statement_part: str) -> list[str]:
	return server.value(
		"SELECT argument FROM mysql.general_log WHERE command_type = 'Query' "
		f"AND argument LIKE '%{statement_part}%'"
	).splitlines()


def start_general_logs(pair) -> None:
	for server in (pair.primary, pair.replica):
		server.sql("SET GLOBAL general_log = 0; TRUNCATE mysql.general_log;")
		server.sql("SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1")


def run_report(session, server, report: str, filters: dict) -> list[dict]:
	response = session.get(
		f"{server.url}/api/method/frappe.desk.query_report.run",
		params={"report_name": report, "filters": json.dumps(filters)},
		timeout=60,
	)
	assert response.ok, response.text[:2000]
	return response.json()["message"]["result"]


def test_a_report_is_served_from_the_replica_and_its_access_log_written_on_the_primary(pair, replica_site):
	session = replica_site.session()
	created = session.post(
		f"{replica_site.url}/api/resource/Beneficiary",
		json={
			"first_name": "Replica",
			"last_name": "Reader",
			"date_of_birth": "1990-03-04",
			"consent": 1,
			"residence_permit_expiry": add_days(today(), 20),
		},
		timeout=30,
	)
	assert created.ok, created.text[:2000]
	beneficiary = created.json()["data"]["name"]
	pair.wait_for_replica()

	# From here the replica keeps what it has: a change on the primary no longer reaches it.
	pair.replica.sql("STOP SLAVE")
	try:
		renamed = session.put(
			f"{replica_site.url}/api/resource/Beneficiary/{beneficiary}",
			json={"last_name": "Renamed on the primary"},
			timeout=30,
		)
		assert renamed.ok, renamed.text[:2000]
		access_logs_before = int(
			pair.primary.value(
				f"SELECT COUNT(*) FROM `{replica_db_name()}`.`tabAccess Log` WHERE report_name = 'Permit Expiry'"
			)
		)
		start_general_logs(pair)

		rows = run_report(session, replica_site, "Permit Expiry", {"to_date": add_days(today(), 30)})

		pair.primary.sql("SET GLOBAL general_log = 0")
		pair.replica.sql("SET GLOBAL general_log = 0")
		names = {row["beneficiary"]: row["full_name"] for row in rows}
		# The replica's row: the primary's rename never reached it.
		assert names[beneficiary] == "Replica Reader"
		# The report's query reached the replica's server, and not the primary's.
		assert general_log(pair.replica, REPORT_QUERY_MARK)
		assert not general_log(pair.primary, REPORT_QUERY_MARK)
		# Permit Expiry records who saw the permits: on the primary (the replica is read-only).
		access_logs_after = int(
			pair.primary.value(
				f"SELECT COUNT(*) FROM `{replica_db_name()}`.`tabAccess Log` WHERE report_name = 'Permit Expiry'"
			)
		)
		assert access_logs_after == access_logs_before + 1
	finally:
		pair.replica.sql("START SLAVE")


def replica_db_name() -> str:
	"""The copy's own database name: Frappe prefixes its Redis keys with it."""
	return f"{frappe.local.conf.db_name}_r"[:64]


def test_the_weekly_digest_reads_its_lists_from_the_replica_and_writes_on_the_primary(pair, replica_site):
	session = replica_site.session()
	settings = session.put(
		f"{replica_site.url}/api/resource/Tutoring Settings/Tutoring Settings",
		json={"send_weekly_digest": 1, "coordinator_email": "digest.replica@ciac.example"},
		timeout=30,
	)
	assert settings.ok, settings.text[:2000]
	pair.wait_for_replica()
	start_general_logs(pair)

	frappe_command(replica_site.site, "execute", "ciac_tutoring.tasks.weekly")

	pair.primary.sql("SET GLOBAL general_log = 0")
	pair.replica.sql("SET GLOBAL general_log = 0")
	digest_query = "Availability Notified"  # in the digest's query of the tutors waiting
	assert general_log(pair.replica, digest_query)
	assert not general_log(pair.primary, digest_query)
	written = pair.primary.value(
		f"SELECT COUNT(*) FROM `{replica_db_name()}`.`tabTutoring Reminder Log` "
		"WHERE rule = 'Weekly digest' AND recipient = 'digest.replica@ciac.example'"
	)
	assert written == "1"
