"""Insurance of the volunteers: the Tutoring Started gate, the report of active tutors not covered,
the reminder before a policy ends."""

import frappe
import pytest
from frappe.utils import add_days, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.activation.workflow_gates import PhaseGateError
from ciac_tutoring.tests import portal_data
from ciac_tutoring.tests.test_workflow import act, propose_pairing, tutor_at
from ciac_tutoring.third_sector import register
from ciac_tutoring.third_sector.report.tutors_without_insurance import tutors_without_insurance
from ciac_tutoring.third_sector.tests.third_sector_data import insure
from ciac_tutoring.validation import InvalidFieldsError


def presented_tutor():
	tutor = tutor_at(gates.PRESENTATION)
	propose_pairing(tutor, presentation_date=today())
	return tutor


def test_tutoring_started_is_refused_without_cover_then_passes_with_it():
	tutor = presented_tutor()
	with pytest.raises(
		PhaseGateError, match="covers the tutor for injury and illness; .* for civil liability"
	):
		act(tutor, "Start Tutoring")
	assert frappe.db.get_value("Tutor", tutor.name, "workflow_state") == gates.PRESENTATION

	insure([tutor.name], civil_liability=0)
	with pytest.raises(PhaseGateError, match="for civil liability") as refusal:
		act(tutor, "Start Tutoring")
	assert "injury" not in str(refusal.value)

	insure([tutor.name], injury=0)
	tutor = act(tutor, "Start Tutoring")
	assert tutor.workflow_state == gates.TUTORING_STARTED
	# entering Tutoring Started enters the tutor in the volunteers' register
	status = register.current_status(tutor.name)
	assert (status.standing, str(status.start_date)) == (register.ENROLMENT, today())


def test_a_policy_expired_or_not_yet_in_force_does_not_cover():
	tutor = presented_tutor()
	insure([tutor.name], valid_from=add_days(today(), -400), valid_to=add_days(today(), -1))
	insure([tutor.name], valid_from=add_days(today(), 1), valid_to=add_days(today(), 300))
	with pytest.raises(PhaseGateError, match="injury and illness"):
		act(tutor, "Start Tutoring")


def test_the_refusal_is_in_italian():
	tutor = presented_tutor()
	frappe.local.lang = "it"
	with pytest.raises(PhaseGateError) as refusal:
		act(tutor, "Start Tutoring")
	message = str(refusal.value)
	assert "nessuna polizza in vigore copre il tutor per infortuni e malattie" in message
	assert "per responsabilità civile" in message


@pytest.mark.parametrize(
	"values, field",
	[
		({"valid_to": add_days(today(), -300)}, "valid_to"),
		({"injury": 0, "civil_liability": 0}, "covers_injury"),
	],
)
def test_a_wrong_policy_is_refused_next_to_its_field(values, field):
	count = frappe.db.count("Insurance Policy")
	with pytest.raises(InvalidFieldsError) as refusal:
		insure([], valid_from=add_days(today(), -10), **values)
	assert field in refusal.value.errors
	assert frappe.db.count("Insurance Policy") == count


def test_the_report_lists_active_tutors_lacking_a_cover():
	covered = portal_data.make_tutor("ins-covered")
	half = portal_data.make_tutor("ins-half", phase=gates.MONITORING)
	bare = portal_data.make_tutor("ins-bare")
	not_active = portal_data.make_tutor("ins-training", phase=gates.TRAINING)
	insure([covered, half], civil_liability=0)
	insure([covered])
	columns, rows = tutors_without_insurance.execute({"on_date": today()})
	by_tutor = {row["tutor"]: row for row in rows}
	assert covered not in by_tutor and not_active not in by_tutor
	assert by_tutor[half]["missing_cover"] == "civil liability"
	assert by_tutor[bare]["missing_cover"] == "injury and illness, civil liability"


def test_a_tutor_may_not_run_the_report():
	user = portal_data.make_portal_user("ins-tutor@portal-test.example", "Ins")
	frappe.set_user(user)
	try:
		with pytest.raises(frappe.PermissionError):
			tutors_without_insurance.execute({})
	finally:
		frappe.set_user("Administrator")


def test_staff_are_reminded_30_days_before_a_policy_ends():
	ending = insure([], valid_to=add_days(today(), 30))
	later = insure([], valid_to=add_days(today(), 31))
	notification = frappe.get_doc("Notification", "Insurance Policy Ending")
	assert notification.enabled and notification.event == "Days Before" and notification.days_in_advance == 30
	due = [doc.name for doc in notification.get_documents_for_today()]
	assert ending in due and later not in due
	doc = frappe.get_doc("Insurance Policy", ending)
	frappe.local.lang = "it"
	subject = frappe.render_template(notification.subject, {"doc": doc, "_": frappe._})
	assert subject.startswith(f"La polizza {doc.policy_number} scade il")
	assert {row.receiver_by_role for row in notification.recipients} == {"CIAC Manager", "CIAC Coordinator"}
