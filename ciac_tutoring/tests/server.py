"""Start the site's web server in a subprocess for HTTP and browser tests."""

import os
import socket
import subprocess
import sys
import time

import frappe
import requests


def free_port() -> int:
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]


class FrappeServer:
	"""`with FrappeServer() as server: requests.get(server.url + "/api/method/ping")`."""

	def __init__(self, site: str | None = None, port: int | None = None, threaded: bool = False):
		self.site = site or frappe.local.site
		self.port = port or free_port()
		# A threaded server answers a request made while it serves another: wkhtmltopdf fetching
		# a PDF's styles from the server that renders it.
		self.threaded = threaded
		self.url = f"http://127.0.0.1:{self.port}"
		self.process: subprocess.Popen | None = None

	def __enter__(self) -> "FrappeServer":
		# The server reads the database in its own connections: make what tests set up visible.
		frappe.db.commit()
		log = open(os.path.join(frappe.utils.get_bench_path(), "logs", f"test-server-{self.port}.log"), "w")
		self.process = subprocess.Popen(
			[
				sys.executable,
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				self.site,
				"serve",
				"--port",
				str(self.port),
				"--noreload",
				*([] if self.threaded else ["--nothreading"]),
			],
			cwd=frappe.utils.get_site_path(".."),
			stdout=log,
			stderr=subprocess.STDOUT,
		)
		self._wait_until_up()
		return self

	def _wait_until_up(self, seconds: float = 60) -> None:
		deadline = time.time() + seconds
		while time.time() < deadline:
			if self.process.poll() is not None:
				raise RuntimeError(f"the test server exited with {self.process.returncode}")
			try:
				if requests.get(f"{self.url}/api/method/ping", timeout=2).ok:
					return
			except requests.ConnectionError:
				time.sleep(0.3)
		raise RuntimeError(f"the test server did not answer on {self.url} within {seconds} s")

	def __exit__(self, *exc) -> None:
		if self.process and self.process.poll() is None:
			self.process.terminate()
			try:
				self.process.wait(10)
			except subprocess.TimeoutExpired:
				self.process.kill()

	def session(self, user: str = "Administrator", password: str | None = None) -> requests.Session:
		"""A requests session logged in as `user`."""
		session = requests.Session()
		password = password or frappe.conf.admin_password or os.environ.get("ADMIN_PASSWORD", "admin")
		response = session.post(
			f"{self.url}/api/method/login", data={"usr": user, "pwd": password}, timeout=30
		)
		response.raise_for_status()
		return session
