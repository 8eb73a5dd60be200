"""Demo step: tutors walked through the activation workflow, one per phase and side state.

The base demo data (demo.base) places its tutors straight into their phase;
these ones take every step with `apply_workflow`, meeting each gate as staff would, so their
phase history is the real one. Idempotent: each tutor is looked up by email and only moved
forward from where it stands; a tutor already past its target is left alone.
"""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_to_date, getdate, today

from ciac_tutoring.activation import workflow_gates as gates
from demo.third_sector import cover_tutor

COORDINATOR = "coordinator@ciac.example"
MANAGER = "manager@ciac.example"
TRAINING_TITLE = "Corso intensivo per tutor (sabato)"

# email, type, display name, contact person, municipality, target state
WALKED_TUTORS = [
	("elisa.ferri@ciac.example", "Individual", "Elisa Ferri", None, "Parma", gates.INTERVIEW),
	(
		"giorgio.villa@ciac.example",
		"Individual",
		"Giorgio Villa",
		None,
		"Fornovo di Taro",
		gates.NOT_SUITABLE,
	),
	("tommaso.neri@ciac.example", "Individual", "Tommaso Neri", None, "Parma", gates.TRAINING),
	(
		"famiglia.ghirardi@ciac.example",
		"Family",
		"Famiglia Ghirardi",
		"Laura Ghirardi",
		"Parma",
		gates.PRESENTATION,
	),
	("paolo.mori@ciac.example", "Individual", "Paolo Mori", None, "Sorbolo Mezzani", gates.TUTORING_STARTED),
	("irene.costa@ciac.example", "Individual", "Irene Costa", None, "Parma", gates.MONITORING),
	("marco.pellegrini@ciac.example", "Individual", "Marco Pellegrini", None, "Parma", gates.CONCLUDED),
]

# The beneficiary each tutor that reaches Tutoring Started is paired with: first, last, birth date
BENEFICIARY_OF = {
	"paolo.mori@ciac.example": ("Kofi", "Mensah", "1994-02-11"),
	"irene.costa@ciac.example": ("Mariam", "Sow", "1999-09-03"),
	"marco.pellegrini@ciac.example": ("Hamid", "Rahimi", "1991-12-19"),
}

# The order the walk takes; Not Suitable leaves it after the interview.
PATH = [*gates.PHASES, gates.CONCLUDED]


def walk_demo_tutors() -> None:
	let_demo_managers_coordinate()
	for index, row in enumerate(WALKED_TUTORS):
		tutor = ensure_tutor(index, row)
		walk(tutor, target=row[-1])


def let_demo_managers_coordinate() -> None:
	"""The workflow gives day-to-day transitions (and editing) to CIAC Coordinator, so a
	manager who also runs the programme holds both roles (docs/workflow.md)."""
	if frappe.db.exists("User", MANAGER) and "CIAC Coordinator" not in frappe.get_roles(MANAGER):
		frappe.get_doc("User", MANAGER).add_roles("CIAC Coordinator")


def ensure_tutor(index: int, row: tuple):
	email, tutor_type, name, contact_person, municipality, _target = row
	existing = frappe.db.get_value("Tutor", {"email": email})
	if existing:
		return frappe.get_doc("Tutor", existing)
	return frappe.get_doc(
		{
			"doctype": "Tutor",
			"tutor_type": tutor_type,
			"tutor_name": name,
			"contact_person": contact_person,
			"email": email,
			"mobile": f"+39 340 {2000000 + index * 7717:07d}",
			"municipality": municipality,
			"privacy_consent": 1,
			"heard_about": "Event",
			"motivation": "Ho conosciuto il progetto a un evento in città e voglio partecipare.",
			"languages": [{"language": "it", "level": "Native"}],
		}
	).insert(ignore_permissions=True)


def walk(tutor, target: str) -> None:
	"""Take the next action until the tutor is in `target`; never backwards."""
	if target == gates.NOT_SUITABLE:
		if tutor.workflow_state == gates.AVAILABILITY_NOTIFIED:
			tutor = schedule_interview(tutor)
		if tutor.workflow_state == gates.INTERVIEW:
			record_interview(tutor, "Not suitable")
			apply_workflow(frappe.get_doc("Tutor", tutor.name), "Mark Not Suitable")
		return
	while tutor.workflow_state in STEPS and PATH.index(tutor.workflow_state) < PATH.index(target):
		tutor = STEPS[tutor.workflow_state](tutor)


def schedule_interview(tutor):
	return apply_workflow(tutor, "Schedule Interview")


def admit_to_training(tutor):
	record_interview(tutor, "Suitable")
	return apply_workflow(frappe.get_doc("Tutor", tutor.name), "Admit to Training")


