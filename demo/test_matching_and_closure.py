"""The issue-14 demo step: closures with outcomes, a matching session and a signed agreement."""

import frappe

from demo import base as base_demo
from demo import matching_and_closure as demo


def test_the_demo_closes_pairings_proposes_a_match_and_records_a_signature():
	base_demo.load()
	demo.load()
	demo.load()  # idempotent

	closed = frappe.get_all(
		"Pairing",
		{"status": "Closed", "closure_initiated_by": ("is", "set"), "tutor_name": ("like", "%")},
		["name", "tutor", "tutor_available_again"],
	)
	assert len(closed) >= len(demo.CLOSURES)
	for row in closed:
		goals = frappe.get_all(
			"Pairing Goal",
			{"parenttype": "Pairing", "parentfield": "goals", "parent": row.name},
			["initial_progress", "final_progress"],
		)
		assert goals and all(goal.final_progress for goal in goals)
	phase = {
		email: frappe.db.get_value("Tutor", {"email": email}, "workflow_state")
		for email, *_rest in demo.CLOSURES
	}
	assert phase["anna.conti@ciac.example"] == "Concluded"
	assert phase["famiglia.rossi@ciac.example"] == "Monitoring"  # still follows another pairing
	assert phase["luca.bianchi@ciac.example"] in ("Presentation", "Tutoring Started")

	ibrahima = demo.beneficiary_named(*demo.MATCHED_BENEFICIARY)
	proposal = frappe.get_all(
		"Pairing", {"beneficiary": ibrahima, "status": "Proposed"}, ["notes", "coordinator"]
	)
	assert len(proposal) == 1 and "assistente agli abbinamenti" in proposal[0].notes
	assert proposal[0].coordinator == base_demo.COORDINATOR  # the agreement prints who proposed it

	tutor = frappe.db.get_value("Tutor", {"email": demo.DEMO_TUTOR})
	signed = frappe.db.get_value(
		"Pairing", {"tutor": tutor, "status": "Active"}, ["agreement_signed_on", "agreement_signed_by"]
	)
	assert signed[0] and "Chiara Greco" in signed[1]
	assert frappe.db.count("Municipality Distance", {"municipality": "Parma"}) >= 6
