"""`benchmark_portal.py --http` (issue 25): the tutors' portal over real HTTP sessions, on a bench
configured as production, with where each request's server time goes.

It adds --tutors tutors with a portal login and an Active pairing (committed: give it a site of
its own; a second run reuses them), configures the site as a production bench runs it
(`production_settings`: developer mode off, assets built, no auto-reload), starts gunicorn with
--workers sync workers on loopback as a production bench's supervisor does (`--preload`, no
`--reload`), logs every tutor in, then each tutor walks the portal for --seconds (a page or a
contact's POST, then a think time of 1 to 3 s). The tutors are independent clients, a thread each
in --client-processes processes (50 threads in one process measured their own waits for the
interpreter lock as round trip). gunicorn serves `portal_timing:application`,
Frappe's own application with timers around its parts (benchmarks/portal_timing.py), so each
page's line also says where its server time went: connecting, resuming the session, resolving the
route (and building the route map), the page's context (and the app's tutor lookup in it), the
website settings Frappe adds to every page (and the desk sidebar they compute), Jinja, the commit,
SQL. Budget: every page's and the POST's 95th percentile under 100 ms.
"""

import json
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

HTTP_BUDGET_MS = 100.0
BENCHMARKS = Path(__file__).resolve().parent
PARTS = (
	"connect",
	"session",
	"route",
	"route map",
	"page",
	"page context",
	"tutor lookup",
	"website settings",
	"desk sidebar",
	"jinja",
	"commit",
	"sql",
)


def production_settings(site: str) -> list[str]:
	"""What a production bench has and a development one may not: developer mode off in the site's
	and the bench's config, no live reload, the desk's assets built. Sets what it can; returns what
	it changed."""
	import frappe

	changed = []
	sites = Path(frappe.utils.get_bench_path()) / "sites"
	for path in (sites / site / "site_config.json", sites / "common_site_config.json"):
		config = json.loads(path.read_text())
		for key in ("developer_mode", "live_reload", "maintenance_mode"):
			if config.get(key):
				config[key] = 0
				changed.append(f"{path.name}: {key} 0")
		path.write_text(json.dumps(config, indent=1, sort_keys=True))
	assets = json.loads((sites / "assets" / "assets.json").read_text() or "{}")
	if not assets:
		raise SystemExit("the desk's assets are not built: python3 dev/bench.py build --site " + site)
	frappe.clear_cache()  # the workers start from the settings above, with cold caches
	return changed


def make_http_tutors(count: int) -> list[tuple[str, str]]:
	"""(login, pairing) of `count` tutors with a portal login and an Active pairing, committed."""
	import frappe
	from frappe.utils import add_days, nowdate

	from ciac_tutoring.tests import portal_data

	tutors = []
	for index in range(count):
		email = f"http-tutor-{index}@portal-bench.example"
		portal_data.make_portal_user(email, f"Http {index}")
		tutor = frappe.db.get_value("Tutor", {"user": email})
		if not tutor:
			tutor = portal_data.make_tutor(f"http-bench-{index}", user=email)
		pairing = frappe.db.get_value("Pairing", {"tutor": tutor, "status": "Active"})
		if not pairing:
			beneficiary = portal_data.make_beneficiary(f"httpbench{index}")
			pairing = portal_data.make_active_pairing(
				tutor, beneficiary, start_date=add_days(nowdate(), -200)
			)
			for day in range(196, 0, -7):
				portal_data.make_contact_log(pairing, contact_date=add_days(nowdate(), -day))
		tutors.append((email, pairing))
	frappe.db.commit()
	return tutors


