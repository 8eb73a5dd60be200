"""The daily monitoring job at scale: wall time and SQL statements, at two sizes.

    python3 dev/bench.py build --site bench-c.localhost
    .bench/env/bin/python benchmarks/benchmark_monitoring.py --site bench-c.localhost

For each size (by default 1,000 Active pairings with 100,000 Contact Logs, then 10,000 with
1,000,000) it wipes the site's programme data, builds it again with
`demo.data_generator.generate_programme_data`, and times:
- the daily job's first run of the day (compliance of every pairing plus every reminder it
  calls for: the tutors', the coordinators' and the training ones), and a second run the same
  day (compliance again, every reminder already sent);
- the background job that renders the reminders' emails and hands them to `frappe.sendmail`
  (Email Queue as Frappe builds it), on the first --emails of them: emails a second;
- the compliance update alone;
- one Contact Log insert through its controller (the mean of --inserts inserts).
With --reuse (a programme of that size already on the site) the first run is timed --first-runs
times, each after a reset and a short pause, and the median counts: on this shared virtual machine
one run's time varies by half. MariaDB's buffer pool size is printed: at 1,000,000 contacts the
default 128 MB cannot keep the tables' working set in memory (docs/benchmarks.md).
Budget (issue 12, tightened in issue 25): the daily job (statuses and reminder records) under 0.7 s and under 20 statements
at 10,000 pairings, with a statement count that does not depend on the number of pairings; the
emails at least 20 a second. Results are written down in docs/benchmarks.md.

It WIPES the programme's tables of the site it runs on: give it a site of its own.
"""

import argparse
import statistics
import sys
import time

from bench_site import connect

BUDGET_SECONDS = 0.7  # issue 25 (was 1 s in issue 12)
BUDGET_STATEMENTS = 20
BUDGET_EMAILS_PER_SECOND = 20.0
PAUSE_SECONDS = 3
DEFAULT_SIZES = ((1_000, 100_000), (10_000, 1_000_000))
# The programme's tables, children first; emails and reminder logs the job wrote, too.
PROGRAMME_TABLES = (
	"Contact Log",
	"Contact Month",
	"Support Area Item",
	"Pairing Goal",
	"Pairing",
	"Training Attendance",
	"Training Session",
	"Spoken Language",
	"Tutor Phase History",
	"Tutor",
	"Beneficiary",
	"Tutoring Reminder Log",
	"Email Queue Recipient",
	"Email Queue",
)


def wipe_programme_data() -> None:
	import frappe

	for doctype in PROGRAMME_TABLES:
		frappe.db.sql_ddl(f"TRUNCATE `tab{doctype}`")  # DDL: commits


def build(pairings: int, contact_logs: int, *, commit: bool) -> dict:
	import frappe

	from demo.data_generator import generate_programme_data

	summary = generate_programme_data(pairings, months=12, contact_logs=contact_logs, training_sessions=10)
	# The job's first run starts from pairings it never saw (as after an import).
	frappe.db.sql("UPDATE `tabPairing` SET compliance_status = '', late_commitments = NULL")
	if commit:
		frappe.db.commit()
	return summary


def reset_to_a_first_run(*, commit: bool) -> dict:
	"""Keep the site's programme (--reuse); forget what the job stored and sent, as after an import."""
	import frappe

	# TRUNCATE (DDL, it commits), as the wipe does: a DELETE of thousands of rows just before would
	# leave the first run's INSERTs beside the server purging them.
	for doctype in ("Tutoring Reminder Log", "Email Queue Recipient", "Email Queue"):
		frappe.db.sql_ddl(f"TRUNCATE `tab{doctype}`")
	frappe.db.sql(
		"UPDATE `tabPairing` SET compliance_status = '', late_commitments = NULL, overdue_since = NULL"
	)
	if commit:
		frappe.db.commit()
	return {"seconds": 0, "contact_logs": frappe.db.count("Contact Log")}


