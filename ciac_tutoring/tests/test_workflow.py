"""The "Tutor Activation" workflow: the six phases, their gates, history and effects."""

import email
import email.header

import frappe
import pytest
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, add_to_date, now_datetime, today

from ciac_tutoring.activation import workflow_gates as gates
from ciac_tutoring.activation.workflow_gates import PairingActivationError, PhaseGateError
from ciac_tutoring.tests.factory import make_beneficiary, make_tutor, make_user

COORDINATOR = "CIAC Coordinator"
MANAGER = "CIAC Manager"


# --- workflow steps --------------------------------------------------------------------


def act(tutor, action: str):
	"""Take a workflow action as the desk does, and return the saved tutor."""
	return apply_workflow(frappe.get_doc("Tutor", tutor.name), action)


def record_interview(tutor, **values):
	tutor = frappe.get_doc("Tutor", tutor.name)
	tutor.update(
		{
			"interview_date": today(),
			"interviewer": "Administrator",
			"interview_outcome": "Suitable",
			**values,
		}
	)
	return tutor.save()


def attend_training(tutor, hours: float):
	starts_on = add_days(now_datetime(), -3)
	frappe.get_doc(
		{
			"doctype": "Training Session",
			"title": "Formazione tutor",
			"starts_on": starts_on,
			"ends_on": add_to_date(starts_on, hours=hours),
			"status": "Held",
			"attendees": [{"tutor": tutor.name, "attendance": "Attended"}],
		}
	).insert()


def propose_pairing(tutor, presentation_date=None):
	return frappe.get_doc(
		{
			"doctype": "Pairing",
			"tutor": tutor.name,
			"beneficiary": make_beneficiary().name,
			"status": "Proposed",
			"presentation_date": presentation_date,
		}
	).insert()


def log_contact(pairing: str, kind: str = gates.MONITORING_MEETING):
	return frappe.get_doc(
		{"doctype": "Contact Log", "pairing": pairing, "kind": kind, "initiated_by": "CIAC"}
	).insert()


def close_pairing(pairing: str, **values):
	from ciac_tutoring.pairing.doctype.pairing.test_pairing import close

	return close(
		frappe.get_doc("Pairing", pairing),
		frappe.get_all("Closure Reason", pluck="name", limit=1)[0],
		**values,
	)


def insure(tutor):
	"""The injury and civil liability cover a tutor needs to start tutoring (Third Sector gate)."""
	return frappe.get_doc(
		{
			"doctype": "Insurance Policy",
			"insurer": "Cattolica Assicurazioni",
			"policy_number": f"WF-{frappe.generate_hash(length=8)}",
			"covers_injury": 1,
			"covers_civil_liability": 1,
			"valid_from": add_days(today(), -30),
			"valid_to": add_days(today(), 335),
			"tutors": [{"tutor": tutor.name}],
		}
	).insert()


def tutor_at(phase: str):
	"""A tutor brought to `phase` by the workflow, meeting every gate on the way."""
	tutor = make_tutor()
	if phase == gates.AVAILABILITY_NOTIFIED:
		return tutor
	tutor = act(tutor, "Schedule Interview")
	if phase == gates.INTERVIEW:
		return tutor
	record_interview(tutor)
	tutor = act(tutor, "Admit to Training")
	if phase == gates.TRAINING:
		return tutor
	attend_training(tutor, 9)
	tutor = act(tutor, "Move to Presentation")
	if phase == gates.PRESENTATION:
		return tutor
	propose_pairing(tutor, presentation_date=today())
	insure(tutor)
	tutor = act(tutor, "Start Tutoring")
	if phase == gates.TUTORING_STARTED:
		return tutor
	log_contact(active_pairing(tutor))
	tutor = act(tutor, "Start Monitoring")
	assert phase == gates.MONITORING
	return tutor


def active_pairing(tutor) -> str:
	return frappe.get_all("Pairing", filters={"tutor": tutor.name, "status": "Active"}, pluck="name")[0]


def stored_phase(tutor) -> str:
	return frappe.db.get_value("Tutor", tutor.name, "workflow_state")


def history_length(tutor) -> int:
	return frappe.db.count("Tutor Phase History", {"parent": tutor.name, "parenttype": "Tutor"})


