#!/usr/bin/env python3
"""A MariaDB primary and its read replica on loopback, each with a data folder and a port of its own.

    python3 dev/replica_pair.py start    # prints the two ports; idempotent
    python3 dev/replica_pair.py stop     # stops both servers and deletes their folders

The test of reads on the replica (ciac_tutoring/tests/test_read_replica.py) starts the pair the
way dev/bench.py starts the bench's Redis, and stops it afterwards. The machine's own MariaDB runs
without binary logging, so it cannot be anyone's primary: this pair runs the machine's `mariadbd`
(10.11) twice, from folders under the bench (`<bench>/replica-pair/{primary,replica}`), the
primary with binary logging, the replica `read_only` and replicating from the primary's first
binary log (`CHANGE MASTER TO` + `START SLAVE`), so whatever is later created on the primary
(users, databases, rows) reaches the replica. Each server is reached by its socket as the
operating system's user (`unix_socket` authentication) for administration, by TCP for the site.

Only the standard library: this runs before any venv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("CIAC_BENCH") or REPO / ".bench").resolve()
MARIADBD = shutil.which("mariadbd", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", ""))
REPLICATION_USER, REPLICATION_PASSWORD = "ciac_replication", "ciac_replication"


def default_ports(name: str = "replica-pair") -> tuple[int, int]:
	"""Two ports of this bench's own (from its path, as its Redis port is): 3400-3999."""
	base = 3400 + int(hashlib.sha1(f"{BENCH}:{name}".encode()).hexdigest(), 16) % 300 * 2
	return base, base + 1


