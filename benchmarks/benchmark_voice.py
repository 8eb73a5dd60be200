"""Time what the beneficiaries' check-ins add, on generated data, then roll everything back.

    .bench/env/bin/python benchmarks/benchmark_voice.py --site test.localhost [--pairings 2000]

Generates `--pairings` Active pairings with their contacts (demo.data_generator, not committed),
a year of fortnightly check-ins for each (26 per pairing, four in five answered, some
confirming contacts, some disagreeing), then times, best and median of --repeat runs against the
1 s budget: the daily job's query of due links, the check-in columns of Pairing Compliance
(`voice_by_pairing` over every Active pairing), the whole Pairing Compliance report and the
programme-wide summary of Programme Outcomes. Nothing is committed.
"""

import argparse
import random
import statistics
import sys
import time

from bench_site import connect

BUDGET_SECONDS = 1.0
PERIODS, EVERY = 26, 14
CHECK_IN = "Beneficiary Check-in"


def build(pairings: int) -> int:
	import frappe
	from frappe.utils import add_days, getdate, now_datetime, today

	from demo.data_generator import generate_programme_data

	if frappe.db.count(CHECK_IN):  # --commit kept them: time them again
		return frappe.db.count(CHECK_IN)
	generate_programme_data(pairings=pairings, months=12)
	rng = random.Random(26)
	rows = []
	now = now_datetime()
	active = frappe.get_all("Pairing", filters={"status": "Active"}, fields=["name", "beneficiary"])
	frappe.db.sql("UPDATE `tabBeneficiary` SET check_in_messages = 1")
	for pairing in active:
		for index in range(PERIODS):
			period = add_days(getdate(today()), -EVERY * (PERIODS - index))
			answered = rng.random() < 0.8
			rows.append(
				(
					f"CHK-{pairing.name}-{period}",
					pairing.name,
					pairing.beneficiary,
					period,
					now,
					now if answered else None,
					rng.choice(("Yes", "No")) if answered else "",
					rng.choice(("", "", "", "Meeting not confirmed")) if answered else "",
					now,
					now,
				)
			)
	for start in range(0, len(rows), 5000):
		frappe.db.bulk_insert(
			"Beneficiary Check-in",
			["name", "pairing", "beneficiary", "period", "link_sent_on", "submitted_on", "heard_from_tutor",
			 "disagreement", "creation", "modified"],
			rows[start : start + 5000],
		)  # fmt: skip
	frappe.db.sql("UPDATE `tabContact Log` SET confirmed_by_beneficiary = 1 WHERE MOD(CRC32(name), 3) = 0")
	from ciac_tutoring.monitoring.doctype.contact_month.contact_month import rebuild

	rebuild()  # the generator writes contacts in SQL, without the controller that counts them
	return len(rows)


def timed(label: str, run, repeat: int) -> bool:
	run()  # warm-up
	times = []
	for _ in range(repeat):
		started = time.perf_counter()
		run()
		times.append(time.perf_counter() - started)
	best, median = min(times), statistics.median(times)
	ok = median <= BUDGET_SECONDS
	print(
		f"  {label:<48} best {best:6.3f} s  median {median:6.3f} s  {'ok' if ok else 'OVER'} (budget {BUDGET_SECONDS} s)"
	)
	return ok


def main() -> int:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--pairings", type=int, default=2000)
	parser.add_argument("--repeat", type=int, default=3)
	parser.add_argument(
		"--commit",
		action="store_true",
		help="keep the data (on a site of its own): indexes then cover the reads",
	)
	args = parser.parse_args()
	connect(args.site)
	import frappe

	from ciac_tutoring.beneficiary_voice import reporting, sending
	from ciac_tutoring.monitoring.report.pairing_compliance import pairing_compliance

	try:
		started = time.monotonic()
		check_ins = build(args.pairings)
		if args.commit:
			frappe.db.commit()
		active = frappe.get_all("Pairing", filters={"status": "Active"}, pluck="name")
		print(
			f"{len(active)} active pairings, {check_ins} check-ins, built in {time.monotonic() - started:.0f} s"
		)
		results = [
			timed("due check-in links (daily job's query)", sending.due_links, args.repeat),
			timed(
				"voice_by_pairing (every Active pairing)",
				lambda: reporting.voice_by_pairing(active),
				args.repeat,
			),
			timed(
				"Pairing Compliance (default filters)", lambda: pairing_compliance.execute({}), args.repeat
			),
			timed("Programme Outcomes' check-in summary", reporting.programme_voice, args.repeat),
		]
	finally:
		frappe.db.rollback()
		frappe.destroy()
	return 0 if all(results) else 1


if __name__ == "__main__":
	sys.exit(main())