def time_daily_job(*, commit: bool) -> dict:
	"""One run of the scheduled job, as the scheduler runs it: wall time, statements, reminders."""
	import frappe

	from ciac_tutoring.monitoring.reminders import run_daily_monitoring
	from ciac_tutoring.tests.query_counter import count_queries

	started = time.perf_counter()
	with count_queries() as queries:
		sent = run_daily_monitoring()
	seconds = time.perf_counter() - started
	if commit:
		frappe.db.commit()
	return {"seconds": seconds, "statements": len(queries), "reminders": sum(sent.values())}


def time_email_building(*, commit: bool, limit: int | None) -> dict:
	"""The background job that renders the reminders' emails and queues them with frappe.sendmail."""
	from ciac_tutoring.monitoring.mailer import send_pending_emails
	from ciac_tutoring.tests.query_counter import count_queries

	started = time.perf_counter()
	with count_queries() as queries:
		emails = send_pending_emails(commit=commit, limit=limit)
	seconds = time.perf_counter() - started
	return {
		"seconds": seconds,
		"statements": len(queries),
		"emails": emails,
		"per_second": emails / seconds if seconds else 0.0,
	}


def time_compliance_update() -> dict:
	from ciac_tutoring.monitoring.compliance import update_compliance
	from ciac_tutoring.tests.query_counter import count_queries

	started = time.perf_counter()
	with count_queries() as queries:
		update_compliance()
	return {"seconds": time.perf_counter() - started, "statements": len(queries)}


def time_contact_log_insert(inserts: int) -> float:
	"""Mean seconds of one Contact Log insert through its controller (validation, last-contact
	refresh, the coordinator alert hook). Rolled back."""
	import frappe

	pairings = frappe.get_all("Pairing", filters={"status": "Active"}, pluck="name", limit=inserts)
	timings = []
	for index in range(inserts):
		log = frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairings[index % len(pairings)],
				"contact_date": frappe.utils.today(),
				"kind": "Phone or video call",
				"initiated_by": "Tutor",
				"duration_minutes": 20,
				"wellbeing": "Fine",
			}
		)
		started = time.perf_counter()
		log.insert()
		timings.append(time.perf_counter() - started)
	frappe.db.rollback()
	return statistics.mean(timings)


def run_benchmark(
	sizes=DEFAULT_SIZES,
	*,
	wipe: bool = True,
	commit: bool = True,
	inserts: int = 20,
	emails: int | None = 1000,
	reuse: bool = False,
	first_runs: int = 1,
) -> list[dict]:
	import frappe

	results = []
	warm_up_caches()
	for pairings, contact_logs in sizes:
		if reuse and frappe.db.count("Pairing", {"status": "Active"}) >= pairings:
			summary = reset_to_a_first_run(commit=commit)
			print(f"reusing the site's {summary['contact_logs']} contact logs: a first run again", flush=True)
		else:
			if wipe:
				wipe_programme_data()
			print(f"building {pairings} Active pairings, about {contact_logs} contact logs ...", flush=True)
			summary = build(pairings, contact_logs, commit=commit)
			print(f"  built in {summary['seconds']} s: {summary['contact_logs']} contact logs", flush=True)
		first = time_daily_job(commit=commit)
		if reuse and first_runs > 1:
			first = repeat_first_run(first, first_runs - 1, commit=commit)
		email_run = time_email_building(commit=commit, limit=emails)
		second = time_daily_job(commit=commit)
		compliance = time_compliance_update()
		insert = time_contact_log_insert(inserts)
		results.append(
			{
				"pairings": pairings,
				"contact_logs": summary["contact_logs"],
				"build_seconds": summary["seconds"],
				"first_run": first,
				"second_run": second,
				"emails": email_run,
				"compliance": compliance,
				"contact_log_insert_ms": insert * 1000,
			}
		)
		print_result(results[-1])
	return results


