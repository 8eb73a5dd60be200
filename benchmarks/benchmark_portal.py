"""Server time of each tutors' portal page, for a tutor with a year of contacts.

    python3 dev/bench.py build --site bench-portal.localhost
    .bench/env/bin/python benchmarks/benchmark_portal.py --site bench-portal.localhost

Inside one transaction that is rolled back at the end (the site keeps nothing), it builds a
background programme with `demo.data_generator.generate_programme_data` (by default
1,000 Active pairings with 100,000 Contact Logs, so the permission filters run on real table
sizes), then one tutor with a portal login, an Active pairing started a year ago, a year of
contacts (a weekly call, a monthly meeting, about a message a week: ~170 logs), a training
record and portal notices. Each page is rendered in-process as that tutor, the way the web
server renders it (path resolution, get_context, Jinja, the base template), --runs times after
a warm-up; the median, the 95th percentile and the SQL statement count are printed. The HTTP
layer around it (session resume, cookies) is the same for every Frappe page and not counted.
Budget: every page under 150 ms. `--write` puts the table into docs/benchmarks.md.

`--http` (issue 25) measures what tutors meet instead: it adds --tutors tutors with a portal login
and an Active pairing (committed: give it a site of its own; a second run reuses them), starts
gunicorn with --workers sync workers on loopback, as a production bench does (`frappe.app`, the
site's own config: run it on a site without developer mode), logs every tutor in, then each tutor
walks the portal for --seconds (a page or a contact's POST, then a think time of 1 to 3 s) over
real HTTP sessions. It prints the requests a second, the errors, and each page's median and 95th
percentile round trip on loopback against the 100 ms budget.
"""

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

from bench_site import connect

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 150.0
HTTP_BUDGET_MS = 100.0
PAGES = (
	("/my-tutoring", "tutor"),
	("/log-contact", "tutor"),
	("/training", "tutor"),
	("/become-a-tutor", "Guest"),
)
SECTION_START = "<!-- benchmark_portal:start -->"
SECTION_END = "<!-- benchmark_portal:end -->"


def build_background(pairings: int, contact_logs: int) -> dict:
	from demo.data_generator import generate_programme_data

	if not pairings:
		return {"pairings": 0, "contact_logs": 0}
	summary = generate_programme_data(pairings, months=12, contact_logs=contact_logs, training_sessions=10)
	return {"pairings": pairings, "contact_logs": summary.get("contact_logs", contact_logs)}


def build_year_of_tutoring() -> dict:
	"""One tutor, paired for a year, who logged every call and meeting; returns its user."""
	import frappe
	from frappe.utils import add_days, add_to_date, now_datetime, nowdate

	from ciac_tutoring.tests import portal_data

	user = portal_data.make_portal_user("bench-tutor@portal-bench.example", "Bench")
	tutor = portal_data.make_tutor("bench-portal", user=user)
	beneficiary = portal_data.make_beneficiary("benchportal")
	pairing = portal_data.make_active_pairing(tutor, beneficiary, start_date=add_days(nowdate(), -365))
	logs = 0
	for day in range(365, 0, -1):
		date = add_days(nowdate(), -day)
		kinds = []
		if day % 7 == 0:
			kinds.append("Phone or video call")
		if day % 30 == 0:
			kinds.append("In-person meeting")
		if day % 7 == 3:
			kinds.append("Message")
		for kind in kinds:
			portal_data.make_contact_log(pairing, contact_date=date, kind=kind, notes=f"{kind} on {date}")
			logs += 1
	sessions = []
	for index in range(8):
		name = portal_data.make_training_session(
			f"bench portal training {index}", days_ahead=-300 + index * 60
		)
		session = frappe.get_doc("Training Session", name)
		session.append(
			"attendees", {"tutor": tutor, "registered_on": nowdate(), "attendance": "Registered", "hours": 2}
		)
		session.flags.ignore_permissions = True
		session.save()
		sessions.append(name)
	if frappe.db.table_exists("Tutoring Reminder Log"):
		for index in range(24):
			frappe.get_doc(
				{
					"doctype": "Tutoring Reminder Log",
					"tutor": tutor,
					"message": "Remember the weekly call",
					"sent_on": add_to_date(now_datetime(), days=-index * 15),
					"rule": "tutor_phone",
				}
			).db_insert()
	return {"user": user, "tutor": tutor, "pairing": pairing, "contact_logs": logs, "sessions": len(sessions)}


