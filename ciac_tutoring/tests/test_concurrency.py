"""Saves that race: two database connections (threads) save at the same moment.

- Two pairings for one beneficiary: exactly one is saved, the other is refused (one open pairing).
- Two contact logs on one pairing: both are saved, no deadlock, and the pairing's last-contact
  dates are the latest of both.
- Contact logs of different pairings at once: all are saved and counted in Contact Activity's
  rollup (its recounts of neighbouring months deadlocked before they were serialised).
"""

import threading

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from ciac_tutoring.pairing.doctype.pairing.pairing import OpenPairingExistsError
from ciac_tutoring.tests.portal_data import (
	delete_rows,
	make_active_pairing,
	make_beneficiary,
	make_tutor,
)

TRIES = 5


def race(*jobs) -> list:
	"""Run each job in its own thread and database connection, all released at once; returns what
	each returned (after its commit) or the exception it raised (after its rollback)."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	start = threading.Barrier(len(jobs))
	results = [None] * len(jobs)

	def run(index, job):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			doc = job()
			start.wait(timeout=30)
			doc.insert()
			frappe.db.commit()  # nosemgrep: each thread is a separate client
			results[index] = doc.name
		except Exception as error:
			frappe.db.rollback()
			results[index] = error
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)
	return results


@pytest.fixture
def tutors():
	"""Three tutors with room for pairings, committed: the racing connections must see them."""
	names = [make_tutor(f"race-{index}-{frappe.generate_hash(length=6)}") for index in range(3)]
	frappe.db.set_value("Tutor", {"name": ("in", names)}, "capacity", 10)
	# An active pairing for the contact logs; it also starts the year's naming series, whose first
	# row two racing inserts would both create (Frappe's, not the rule under test).
	beneficiaries = [make_beneficiary(f"racelog{frappe.generate_hash(length=4)}")]
	pairing = make_active_pairing(names[2], beneficiaries[0])
	frappe.db.commit()  # nosemgrep: read by the other connections
	yield frappe._dict(names=names, beneficiaries=beneficiaries, pairing=pairing)
	frappe.db.rollback()
	pairings = frappe.get_all("Pairing", filters={"tutor": ("in", names)}, pluck="name")
	delete_rows(
		"Contact Log",
		frappe.get_all("Contact Log", filters={"pairing": ("in", pairings or [""])}, pluck="name"),
	)
	delete_rows("Pairing", pairings)
	delete_rows("Beneficiary", beneficiaries)
	delete_rows("Tutor", names)
	frappe.db.commit()  # nosemgrep: undo what this test committed


def proposed_pairing(tutor: str, beneficiary: str):
	def build():
		return frappe.get_doc(
			{
				"doctype": "Pairing",
				"tutor": tutor,
				"beneficiary": beneficiary,
				"status": "Proposed",
				"presentation_date": add_days(nowdate(), -5),
			}
		)

	return build


def test_one_open_pairing_per_beneficiary_holds_when_two_are_saved_at_once(tutors):
	for attempt in range(TRIES):
		beneficiary = make_beneficiary(f"race{attempt}{frappe.generate_hash(length=4)}")
		tutors.beneficiaries.append(beneficiary)
		frappe.db.commit()  # nosemgrep: read by the other connections
		results = race(
			proposed_pairing(tutors.names[0], beneficiary), proposed_pairing(tutors.names[1], beneficiary)
		)
		saved = [result for result in results if isinstance(result, str)]
		refused = [result for result in results if isinstance(result, OpenPairingExistsError)]
		assert len(saved) == 1 and len(refused) == 1, results
		frappe.db.rollback()
		assert frappe.db.count("Pairing", {"beneficiary": beneficiary}) == 1


def contact(pairing: str, days_ago: int, kind: str):
	def build():
		return frappe.get_doc(
			{
				"doctype": "Contact Log",
				"pairing": pairing,
				"contact_date": add_days(nowdate(), -days_ago),
				"kind": kind,
				"wellbeing": "Fine",
			}
		)

	return build


def test_contact_logs_saved_at_once_on_one_pairing_all_save_and_keep_the_latest_dates(tutors):
	pairing = tutors.pairing
	for attempt in range(TRIES):
		results = race(
			contact(pairing, 10 - attempt, "Phone or video call"),
			contact(pairing, 20 - attempt, "Phone or video call"),
			contact(pairing, 15 - attempt, "In-person meeting"),
		)
		assert all(isinstance(result, int | str) for result in results), results
		frappe.db.rollback()
		assert frappe.db.count("Contact Log", {"pairing": pairing}) == 3 * (attempt + 1)
		last_phone, last_meeting = frappe.db.get_value(
			"Pairing", pairing, ["last_phone_contact", "last_meeting"]
		)
		assert getdate(last_phone) == getdate(add_days(nowdate(), -(10 - attempt)))
		assert getdate(last_meeting) == getdate(add_days(nowdate(), -(15 - attempt)))


def test_contact_logs_saved_at_once_on_different_pairings_all_save_and_are_counted(tutors):
	# Each log recounts its pairing's month of Contact Activity's rollup (a DELETE and an INSERT
	# of that month's rows): logs of different pairings, in months no row holds yet, must not
	# lock each other out.
	pairings = [tutors.pairing]
	for index in range(2):
		beneficiary = make_beneficiary(f"racelog{frappe.generate_hash(length=4)}")
		tutors.beneficiaries.append(beneficiary)
		pairings.append(make_active_pairing(tutors.names[index], beneficiary))
	frappe.db.commit()  # nosemgrep: read by the other connections
	try:
		for attempt in range(TRIES):
			results = race(
				*(contact(pairing, 5 + 35 * attempt, "Phone or video call") for pairing in pairings)
			)
			assert all(isinstance(result, int | str) for result in results), results
			frappe.db.rollback()
		counted = frappe.db.sql(
			"""SELECT COUNT(*) FROM `tabContact Log` WHERE pairing IN %(p)s""", {"p": pairings}
		)[0][0]
		in_rollup = frappe.db.sql(
			"""SELECT SUM(contacts) FROM `tabContact Month` WHERE pairing IN %(p)s
			AND support_area IS NULL""",
			{"p": pairings},
		)[0][0]
		assert counted == in_rollup == len(pairings) * TRIES
	finally:
		frappe.db.sql("DELETE FROM `tabContact Month` WHERE pairing IN %(p)s", {"p": pairings})
		frappe.db.commit()  # nosemgrep: undo what this test committed
