import frappe

from ciac_tutoring.activation import workflow_gates as gates
from demo import workflow as demo


def test_demo_walks_tutors_into_every_phase_and_side_state_once():
	demo.walk_demo_tutors()
	demo.walk_demo_tutors()  # a second load changes nothing

	phases = {}
	for email, *_rest, target in demo.WALKED_TUTORS:
		tutor = frappe.get_doc("Tutor", {"email": email})
		assert tutor.workflow_state == target, email
		phases[target] = tutor
		# one history row per step taken, from the creation on
		assert [row.to_phase for row in tutor.phase_history][-1] == target
		assert len({row.to_phase for row in tutor.phase_history}) == len(tutor.phase_history)
	assert set(phases) >= {*gates.PHASES[1:], gates.NOT_SUITABLE, gates.CONCLUDED}

	def pairing_statuses(phase):
		return frappe.get_all("Pairing", {"tutor": phases[phase].name}, pluck="status")

	assert pairing_statuses(gates.TUTORING_STARTED) == ["Active"]
	assert pairing_statuses(gates.MONITORING) == ["Active"]
	assert pairing_statuses(gates.CONCLUDED) == ["Closed"]
	assert phases[gates.TRAINING].user