class Server:
	def __init__(self, folder: Path, port: int, server_id: int, primary: bool):
		self.folder, self.port, self.server_id, self.primary = folder, port, server_id, primary
		self.socket = folder / "mariadb.sock"
		self.pid_file = folder / "mariadb.pid"

	def config(self) -> str:
		lines = [
			"[mariadbd]",
			f"datadir = {self.folder / 'data'}",
			f"socket = {self.socket}",
			f"pid-file = {self.pid_file}",
			f"port = {self.port}",
			"bind-address = 127.0.0.1",
			f"log-error = {self.folder / 'error.log'}",
			f"server-id = {self.server_id}",
			"user = root" if os.geteuid() == 0 else "",
			# What Frappe needs, and small: two of these beside everything else on the machine.
			"character-set-server = utf8mb4",
			"collation-server = utf8mb4_unicode_ci",
			"innodb-buffer-pool-size = 64M",
			"innodb-log-file-size = 48M",
			"innodb-flush-log-at-trx-commit = 2",
			"skip-name-resolve",
			"max-connections = 200",
		]
		if self.primary:
			lines += [f"log-bin = {self.folder / 'binlog'}", "binlog-format = ROW"]
		else:
			lines += [
				f"relay-log = {self.folder / 'relay'}",
				# The site's own account cannot write here: a report that writes fails loudly.
				"read-only = 1",
			]
		return "\n".join(line for line in lines if line) + "\n"

	def running(self) -> bool:
		return self.socket.exists() and self.sql("SELECT 1", check=False).returncode == 0

	def start(self) -> None:
		if self.running():
			return
		self.folder.mkdir(parents=True, exist_ok=True)
		(self.folder / "my.cnf").write_text(self.config())
		if not (self.folder / "data" / "mysql").is_dir():
			install = [
				"mariadb-install-db",
				"--no-defaults",
				f"--datadir={self.folder / 'data'}",
				"--auth-root-authentication-method=socket",
				"--skip-test-db",
			]
			if os.geteuid() == 0:
				install.append("--user=root")
			subprocess.run(install, check=True, capture_output=True)
		with open(self.folder / "mariadbd.out", "a") as out:
			subprocess.Popen(
				[MARIADBD, f"--defaults-file={self.folder / 'my.cnf'}"],
				stdout=out,
				stderr=subprocess.STDOUT,
				start_new_session=True,
			)
		deadline = time.time() + 60
		while not self.running():
			if time.time() > deadline:
				raise RuntimeError(f"mariadbd did not start: see {self.folder / 'error.log'}")
			time.sleep(0.3)

	def stop(self) -> None:
		if not self.pid_file.exists():
			return
		pid = int(self.pid_file.read_text().strip() or 0)
		try:
			os.kill(pid, signal.SIGTERM)
		except ProcessLookupError:
			return
		deadline = time.time() + 60
		while time.time() < deadline:
			if not alive(pid):
				return
			time.sleep(0.2)
		os.kill(pid, signal.SIGKILL)

	def sql(self, statement: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
		"""Run SQL as the server's root through its socket; the rows come back tab-separated."""
		return subprocess.run(
			["mariadb", "--no-defaults", f"--socket={self.socket}", "-uroot", "-N", "-B", "-e", statement],
			check=check,
			capture_output=True,
			text=True,
			**kwargs,
		)

	def value(self, statement: str) -> str:
		return self.sql(statement).stdout.strip()


class ReplicaPair:
	def __init__(self, folder: Path | None = None, ports: tuple[int, int] | None = None):
		self.folder = folder or BENCH / "replica-pair"
		primary_port, replica_port = ports or default_ports()
		self.primary = Server(self.folder / "primary", primary_port, 1, primary=True)
		self.replica = Server(self.folder / "replica", replica_port, 2, primary=False)

	def start(self) -> ReplicaPair:
		for port in (self.primary.port, self.replica.port):
			if port_taken(port) and not (self.primary.running() and self.replica.running()):
				raise RuntimeError(f"port {port} is taken: set CIAC_REPLICA_PORTS=primary,replica")
		self.primary.start()
		self.replica.start()
		if not self.replica.value("SHOW SLAVE STATUS"):
			self.replicate()
		return self

	def replicate(self) -> None:
		"""Replicate everything the primary logs, from its first binary log on."""
		self.primary.sql(
			f"CREATE USER IF NOT EXISTS '{REPLICATION_USER}'@'127.0.0.1' IDENTIFIED BY '{REPLICATION_PASSWORD}';"
			f"GRANT REPLICATION SLAVE ON *.* TO '{REPLICATION_USER}'@'127.0.0.1'"
		)
		first_log = self.primary.value("SHOW BINARY LOGS").splitlines()[0].split("\t")[0]
		self.replica.sql(
			f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={self.primary.port}, "
			f"MASTER_USER='{REPLICATION_USER}', MASTER_PASSWORD='{REPLICATION_PASSWORD}', "
			f"MASTER_LOG_FILE='{first_log}', MASTER_LOG_POS=4; START SLAVE"
		)
		self.wait_for_replica()

	def wait_for_replica(self, seconds: int = 300) -> None:
		"""Until the replica has applied everything the primary has logged so far."""
		position = self.primary.value("SELECT @@gtid_binlog_pos")
		waited = self.replica.value(f"SELECT MASTER_GTID_WAIT('{position}', {seconds})")
		if waited != "0":
			status = self.replica.sql("SHOW SLAVE STATUS\\G").stdout
			raise RuntimeError(f"the replica did not catch up with {position}:\n{status}")

	def stop(self, delete: bool = True) -> None:
		self.replica.stop()
		self.primary.stop()
		if delete:
			shutil.rmtree(self.folder, ignore_errors=True)


def alive(pid: int) -> bool:
	"""Whether `pid` still runs. A server this process started stays a zombie once it exits until
	it is reaped, and `kill(pid, 0)` succeeds on a zombie: reap it here (stopping the pair used to
	wait out the 60 s deadline twice)."""
	try:
		if os.waitpid(pid, os.WNOHANG)[0] == pid:
			return False
	except ChildProcessError:
		pass  # not our child: started by another process (`dev/replica_pair.py start`)
	try:
		os.kill(pid, 0)
	except ProcessLookupError:
		return False
	return True


def port_taken(port: int) -> bool:
	try:
		with socket.create_connection(("127.0.0.1", port), timeout=1):
			return True
	except OSError:
		return False


def ports_from_environment() -> tuple[int, int] | None:
	value = os.environ.get("CIAC_REPLICA_PORTS")
	if not value:
		return None
	primary, replica = (int(port) for port in value.split(","))
	return primary, replica


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("command", choices=("start", "stop"))
	args = parser.parse_args()
	pair = ReplicaPair(ports=ports_from_environment())
	if args.command == "start":
		pair.start()
		print(f"primary 127.0.0.1:{pair.primary.port}, replica 127.0.0.1:{pair.replica.port} ({pair.folder})")
	else:
		pair.stop()


if __name__ == "__main__":
	sys.exit(main())