def assert_refused(tutor, action: str, exc=PhaseGateError, match: str | None = None):
	"""The action is refused with `exc` and nothing of the tutor changes."""
	phase, rows = stored_phase(tutor), history_length(tutor)
	with pytest.raises(exc, match=match):
		act(tutor, action)
	assert stored_phase(tutor) == phase
	assert history_length(tutor) == rows


# --- the shipped workflow ----------------------------------------------------------------


def test_workflow_has_the_six_phases_in_order_then_the_side_states():
	workflow = frappe.get_doc("Workflow", gates.WORKFLOW_NAME)
	assert workflow.is_active and workflow.document_type == "Tutor"
	assert workflow.workflow_state_field == "workflow_state"
	assert [row.state for row in workflow.states] == [*gates.PHASES, *gates.SIDE_STATES]
	assert {row.allowed for row in workflow.transitions} == {COORDINATOR, MANAGER}


def test_a_new_tutor_starts_at_availability_notified_with_a_history_row():
	tutor = make_tutor()
	assert tutor.workflow_state == gates.AVAILABILITY_NOTIFIED
	assert tutor.phase_changed_on
	[row] = tutor.phase_history
	assert (row.from_phase, row.to_phase, row.changed_by) == (
		None,
		gates.AVAILABILITY_NOTIFIED,
		"Administrator",
	)


# --- the whole path ----------------------------------------------------------------------


def test_walk_a_tutor_through_the_six_phases_into_concluded():
	tutor = make_tutor()
	tutor = act(tutor, "Schedule Interview")
	assert tutor.workflow_state == gates.INTERVIEW

	record_interview(tutor)
	tutor = act(tutor, "Admit to Training")
	assert tutor.workflow_state == gates.TRAINING
	assert tutor.user == tutor.email, "entering Training activates the portal user"
	assert "Tutor" in frappe.get_roles(tutor.user)

	attend_training(tutor, 9)
	tutor = act(tutor, "Move to Presentation")
	assert tutor.workflow_state == gates.PRESENTATION

	pairing = propose_pairing(tutor, presentation_date=add_days(today(), -1))
	insure(tutor)
	tutor = act(tutor, "Start Tutoring")
	assert tutor.workflow_state == gates.TUTORING_STARTED
	pairing.reload()
	assert (pairing.status, str(pairing.start_date)) == ("Active", today())

	log_contact(pairing.name)
	tutor = act(tutor, "Start Monitoring")
	assert tutor.workflow_state == gates.MONITORING

	# closing the last pairing of a tutor who is not available again concludes the programme
	close_pairing(pairing.name)
	tutor.reload()
	assert tutor.workflow_state == gates.CONCLUDED

	history = frappe.get_doc("Tutor", tutor.name).phase_history
	assert [(row.from_phase, row.to_phase) for row in history] == [
		(None, gates.AVAILABILITY_NOTIFIED),
		(gates.AVAILABILITY_NOTIFIED, gates.INTERVIEW),
		(gates.INTERVIEW, gates.TRAINING),
		(gates.TRAINING, gates.PRESENTATION),
		(gates.PRESENTATION, gates.TUTORING_STARTED),
		(gates.TUTORING_STARTED, gates.MONITORING),
		(gates.MONITORING, gates.CONCLUDED),
	]
	assert all(row.changed_by == "Administrator" and row.changed_on for row in history)


def test_a_failed_presentation_goes_back_to_training():
	tutor = tutor_at(gates.PRESENTATION)
	tutor = act(tutor, "Back to Training")
	assert tutor.workflow_state == gates.TRAINING


# --- skips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"target", [gates.TRAINING, gates.PRESENTATION, gates.TUTORING_STARTED, gates.MONITORING, gates.CONCLUDED]
)
def test_skipping_ahead_by_setting_the_phase_is_refused(target):
	tutor = make_tutor()
	tutor.workflow_state = target
	# the phase's own gates or Frappe's transition check refuse it, whichever speaks first
	with pytest.raises((PhaseGateError, WorkflowPermissionError)):
		tutor.save()
	assert stored_phase(tutor) == gates.AVAILABILITY_NOTIFIED
	assert history_length(tutor) == 1


@pytest.mark.parametrize(
	"action", ["Admit to Training", "Move to Presentation", "Start Tutoring", "Conclude"]
)
def test_an_action_of_another_phase_is_refused(action):
	assert_refused(make_tutor(), action, exc=WorkflowTransitionError)