def repeat_first_run(first: dict, times: int, *, commit: bool) -> dict:
	"""`times` more first runs on the same data (each after a reset and a pause: the reset's writes
	are flushed before, as on a quiet night); the median's figures, with the best and the worst.
	On a shared virtual machine one run's time varies by half."""
	import frappe

	runs = [first]
	for _ in range(times):
		frappe.db.rollback()
		reset_to_a_first_run(commit=True)
		time.sleep(PAUSE_SECONDS)
		runs.append(time_daily_job(commit=False))
	frappe.db.rollback()
	reset_to_a_first_run(commit=True)
	time.sleep(PAUSE_SECONDS)
	last = time_daily_job(commit=commit)  # the outbox the email step times, kept as the first run left it
	runs.append(last)
	seconds = sorted(run["seconds"] for run in runs)
	return {
		**last,
		"seconds": statistics.median(seconds),
		"best": seconds[0],
		"worst": seconds[-1],
		"runs": len(runs),
		"statements": max(run["statements"] for run in runs),
	}


def warm_up_caches() -> None:
	"""One throw-away run, so that the measured ones do not count Frappe's first loading of
	DocType metadata and settings (statements a long-running worker never repeats)."""
	import frappe

	from ciac_tutoring.monitoring.mailer import send_pending_emails
	from ciac_tutoring.monitoring.reminders import run_daily_monitoring
	from demo.data_generator import generate_programme_data

	generate_programme_data(3, training_sessions=3)
	frappe.db.sql("UPDATE `tabPairing` SET compliance_status = ''")
	run_daily_monitoring()
	send_pending_emails(commit=False, limit=5)  # not the whole site's outbox
	frappe.db.rollback()


def buffer_pool_mb() -> int:
	import frappe

	return int(frappe.db.sql("SELECT @@innodb_buffer_pool_size")[0][0]) // 2**20


def print_result(result: dict) -> None:
	first, second, compliance = result["first_run"], result["second_run"], result["compliance"]
	emails = result["emails"]
	print(
		f"{result['pairings']:>6} pairings, {result['contact_logs']:>9} contact logs | "
		f"daily job, first run: {first['seconds']:.2f} s"
		+ (
			f" (median of {first['runs']}, best {first['best']:.2f}, worst {first['worst']:.2f})"
			if first.get("runs")
			else ""
		)
		+ f", {first['statements']} statements, "
		f"{first['reminders']} reminders | their emails (background job): {emails['seconds']:.2f} s, "
		f"{emails['statements']} statements, {emails['emails']} emails, {emails['per_second']:.1f} a second | "
		f"second run: {second['seconds']:.2f} s, "
		f"{second['statements']} statements | compliance alone: {compliance['seconds']:.2f} s, "
		f"{compliance['statements']} statements | one Contact Log insert: "
		f"{result['contact_log_insert_ms']:.1f} ms",
		flush=True,
	)


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True, help="a site of its own: its programme data is wiped")
	parser.add_argument("--pairings", type=int, nargs="*", help="sizes, e.g. 1000 10000 (100 logs each)")
	parser.add_argument("--inserts", type=int, default=20)
	parser.add_argument("--emails", type=int, default=1000, help="emails the email job is timed on")
	parser.add_argument(
		"--reuse", action="store_true", help="keep a programme of that size already on the site"
	)
	parser.add_argument(
		"--first-runs", type=int, default=5, help="with --reuse: first runs timed (the median counts)"
	)
	args = parser.parse_args()
	sizes = [(n, n * 100) for n in args.pairings] if args.pairings else DEFAULT_SIZES
	connect(args.site)
	import frappe

	try:
		print(f"MariaDB innodb_buffer_pool_size: {buffer_pool_mb()} MB", flush=True)
		results = run_benchmark(
			sizes, inserts=args.inserts, emails=args.emails, reuse=args.reuse, first_runs=args.first_runs
		)
	finally:
		frappe.destroy()
	largest = max(results, key=lambda r: r["pairings"])
	flat = all(len({r[run]["statements"] for r in results}) == 1 for run in ("first_run", "second_run"))
	within_budget = (
		largest["first_run"]["seconds"] < BUDGET_SECONDS
		and largest["first_run"]["statements"] < BUDGET_STATEMENTS
		and flat
		and all(r["emails"]["per_second"] >= BUDGET_EMAILS_PER_SECOND for r in results)
	)
	print("within budget" if within_budget else "OVER BUDGET (time, or statements growing with pairings)")
	return 0 if within_budget else 1


if __name__ == "__main__":
	sys.exit(main())
