"""Every benchmark of issue 25 in one run, on one data set, each figure against its budget.

    python3 dev/bench.py build --site bench25.localhost
    .bench/env/bin/python benchmarks/benchmark_monitoring.py --site bench25.localhost --pairings 10000
    .bench/env/bin/python benchmarks/benchmark_reports.py --site bench25.localhost --reuse --repeat 1
    .bench/env/bin/python benchmarks/benchmark_all.py --site bench25.localhost

The first two build the data once (10,000 Active pairings, about 1,000,000 contacts, their
phase history and support areas: about a quarter of an hour); this script then reuses it and runs,
one after the other: the daily job (`benchmark_monitoring.py --reuse`: a first run again, 0.7 s and
20 statements), the matching assistant at 500 x 2,000 (`benchmark_matching.py`, 2 s), every report
view (`benchmark_reports.py --reuse`, 1 s each), and the portal over HTTP with 50 tutors on two
gunicorn workers (`benchmark_portal.py --http`, p95 100 ms). Each prints its own figures against
its budget; the machine's load average (`uptime`) is printed before and after each, and a summary
at the end. The portal step adds its 50 tutors to the site (a second run reuses them).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent


def steps(site: str, args) -> list[tuple[str, list[str]]]:
	return [
		(
			"daily job, first run: < 0.7 s and < 20 statements",
			["benchmark_monitoring.py", "--site", site, "--reuse", "--pairings", "10000", "--emails", "100"],
		),
		("Matching Plan 500 x 2,000: < 2 s", ["benchmark_matching.py", "--site", site]),
		(
			"every report view: < 1 s",
			["benchmark_reports.py", "--site", site, "--reuse", "--repeat", str(args.repeat)],
		),
		(
			"portal, 50 tutors, 2 gunicorn workers: p95 < 100 ms",
			[
				"benchmark_portal.py",
				"--site",
				site,
				"--http",
				"--tutors",
				str(args.tutors),
				"--workers",
				"2",
				"--seconds",
				str(args.seconds),
			],
		),
	]


def uptime() -> str:
	return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument("--tutors", type=int, default=50)
	parser.add_argument("--seconds", type=int, default=60)
	args = parser.parse_args()
	summary = []
	for budget, command in steps(args.site, args):
		print(f"\n=== {budget}\n    {uptime()}", flush=True)
		started = time.monotonic()
		result = subprocess.run(
			[sys.executable, str(BENCHMARKS / command[0]), *command[1:]],
			env={**os.environ, "PYTHONUNBUFFERED": "1"},
		)
		print(f"    {uptime()}", flush=True)
		summary.append((budget, result.returncode == 0, time.monotonic() - started))
	print("\n=== summary")
	for budget, within, seconds in summary:
		print(f"{'within budget' if within else 'OVER BUDGET':<14} {budget}  ({seconds:.0f} s)")
	return 0 if all(within for _b, within, _s in summary) else 1


if __name__ == "__main__":
	sys.exit(main())