def test_a_new_tutor_cannot_be_created_in_a_later_phase():
	with pytest.raises(PhaseGateError):
		make_tutor(workflow_state=gates.TRAINING)
	# even with every precondition met, Frappe's workflow refuses the jump
	with pytest.raises(WorkflowPermissionError):
		make_tutor(
			workflow_state=gates.INTERVIEW,
		)


def test_a_skip_transition_added_by_an_admin_still_meets_the_gates():
	workflow = frappe.get_doc("Workflow", gates.WORKFLOW_NAME)
	workflow.append(
		"transitions",
		{
			"state": gates.AVAILABILITY_NOTIFIED,
			"action": "Move to Presentation",
			"next_state": gates.PRESENTATION,
			"allowed": COORDINATOR,
			"allow_self_approval": 1,
		},
	)
	workflow.save()
	assert_refused(make_tutor(), "Move to Presentation", match="interview date is missing")


def test_a_coordinator_takes_the_day_to_day_transitions():
	tutor = make_tutor()
	frappe.set_user(make_user(roles=(COORDINATOR,)).name)
	tutor = act(tutor, "Schedule Interview")
	assert tutor.phase_history[-1].changed_by == frappe.session.user
	frappe.set_user("Administrator")
	assert stored_phase(tutor) == gates.INTERVIEW


@pytest.mark.parametrize("role", [MANAGER, "Tutor"])
def test_other_roles_cannot_take_a_coordinator_transition(role):
	tutor = make_tutor()
	frappe.set_user(make_user(roles=(role,)).name)
	with pytest.raises((WorkflowTransitionError, frappe.PermissionError)):
		act(tutor, "Schedule Interview")
	frappe.set_user("Administrator")
	assert stored_phase(tutor) == gates.AVAILABILITY_NOTIFIED


def test_a_tutor_without_coordinator_roles_cannot_take_a_transition():
	tutor = make_tutor()
	frappe.set_user("Guest")
	with pytest.raises(frappe.PermissionError):
		act(tutor, "Schedule Interview")
	frappe.set_user("Administrator")
	assert stored_phase(tutor) == gates.AVAILABILITY_NOTIFIED


# --- missing preconditions ---------------------------------------------------------------


def test_interview_needs_the_mobile_number():
	assert_refused(make_tutor(mobile=None), "Schedule Interview", match="mobile number is missing")


@pytest.mark.parametrize(
	"missing, message",
	[
		({"interview_date": None}, "interview date is missing"),
		({"interviewer": None}, "interviewer is missing"),
		({"interview_outcome": ""}, "outcome is not Suitable"),
		({"interview_outcome": "Not suitable"}, "outcome is not Suitable"),
	],
)
def test_training_needs_the_interview_recorded(missing, message):
	tutor = tutor_at(gates.INTERVIEW)
	record_interview(tutor, **missing)
	assert_refused(tutor, "Admit to Training", match=message)
	assert not frappe.db.get_value("Tutor", tutor.name, "user"), "no portal user for a refused move"


def test_presentation_needs_the_minimum_training_hours():
	tutor = tutor_at(gates.TRAINING)
	attend_training(tutor, 3)
	assert_refused(tutor, "Move to Presentation", match="3.0 training hours attended, at least 8 required")


def test_tutoring_needs_a_proposed_pairing():
	assert_refused(tutor_at(gates.PRESENTATION), "Start Tutoring", match="no Proposed pairing")


def test_tutoring_needs_the_presentation_date_on_the_pairing():
	tutor = tutor_at(gates.PRESENTATION)
	pairing = propose_pairing(tutor, presentation_date=None)
	assert_refused(tutor, "Start Tutoring", match="no Proposed pairing with a presentation date")
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Proposed"


def test_tutoring_cannot_start_more_pairings_than_the_capacity():
	from ciac_tutoring.pairing.doctype.pairing.pairing import TutorCapacityError

	tutor = tutor_at(gates.PRESENTATION)
	propose_pairing(tutor, presentation_date=today())
	# A proposal holds one of the tutor's places: a second one is refused when proposed...
	with pytest.raises(TutorCapacityError):
		propose_pairing(tutor, presentation_date=today())
	# ...and the gate refuses to start proposals made over capacity before that rule (a record
	# whose capacity was lowered by an import).
	frappe.db.set_value("Tutor", tutor.name, "capacity", 2)
	propose_pairing(tutor, presentation_date=today())
	frappe.db.set_value("Tutor", tutor.name, "capacity", 1)
	tutor.reload()
	assert_refused(
		tutor, "Start Tutoring", match="starting 2 pairings would exceed the tutor's capacity of 1"
	)
	assert frappe.get_all("Pairing", {"tutor": tutor.name}, pluck="status") == ["Proposed", "Proposed"]