def render(path: str, user: str) -> str:
	import frappe

	from ciac_tutoring.tests.portal_data import render_page

	# Each request starts without a Jinja environment (frappe.init), as on the web server.
	frappe.local.jenv = None
	return render_page(path, user, lang="it")


def time_page(path: str, user: str, runs: int) -> dict:
	from demo.query_counter import count_queries

	render(path, user)  # warm-up: caches, templates
	with count_queries() as queries:
		render(path, user)
	timings = []
	for _run in range(runs):
		started = time.perf_counter()
		render(path, user)
		timings.append((time.perf_counter() - started) * 1000)
	timings.sort()
	return {
		"path": path,
		"median_ms": statistics.median(timings),
		"p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
		"statements": len(queries),
	}


def run(background_pairings: int, background_logs: int, runs: int) -> dict:
	import frappe

	started = time.perf_counter()
	background = build_background(background_pairings, background_logs)
	tutor = build_year_of_tutoring()
	built_in = time.perf_counter() - started
	print(
		f"built in {built_in:.0f} s: background {background['pairings']} pairings, "
		f"{background['contact_logs']} contact logs; the tutor: {tutor['contact_logs']} contact logs",
		flush=True,
	)
	pages = []
	for path, who in PAGES:
		result = time_page(path, tutor["user"] if who == "tutor" else "Guest", runs)
		pages.append(result)
		print(
			f"{path:<16} median {result['median_ms']:6.1f} ms, p95 {result['p95_ms']:6.1f} ms, "
			f"{result['statements']} SQL statements",
			flush=True,
		)
	frappe.set_user("Administrator")
	return {"background": background, "tutor": tutor, "pages": pages, "runs": runs}


def markdown(result: dict) -> str:
	import frappe

	background, tutor = result["background"], result["tutor"]
	lines = [
		SECTION_START,
		"## Tutors' portal: server time per page",
		"",
		"`benchmarks/benchmark_portal.py` (issue 7). A tutor paired for a year with "
		f"{tutor['contact_logs']} contact logs, {tutor['sessions']} training sessions and portal notices, on "
		f"a site holding {background['pairings']} other Active pairings and {background['contact_logs']} "
		"contact logs. Each page rendered in-process as the web server renders it (path resolution, "
		f"`get_context`, Jinja, base template), {result['runs']} runs after a warm-up; the HTTP layer "
		"(session, cookies) is the same for every Frappe page and not counted. Budget: 150 ms.",
		"",
		"| Page | Median (ms) | 95th percentile (ms) | SQL statements |",
		"| --- | ---: | ---: | ---: |",
	]
	for page in result["pages"]:
		lines.append(
			f"| `{page['path']}` | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['statements']} |"
		)
	lines += [
		"",
		f"Measured {frappe.utils.now_datetime():%Y-%m-%d} on the development machine (2 shared cores, "
		"MariaDB and Redis local). Run: `.bench/env/bin/python benchmarks/benchmark_portal.py --site <site> "
		"--write`.",
		SECTION_END,
	]
	return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
	"""Replace this benchmark's section of docs/benchmarks.md, or append it."""
	path = REPO / "docs" / "benchmarks.md"
	current = path.read_text() if path.exists() else "# Benchmarks\n"
	if SECTION_START in current and SECTION_END in current:
		head, rest = current.split(SECTION_START, 1)
		tail = rest.split(SECTION_END, 1)[1].lstrip("\n")
		current = head + text + tail
	else:
		current = current.rstrip("\n") + "\n\n" + text
	path.write_text(current)