def start_gunicorn(site: str, workers: int, port: int, timing_dir: str):
	import subprocess

	import frappe
	import requests

	bench = Path(frappe.utils.get_bench_path())
	log = open(bench / "logs" / f"benchmark-gunicorn-{port}.log", "w")
	# As bench's production config runs it (supervisor.conf), with the timed application.
	process = subprocess.Popen(
		[
			str(bench / "env" / "bin" / "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--max-requests",
			"5000",
			"--preload",
			"--pythonpath",
			str(BENCHMARKS),
			"portal_timing:application",
		],
		cwd=str(bench / "sites"),
		env={**os.environ, "CIAC_PORTAL_TIMING_DIR": timing_dir},
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	deadline = time.time() + 120
	while time.time() < deadline:
		try:
			if requests.get(f"http://127.0.0.1:{port}/api/method/ping", headers={"Host": site}, timeout=5).ok:
				return process
		except requests.RequestException:
			pass
		time.sleep(0.5)
	process.terminate()
	raise RuntimeError("gunicorn did not answer")


def walk_portal(base, site, login, pairing, until, results, seed, started_at, go):
	"""One tutor: log in, then pages and contacts with a think time, until `until` (counted from
	when every tutor is warmed up, `started_at`)."""
	import random
	import re

	import requests

	from ciac_tutoring.tests.portal_data import PASSWORD

	rng = random.Random(seed)
	session = requests.Session()
	session.headers["Host"] = site
	reply = session.post(f"{base}/api/method/login", data={"usr": login, "pwd": PASSWORD}, timeout=60)
	if not reply.ok:
		results.setdefault("errors", []).append(("login", reply.status_code))
		started_at.wait()
		return
	# Not timed: each worker's first requests load the app, the templates and the caches.
	for page in ("/my-tutoring", "/training", "/log-contact"):
		reply = session.get(f"{base}{page}", timeout=120)
	found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
	csrf = found.group(1) if found else None
	started_at.wait()
	go.wait()
	time.sleep(rng.uniform(0, 3))
	while not until[0] or time.time() < until[0]:
		page = rng.choice(("/my-tutoring", "/log-contact", "/training", "POST /log-contact"))
		started = time.perf_counter()
		if page == "POST /log-contact" and csrf:
			reply = session.post(
				f"{base}/log-contact",
				data={
					"csrf_token": csrf,
					"pairing": pairing,
					"contact_date": time.strftime("%Y-%m-%d"),
					"kind": "Phone or video call",
					"initiated_by": "Tutor",
					"duration_minutes": "15",
					"wellbeing": "Fine",
					"notes": "benchmark",
				},
				allow_redirects=False,
				timeout=60,
			)
			ok = reply.status_code in (301, 302, 303)
		else:
			page = "/log-contact" if page.startswith("POST") else page
			reply = session.get(f"{base}{page}", timeout=60)
			ok = reply.ok
			if page == "/log-contact" and ok:
				found = re.search(r'name="csrf_token" value="([^"]+)"', reply.text)
				csrf = found.group(1) if found else csrf
		elapsed = (time.perf_counter() - started) * 1000
		if ok:
			results.setdefault(page, []).append(elapsed)
		else:
			results.setdefault("errors", []).append((page, reply.status_code))
		time.sleep(rng.uniform(1, 3))


def walk_in_process(base, site, accounts, first_seed, seconds, all_ready, queue) -> None:
	"""One client process: a thread per tutor of `accounts`, each logged in and warmed up; once every
	process is (`all_ready`), they walk the portal for `seconds`; the round trips go to `queue`."""
	import threading

	results: dict = {}
	until = [0.0]
	ready, go = threading.Barrier(len(accounts) + 1, timeout=600), threading.Event()
	threads = [
		threading.Thread(
			target=walk_portal,
			args=(base, site, login, pairing, until, results, first_seed + index, ready, go),
		)
		for index, (login, pairing) in enumerate(accounts)
	]
	for thread in threads:
		thread.start()
	ready.wait()
	all_ready.wait()
	until[0] = time.time() + seconds
	go.set()
	for thread in threads:
		thread.join()
	queue.put(results)


def run_http(site: str, tutors: int, workers: int, seconds: int, client_processes: int = 5) -> int:
	import multiprocessing

	import frappe

	from ciac_tutoring.tests.server import free_port

	accounts = make_http_tutors(tutors)
	changed = production_settings(site)
	print(
		f"{len(accounts)} tutors; production settings: {', '.join(changed) or 'already so'}; "
		f"load average {os.getloadavg()[0]:.1f}",
		flush=True,
	)
	port, timing_dir = free_port(), tempfile.mkdtemp(prefix="portal-timing-")
	process = start_gunicorn(site, workers, port, timing_dir)
	results: dict = {}
	try:
		# The tutors' phones are separate clients: a few processes of threads, not 50 threads
		# waiting on one interpreter lock (whose waits would count in the round trips).
		base = f"http://127.0.0.1:{port}"
		context = multiprocessing.get_context("fork")
		queue = context.Queue()
		shares = [share for index in range(client_processes) if (share := accounts[index::client_processes])]
		all_ready = context.Barrier(len(shares) + 1, timeout=600)
		clients = [
			context.Process(
				target=walk_in_process,
				args=(base, site, share, index * 1000, seconds, all_ready, queue),
			)
			for index, share in enumerate(shares)
		]
		for client in clients:
			client.start()
		all_ready.wait()  # every tutor logged in and warmed up
		measured_from = time.time()
		for _client in clients:
			for page, times in queue.get(timeout=600 + seconds).items():
				results.setdefault(page, []).extend(times)
		for client in clients:
			client.join(30)
	finally:
		process.terminate()
		process.wait(30)
	frappe.db.rollback()
	errors = results.pop("errors", [])
	total = sum(len(times) for times in results.values())
	print(
		f"{total} requests in {seconds} s ({total / seconds:.1f} a second), {len(errors)} errors "
		f"{errors[:5]}; {workers} gunicorn workers; {client_processes} client processes; "
		f"load average {os.getloadavg()[0]:.1f}"
	)
	server = server_times(timing_dir, measured_from)
	within = True
	for page, times in sorted(results.items()):
		p95 = percentile(times, 95)
		within &= p95 < HTTP_BUDGET_MS
		print(
			f"{page:<18} {len(times):5d} requests, round trip median {statistics.median(times):6.1f} ms, "
			f"p95 {p95:6.1f} ms  {'ok' if p95 < HTTP_BUDGET_MS else 'OVER'} (budget {HTTP_BUDGET_MS:.0f} ms)"
		)
		print_server_time(server.get(page, []))
	return 0 if within and not errors else 1


def percentile(values: list[float], percent: float) -> float:
	values = sorted(values)
	return values[min(math.ceil(len(values) * percent / 100), len(values)) - 1]


def server_times(timing_dir: str, measured_from: float) -> dict[str, list[dict]]:
	"""The timed requests of the measured period, by page as walk_portal names them."""
	pages: dict[str, list[dict]] = {}
	for path in Path(timing_dir).glob("*.jsonl"):
		for line in path.read_text().splitlines():
			request = json.loads(line)
			if request["at"] < measured_from:
				continue
			name = request["path"] if request["method"] == "GET" else f"{request['method']} {request['path']}"
			pages.setdefault(name, []).append(request)
	return pages


def print_server_time(requests: list[dict]) -> None:
	if not requests:
		return
	totals = [r["total"] for r in requests]
	parts = ", ".join(
		f"{part} {statistics.median(r['parts'].get(part, 0.0) for r in requests):.1f}"
		for part in PARTS
		if any(part in r["parts"] for r in requests)
	)
	print(
		f"{'':<18} server: median {statistics.median(totals):6.1f} ms, p95 {percentile(totals, 95):6.1f} ms, "
		f"{statistics.median(r['statements'] for r in requests):.0f} SQL statements; medians (ms, "
		f"inclusive): {parts}"
	)