def test_monitoring_needs_a_ciac_monitoring_meeting():
	tutor = tutor_at(gates.TUTORING_STARTED)
	log_contact(active_pairing(tutor), kind="Phone or video call")
	assert_refused(tutor, "Start Monitoring", match="no CIAC monitoring meeting")


def test_concluding_needs_every_pairing_closed():
	tutor = tutor_at(gates.MONITORING)
	assert_refused(tutor, "Conclude", match="pairings not yet Closed")


def test_withdrawing_needs_the_pairings_closed_first():
	tutor = tutor_at(gates.PRESENTATION)
	propose_pairing(tutor, presentation_date=today())
	assert_refused(tutor, "Withdraw", match="pairings not yet Closed")


def test_a_tutor_may_withdraw_and_come_back():
	tutor = act(tutor_at(gates.INTERVIEW), "Withdraw")
	assert tutor.workflow_state == gates.WITHDRAWN
	assert act(tutor, "Reactivate").workflow_state == gates.AVAILABILITY_NOTIFIED


# --- pairings ----------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [gates.AVAILABILITY_NOTIFIED, gates.INTERVIEW, gates.TRAINING])
def test_a_pairing_cannot_be_created_active_before_phase_4(phase):
	tutor = tutor_at(phase)
	with pytest.raises(PairingActivationError):
		frappe.get_doc(
			{
				"doctype": "Pairing",
				"tutor": tutor.name,
				"beneficiary": make_beneficiary().name,
				"status": "Active",
			}
		).insert()


def test_a_proposed_pairing_cannot_be_made_active_before_phase_4():
	tutor = tutor_at(gates.TRAINING)
	pairing = propose_pairing(tutor, presentation_date=today())
	pairing.status = "Active"
	with pytest.raises(PairingActivationError):
		pairing.save()
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Proposed"


def test_a_pairing_may_be_made_active_from_phase_4():
	tutor = tutor_at(gates.PRESENTATION)
	pairing = propose_pairing(tutor, presentation_date=today())
	pairing.status = "Active"
	pairing.save()
	assert frappe.db.get_value("Pairing", pairing.name, "status") == "Active"


# --- phase history -----------------------------------------------------------------------


def test_the_history_counts_the_days_spent_in_the_previous_phase():
	tutor = tutor_at(gates.INTERVIEW)
	five_days_ago = add_days(now_datetime(), -5)
	frappe.db.set_value("Tutor", tutor.name, "phase_changed_on", five_days_ago)
	tutor.reload()

	record_interview(tutor)
	tutor = act(tutor, "Admit to Training")
	last = tutor.phase_history[-1]
	assert (last.from_phase, last.to_phase, last.days_in_previous_phase) == (
		gates.INTERVIEW,
		gates.TRAINING,
		5,
	)
	assert frappe.utils.date_diff(now_datetime(), tutor.phase_changed_on) == 0


def test_an_unchanged_phase_adds_no_history():
	tutor = make_tutor()
	tutor.availability_notes = "Weekends"
	tutor.save()
	assert history_length(tutor) == 1


# --- notifications -----------------------------------------------------------------------


@pytest.fixture
def outgoing_email():
	"""A default outgoing account: without one Frappe cannot queue any email."""
	frappe.local.outgoing_email_account = {}  # Frappe caches the lookup for the request
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "CIAC Test Outgoing",
			"email_id": "tutoring@ciac.example",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.ciac.example",
		}
	).insert()
	yield account
	frappe.local.outgoing_email_account = {}


def make_coordinator() -> str:
	email = f"coord-{frappe.generate_hash(length=6)}@ciac.example"
	frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "Coordinatrice", "roles": [{"role": COORDINATOR}]}
	).insert()
	return email


