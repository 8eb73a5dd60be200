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

`--http` (issue 25) measures what tutors meet instead, on the site configured as production:
real HTTP sessions of --tutors tutors against gunicorn, with where each request's server time
goes (benchmarks/portal_http.py).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench_site import connect

REPO = Path(__file__).resolve().parent.parent
BUDGET_MS = 150.0
PAGES = (
	("/my-tutoring", "tutor"),
	("/log-contact", "tutor"),
	("/training", "tutor"),
	("/my-volunteering", "tutor"),
	("/relationship-health?pairing={pairing}", "tutor"),
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


def time_page(path: str, user: str, runs: int, parts: bool = False) -> dict:
	from ciac_tutoring.tests.query_counter import count_queries

	render(path, user)  # warm-up: caches, templates
	with count_queries() as queries:
		render(path, user)
	timings, spent = [], []
	for _run in range(runs):
		if parts:
			import portal_timing

			portal_timing._spent.clear()
		started = time.perf_counter()
		render(path, user)
		timings.append((time.perf_counter() - started) * 1000)
		if parts:
			spent.append({part: seconds * 1000 for part, seconds in portal_timing._spent.items()})
	timings.sort()
	return {
		"path": path,
		"median_ms": statistics.median(timings),
		"p95_ms": timings[max(int(len(timings) * 0.95) - 1, 0)],
		"statements": len(queries),
		"parts": {
			part: statistics.median(run.get(part, 0.0) for run in spent)
			for part in dict.fromkeys(part for run in spent for part in run)
		},
	}


def run(background_pairings: int, background_logs: int, runs: int, parts: bool = False) -> dict:
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
		result = time_page(
			path.format(pairing=tutor["pairing"]), tutor["user"] if who == "tutor" else "Guest", runs, parts
		)
		result["path"] = path.partition("?")[0]
		pages.append(result)
		print(
			f"{result['path']:<20} median {result['median_ms']:6.1f} ms, p95 {result['p95_ms']:6.1f} ms, "
			f"{result['statements']} SQL statements",
			flush=True,
		)
		if result["parts"]:
			medians = ", ".join(f"{part} {ms:.1f}" for part, ms in result["parts"].items())
			print(f"{'':<20} medians (ms, inclusive): {medians}", flush=True)
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
	parser.add_argument(
		"--parts",
		action="store_true",
		help="in-process: also where each page's time goes (the timers of benchmarks/portal_timing.py)",
	)
	parser.add_argument("--tutors", type=int, default=50)
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--seconds", type=int, default=60)
	parser.add_argument(
		"--client-processes", type=int, default=5, help="--http: processes the tutors' clients run in"
	)
	parser.add_argument(
		"--without-kept-templates",
		action="store_true",
		help="compile every template on every render (to measure what the portal's kept templates save)",
	)
	args = parser.parse_args()
	connect(args.site)
	import frappe

	if args.without_kept_templates:
		from ciac_tutoring.portal import renderer

		renderer.keep_templates = lambda jenv: jenv

	if args.http:
		from portal_http import run_http

		try:
			return run_http(args.site, args.tutors, args.workers, args.seconds, args.client_processes)
		finally:
			frappe.destroy()
	try:
		if args.parts:
			import portal_timing

			portal_timing.install(portal_timing.APP_PARTS)
		result = run(args.background_pairings, args.background_logs, args.runs, args.parts)
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