# --- real HTTP sessions against gunicorn (issue 25) -------------------------------------------


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


def start_gunicorn(site: str, workers: int, port: int):
	import subprocess

	import frappe
	import requests

	bench = Path(frappe.utils.get_bench_path())
	log = open(bench / "logs" / f"benchmark-gunicorn-{port}.log", "w")
	process = subprocess.Popen(
		[
			str(bench / "env" / "bin" / "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=str(bench / "sites"),
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


def walk_portal(base, site, login, pairing, until, results, seed, started_at):
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


def run_http(site: str, tutors: int, workers: int, seconds: int) -> int:
	import os
	import threading

	import frappe

	from ciac_tutoring.tests.server import free_port

	accounts = make_http_tutors(tutors)
	print(
		f"{len(accounts)} tutors; developer_mode {frappe.conf.developer_mode or 0}; "
		f"load average {os.getloadavg()[0]:.1f}",
		flush=True,
	)
	port = free_port()
	process = start_gunicorn(site, workers, port)
	results: dict = {}
	try:
		base, until = f"http://127.0.0.1:{port}", [0.0]
		started_at = threading.Barrier(len(accounts) + 1, timeout=600)
		threads = [
			threading.Thread(
				target=walk_portal, args=(base, site, login, pairing, until, results, index, started_at)
			)
			for index, (login, pairing) in enumerate(accounts)
		]
		for thread in threads:
			thread.start()
		started_at.wait()
		until[0] = time.time() + seconds
		for thread in threads:
			thread.join()
	finally:
		process.terminate()
		process.wait(30)
	errors = results.pop("errors", [])
	total = sum(len(times) for times in results.values())
	print(
		f"{total} requests in {seconds} s ({total / seconds:.1f} a second), {len(errors)} errors "
		f"{errors[:5]}; {workers} gunicorn workers; load average {os.getloadavg()[0]:.1f}"
	)
	within = True
	for page, times in sorted(results.items()):
		times.sort()
		p95 = times[min(math.ceil(len(times) * 0.95), len(times)) - 1]
		within &= p95 < HTTP_BUDGET_MS
		print(
			f"{page:<18} {len(times):5d} requests, median {statistics.median(times):6.1f} ms, "
			f"p95 {p95:6.1f} ms  {'ok' if p95 < HTTP_BUDGET_MS else 'OVER'} (budget {HTTP_BUDGET_MS:.0f} ms)"
		)
	return 0 if within and not errors else 1


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--background-pairings", type=int, default=1_000)
	parser.add_argument("--background-logs", type=int, default=100_000)
	parser.add_argument("--runs", type=int, default=30)
	parser.add_argument("--write", action="store_true", help="write the results into docs/benchmarks.md")
	parser.add_argument("--http", action="store_true", help="real HTTP sessions against gunicorn")
	parser.add_argument("--tutors", type=int, default=50)
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--seconds", type=int, default=60)
	parser.add_argument(
		"--without-bytecode-cache",
		action="store_true",
		help="render without the portal's Jinja bytecode cache (to measure what it saves)",
	)
	args = parser.parse_args()
	connect(args.site)
	import frappe

	if args.without_bytecode_cache:
		from ciac_tutoring.portal import pages

		pages.COMPILED_TEMPLATES = None

	if args.http:
		try:
			return run_http(args.site, args.tutors, args.workers, args.seconds)
		finally:
			frappe.destroy()
	try:
		result = run(args.background_pairings, args.background_logs, args.runs)
		text = markdown(result)
	finally:
		frappe.db.rollback()  # the site keeps nothing of the benchmark
		frappe.destroy()
	print(text)
	if args.write:
		write_section(text)
	slowest = max(page["median_ms"] for page in result["pages"])
	print("within budget" if slowest < BUDGET_MS else f"OVER BUDGET: {slowest:.0f} ms")
	return 0 if slowest < BUDGET_MS else 1


if __name__ == "__main__":
	sys.exit(main())