def sent_emails(tutor) -> list[dict]:
	"""Subject, HTML content and recipients of the emails queued about this tutor, oldest first."""
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Tutor", "reference_name": tutor.name},
		fields=["name", "message"],
		order_by="creation, name",
	)
	emails = []
	for queue in queued:
		mime = email.message_from_string(queue.message)
		html = next(part for part in mime.walk() if part.get_content_type() == "text/html")
		emails.append(
			{
				"subject": str(email.header.make_header(email.header.decode_header(mime["Subject"]))),
				"content": html.get_payload(decode=True).decode(html.get_content_charset() or "utf-8"),
				"to": set(frappe.get_all("Email Queue Recipient", {"parent": queue.name}, pluck="recipient")),
			}
		)
	return emails


def test_a_new_tutor_is_thanked_and_the_coordinators_are_told(outgoing_email):
	coordinator = make_coordinator()
	frappe.db.set_single_value("Tutoring Settings", "coordinator_email", "office@ciac.example")
	frappe.clear_document_cache("Tutoring Settings", "Tutoring Settings")

	tutor = make_tutor(tutor_name="Giulia Verdi")

	# Both are queued in the same instant: tell them apart by recipient, not by order.
	emails = sent_emails(tutor)
	assert len(emails) == 2
	thanks = next(sent for sent in emails if tutor.email in sent["to"])
	to_coordinators = next(sent for sent in emails if sent is not thanks)
	assert thanks["to"] == {tutor.email}
	assert "Grazie" in thanks["subject"] and "Thank you" in thanks["subject"]
	assert "grazie per aver dato la tua disponibilità" in thanks["content"]
	assert "thank you for offering" in thanks["content"]
	assert {coordinator, "office@ciac.example"} <= to_coordinators["to"]
	assert tutor.email not in to_coordinators["to"]
	assert "Giulia Verdi" in to_coordinators["subject"]


def test_the_tutor_is_invited_to_training_then_told_the_presentation_date(outgoing_email):
	tutor = tutor_at(gates.INTERVIEW)
	record_interview(tutor)
	tutor = act(tutor, "Admit to Training")
	invitation = sent_emails(tutor)[-1]
	assert "Invito alla formazione" in invitation["subject"]
	assert invitation["to"] == {tutor.email}

	presentation_date = add_days(today(), 3)
	propose_pairing(tutor, presentation_date=presentation_date)
	attend_training(tutor, 9)
	tutor = act(tutor, "Move to Presentation")
	told = sent_emails(tutor)[-1]
	assert "presentazione" in told["subject"].lower()
	assert frappe.utils.format_date(presentation_date) in told["content"]


def test_an_email_in_english_only_when_the_tutor_prefers_english(outgoing_email):
	tutor = make_tutor()
	notification = frappe.get_doc("Notification", "Tutor: thanks for the availability")
	tutor.language = "en"  # the templates follow a `language` field when the tutor has one
	message = frappe.render_template(notification.message, {"doc": tutor})
	assert "thank you for offering" in message and "grazie" not in message


def test_without_an_outgoing_email_account_tutors_are_saved_and_nothing_is_queued():
	frappe.local.outgoing_email_account = {}
	assert not gates.outgoing_email_configured()
	tutor = tutor_at(gates.TRAINING)
	assert tutor.user, "the portal user is still created, without its welcome email"
	assert not sent_emails(tutor)


# --- admins' edits survive migrate -------------------------------------------------------


def edit_workflow_as_an_admin():
	"""The kind of edits CIAC's admins make in the desk."""
	state = frappe.get_doc("Workflow State", gates.MONITORING)
	state.style = "Danger"
	state.save()
	frappe.get_doc(
		{
			"doctype": "Translation",
			"language": "it",
			"source_text": "Monitoring",
			"translated_text": "Verifiche CIAC",
		}
	).insert()
	workflow = frappe.get_doc("Workflow", gates.WORKFLOW_NAME)
	workflow.append(
		"transitions",
		{
			"state": gates.MONITORING,
			"action": "Back to Training",
			"next_state": gates.TRAINING,
			"allowed": MANAGER,
			"allow_self_approval": 1,
		},
	)
	schedule = next(t for t in workflow.transitions if t.action == "Schedule Interview")
	schedule.allowed = MANAGER
	workflow.states[0].message = "Chiamare entro due giorni"
	workflow.save()
	notification = frappe.get_doc("Notification", "Tutor: thanks for the availability")
	notification.subject = "Grazie di cuore!"
	notification.save()