def move_to_presentation(tutor):
	attend_intensive_training(tutor.name)
	return apply_workflow(frappe.get_doc("Tutor", tutor.name), "Move to Presentation")


def start_tutoring(tutor):
	propose_pairing(tutor)
	cover_tutor(tutor.name)  # injury and civil liability cover: the Third Sector gate of this phase
	return apply_workflow(frappe.get_doc("Tutor", tutor.name), "Start Tutoring")


def start_monitoring(tutor):
	pairing = frappe.get_all("Pairing", {"tutor": tutor.name, "status": "Active"}, pluck="name")[0]
	frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing,
			"kind": gates.MONITORING_MEETING,
			"initiated_by": "CIAC",
			"duration_minutes": 60,
			"notes": "Primo incontro di monitoraggio: l'abbinamento parte bene.",
			"logged_by": COORDINATOR if frappe.db.exists("User", COORDINATOR) else None,
		}
	).insert(ignore_permissions=True)
	return apply_workflow(frappe.get_doc("Tutor", tutor.name), "Start Monitoring")


def conclude(tutor):
	for name in frappe.get_all("Pairing", {"tutor": tutor.name, "status": ("!=", "Closed")}, pluck="name"):
		pairing = frappe.get_doc("Pairing", name)
		pairing.update(
			{
				"status": "Closed",
				"closure_date": today(),
				"closure_reason": frappe.get_all("Closure Reason", pluck="name", order_by="name", limit=1)[0],
				"closure_initiated_by": "Beneficiary",
				"closing_interview_date": today(),
				"notes": "Percorso concluso: il beneficiario si è trasferito per lavoro.",
			}
		)
		for row in pairing.goals:
			row.final_progress = 3
		pairing.save(ignore_permissions=True)
	# closing the tutor's last pairing concludes the tutor (Pairing.move_tutor_after_closure)
	tutor = frappe.get_doc("Tutor", tutor.name)
	return tutor if tutor.workflow_state == gates.CONCLUDED else apply_workflow(tutor, "Conclude")


# What to do, from each phase, to reach the next one.
STEPS = {
	gates.AVAILABILITY_NOTIFIED: schedule_interview,
	gates.INTERVIEW: admit_to_training,
	gates.TRAINING: move_to_presentation,
	gates.PRESENTATION: start_tutoring,
	gates.TUTORING_STARTED: start_monitoring,
	gates.MONITORING: conclude,
}


def record_interview(tutor, outcome: str) -> None:
	tutor = frappe.get_doc("Tutor", tutor.name)
	tutor.update(
		{
			"interview_date": add_days(today(), -2),
			"interviewer": COORDINATOR if frappe.db.exists("User", COORDINATOR) else "Administrator",
			"interview_outcome": outcome,
			"interview_notes": "Colloquio svolto in sede."
			if outcome == "Suitable"
			else "Disponibilità di tempo troppo limitata per ora.",
		}
	)
	tutor.save(ignore_permissions=True)


def attend_intensive_training(tutor: str) -> None:
	"""A held full-day session worth more than the minimum hours."""
	name = frappe.db.get_value("Training Session", {"title": TRAINING_TITLE})
	if not name:
		starts_on = add_to_date(getdate(add_days(today(), -6)), hours=9)
		session = frappe.get_doc(
			{
				"doctype": "Training Session",
				"title": TRAINING_TITLE,
				"starts_on": starts_on,
				"ends_on": add_to_date(starts_on, hours=9),
				"location": "CIAC, Parma",
				"trainer": "Chiara Greco",
				"capacity": 20,
				"status": "Held",
			}
		)
	else:
		session = frappe.get_doc("Training Session", name)
	if not any(row.tutor == tutor for row in session.attendees):
		session.append("attendees", {"tutor": tutor, "attendance": "Attended"})
	session.save(ignore_permissions=True)


def propose_pairing(tutor) -> None:
	if frappe.db.exists("Pairing", {"tutor": tutor.name, "status": "Proposed"}):
		return
	first, last, born = BENEFICIARY_OF[tutor.email]
	beneficiary = frappe.db.get_value(
		"Beneficiary", {"first_name": first, "last_name": last, "date_of_birth": born}
	) or (
		frappe.get_doc(
			{
				"doctype": "Beneficiary",
				"first_name": first,
				"last_name": last,
				"date_of_birth": born,
				"municipality": "Parma",
				"consent": 1,
				"interests": "Calcio e cucina.",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	frappe.get_doc(
		{
			"doctype": "Pairing",
			"tutor": tutor.name,
			"beneficiary": beneficiary,
			"coordinator": COORDINATOR if frappe.db.exists("User", COORDINATOR) else None,
			"status": "Proposed",
			"presentation_date": add_days(today(), -1),
		}
	).insert(ignore_permissions=True)