def assert_admin_edits_are_there():
	assert frappe.db.get_value("Workflow State", gates.MONITORING, "style") == "Danger"
	assert frappe.db.exists("Translation", {"source_text": "Monitoring", "translated_text": "Verifiche CIAC"})
	workflow = frappe.get_doc("Workflow", gates.WORKFLOW_NAME)
	assert any(t.state == gates.MONITORING and t.next_state == gates.TRAINING for t in workflow.transitions)
	assert next(t for t in workflow.transitions if t.action == "Schedule Interview").allowed == MANAGER
	assert workflow.states[0].message == "Chiamare entro due giorni"
	assert (
		frappe.db.get_value("Notification", "Tutor: thanks for the availability", "subject")
		== "Grazie di cuore!"
	)


def test_install_steps_and_after_migrate_hooks_leave_admin_edits_alone():
	from ciac_tutoring.install import AFTER_INSTALL_STEPS
	from ciac_tutoring.patches.v0_1 import install_tutor_activation_workflow as patch

	edit_workflow_as_an_admin()
	for step in AFTER_INSTALL_STEPS:
		frappe.get_attr(step)()
	patch.execute()
	for hook in frappe.get_hooks("after_migrate", app_name="ciac_tutoring"):
		frappe.get_attr(hook)()
	assert_admin_edits_are_there()


# A real `migrate` after these edits (and the other kinds admins make) runs in
# tests/test_admin_customisations.py.


# --- Italian -----------------------------------------------------------------------------


def test_every_state_action_and_message_of_the_workflow_has_an_italian_translation():
	import csv
	import json
	import re

	app = frappe.get_app_path("ciac_tutoring")
	with open(f"{app}/translations/it.csv", encoding="utf-8") as f:
		italian = {row[0] for row in csv.reader(f) if row}
	records = json.load(open(f"{app}/activation/workflows/tutor_activation.json"))
	[workflow] = [r for r in records if r["doctype"] == "Workflow"]
	sources = {workflow["workflow_name"]}
	sources |= {r["workflow_state_name"] for r in records if r["doctype"] == "Workflow State"}
	sources |= {r["workflow_action_name"] for r in records if r["doctype"] == "Workflow Action Master"}
	sources |= {row["message"] for row in workflow["states"] if row.get("message")}
	sources |= set(re.findall(r'\b_\("(.+?)"\)', open(f"{app}/activation/workflow_gates.py").read()))
	sources |= set(re.findall(r'__\("(.+?)"', open(f"{app}/public/js/tutor_phase.js").read()))
	assert sources - italian == set()


# --- the REST API is one more route to the same rules ------------------------------------


def test_the_rest_api_cannot_skip_a_phase_nor_activate_a_pairing_early(site_server):
	tutor = tutor_at(gates.TRAINING)
	pairing = propose_pairing(tutor, presentation_date=today())
	frappe.db.commit()  # nosemgrep: the web server must see them; deleted below
	try:
		api = site_server.session()
		response = api.put(
			f"{site_server.url}/api/resource/Tutor/{tutor.name}",
			json={"workflow_state": gates.TUTORING_STARTED},
			timeout=30,
		)
		assert response.status_code == 417
		assert response.json()["exc_type"] in ("PhaseGateError", "WorkflowPermissionError")

		response = api.put(
			f"{site_server.url}/api/resource/Pairing/{pairing.name}", json={"status": "Active"}, timeout=30
		)
		assert response.status_code == 417
		assert response.json()["exc_type"] == "PairingActivationError"

		frappe.db.rollback()
		assert stored_phase(tutor) == gates.TRAINING
		assert frappe.db.get_value("Pairing", pairing.name, "status") == "Proposed"
	finally:
		beneficiary = pairing.beneficiary
		frappe.delete_doc("Pairing", pairing.name, force=1)
		frappe.delete_doc("Beneficiary", beneficiary, force=1)
		frappe.db.delete("Training Attendance", {"tutor": tutor.name})
		frappe.delete_doc("Tutor", tutor.name, force=1)
		# (delete_doc on a User insists that "at least one System Manager" remains)
		frappe.db.delete("Has Role", {"parent": tutor.user})
		frappe.db.delete("User", {"name": tutor.user})
		frappe.db.commit()  # nosemgrep: leave nothing behind
