"""Demo base data: staff and tutor logins, a dozen tutors and beneficiaries, their pairings,
trainings and contact logs. Idempotent: records are looked up by a natural key and only the
missing ones are created; dates are relative to the day of the first load."""

import frappe
from frappe.utils import add_days, add_to_date, getdate, now_datetime, today
from frappe.utils.password import update_password

STAFF_USERS = [
	# email, password, first name, last name, role
	("coordinator@ciac.example", "demo-coordinator", "Chiara", "Greco", "CIAC Coordinator"),
	("manager@ciac.example", "demo-manager", "Marco", "Longhi", "CIAC Manager"),
]
DEMO_TUTOR_EMAIL = "tutor@ciac.example"
DEMO_TUTOR_PASSWORD = "demo-tutor"
COORDINATOR = STAFF_USERS[0][0]

# email, type, display name, contact person, municipality, capacity, phase, days in the programme
TUTORS = [
	(DEMO_TUTOR_EMAIL, "Individual", "Giulia Ferrari", None, "Parma", 1, "Tutoring Started", 200),
	("famiglia.rossi@ciac.example", "Family", "Famiglia Rossi", "Paolo Rossi", "Parma", 2, "Monitoring", 320),
	("luca.bianchi@ciac.example", "Individual", "Luca Bianchi", None, "Fidenza", 1, "Tutoring Started", 150),
	("anna.conti@ciac.example", "Individual", "Anna Conti", None, "Parma", 1, "Monitoring", 280),
	(
		"gruppo.oltretorrente@ciac.example",
		"Group",
		"Gruppo Oltretorrente",
		"Elena Marchi",
		"Parma",
		2,
		"Tutoring Started",
		170,
	),
	(
		"acli.collecchio@ciac.example",
		"Association",
		"Circolo ACLI Collecchio",
		"Sergio Pini",
		"Collecchio",
		1,
		"Tutoring Started",
		120,
	),
	("sara.galli@ciac.example", "Individual", "Sara Galli", None, "Parma", 1, "Presentation", 75),
	("davide.riva@ciac.example", "Individual", "Davide Riva", None, "Langhirano", 1, "Training", 40),
	("martina.fontana@ciac.example", "Individual", "Martina Fontana", None, "Parma", 1, "Interview", 20),
	(
		"famiglia.barbieri@ciac.example",
		"Family",
		"Famiglia Barbieri",
		"Giovanna Barbieri",
		"Noceto",
		1,
		"Availability Notified",
		6,
	),
	("roberto.sala@ciac.example", "Individual", "Roberto Sala", None, "Parma", 1, "Withdrawn", 90),
	(
		"francesca.moretti@ciac.example",
		"Individual",
		"Francesca Moretti",
		None,
		"Salsomaggiore Terme",
		1,
		"Concluded",
		420,
	),
]

# first, last, gender, birth date, nationality, mother tongue, Italian level, protection, permit in days
BENEFICIARIES = [
	("Amina", "Diallo", "Female", "1996-03-14", "Guinea", "fr", "A2", "Refugee", 400),
	("Yusuf", "Okafor", "Male", "1993-11-02", "Nigeria", "en", "B1", "Subsidiary protection", 45),
	("Farida", "Ahmadi", "Female", "1990-07-21", "Afghanistan", "fa", "A1", "Refugee", 700),
	("Abdi", "Warsame", "Male", "1999-01-30", "Somalia", "ar", "A2", "Special protection", 20),
	("Olena", "Kovalenko", "Female", "1985-05-09", "Ukraine", "uk", "A2", "Other", 250),
	("Samir", "Haddad", "Male", "1994-09-17", "Syria", "ar", "B1", "Refugee", 900),
	("Moussa", "Traoré", "Male", "2000-12-05", "Mali", "fr", "A1", "Applicant", 120),
	("Tesfay", "Gebre", "Male", "1992-04-11", "Eritrea", "ar", "B2", "Refugee", 1000),
	("Rahim", "Hossain", "Male", "1997-08-23", "Bangladesh", "bn", "A1", "Special protection", 300),
	("Aisha", "Ceesay", "Female", "2001-02-16", "Gambia", "en", "A0", "Applicant", 90),
	("Zainab", "Khan", "Female", "1998-06-28", "Pakistan", "ur", "A2", "Subsidiary protection", 500),
	("Ibrahima", "Ndiaye", "Male", "1995-10-08", "Senegal", "fr", "A2", "Applicant", 150),
]

# tutor index, beneficiary index, status, started days ago, cadence: days between phone calls, meetings
PAIRINGS = [
	(0, 0, "Active", 150, 6, 20),  # the demo tutor: on track
	(1, 1, "Active", 280, 5, 25),
	(1, 2, "Active", 90, 12, 40),  # late on both commitments
	(2, 3, "Active", 120, 7, 28),
	(3, 4, "Suspended", 200, 20, 60),
	(4, 5, "Active", 140, 8, 35),
	(5, 6, "Active", 60, 9, 18),
	(6, 8, "Proposed", None, None, None),
	(11, 7, "Closed", 380, 7, 30),
]

SUPPORT_AREAS_BY_TUTOR = [
	["Italian conversation", "Discovering the territory"],
	["Independent housing search", "Events, culture and free time", "Italian conversation"],
	["Driving licence theory and practice"],
	["Reading bureaucratic and financial documents", "Italian conversation"],
	["Events, culture and free time", "Discovering the territory"],
	["Reconciling home and work: transport, babysitting"],
]


def load() -> None:
	for email, password, first_name, last_name, role in STAFF_USERS:
		ensure_user(email, password, first_name, last_name, role)
	tutors = [ensure_tutor(i, row) for i, row in enumerate(TUTORS)]
	ensure_demo_tutor_login(tutors[0])
	beneficiaries = [ensure_beneficiary(row) for row in BENEFICIARIES]
	for row in PAIRINGS:
		ensure_pairing(tutors, beneficiaries, *row)
	ensure_trainings(tutors)


def ensure_user(email: str, password: str, first_name: str, last_name: str, role: str) -> None:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
				"language": "it",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	if role not in frappe.get_roles(email):
		user.add_roles(role)
	update_password(email, password)


def ensure_tutor(index: int, row: tuple) -> str:
	email, tutor_type, name, contact_person, municipality, capacity, phase, days_in = row
	existing = frappe.db.get_value("Tutor", {"email": email})
	if existing:
		return existing
	joined = add_days(today(), -days_in)
	tutor = frappe.get_doc(
		{
			"doctype": "Tutor",
			"tutor_type": tutor_type,
			"tutor_name": name,
			"contact_person": contact_person,
			"email": email,
			"mobile": f"+39 333 {1000000 + index * 7919:07d}",
			"municipality": municipality,
			"capacity": capacity,
			"privacy_consent": 1,
			"privacy_consent_date": joined,
			"heard_about": ("Word of mouth", "CIAC website", "Social media", "Event", "Press")[index % 5],
			"motivation": "Voglio dare una mano a chi arriva e conoscere persone nuove.",
			"availability_notes": "Sere infrasettimanali e sabato mattina.",
			"languages": [{"language": "it", "level": "Native"}, {"language": "en", "level": "Intermediate"}],
			"support_areas": [
				{"support_area": area} for area in SUPPORT_AREAS_BY_TUTOR[index % len(SUPPORT_AREAS_BY_TUTOR)]
			],
		}
	)
	if phase not in ("Availability Notified",):
		tutor.update(
			{
				"interview_date": add_days(joined, 10),
				"interviewer": COORDINATOR,
				"interview_outcome": "Not suitable" if phase == "Not Suitable" else "Suitable",
				"interview_notes": "Motivazione solida, buona disponibilità.",
			}
		)
	tutor.insert(ignore_permissions=True)
	set_phase(tutor, phase, joined)
	return tutor.name


def set_phase(tutor, phase: str, joined: str) -> None:
	"""Demo tutors are placed straight into their phase, with one history row, instead of
	walking the activation workflow (whose gates have their own tests)."""
	if tutor.workflow_state == phase:
		return
	changed_on = add_to_date(now_datetime(), days=-max(1, (getdate(today()) - getdate(joined)).days // 3))
	frappe.get_doc(
		{
			"doctype": "Tutor Phase History",
			"parent": tutor.name,
			"parenttype": "Tutor",
			"parentfield": "phase_history",
			"idx": len(tutor.phase_history) + 1,
			"from_phase": tutor.workflow_state,
			"to_phase": phase,
			"changed_by": COORDINATOR,
			"changed_on": changed_on,
			"days_in_previous_phase": (getdate(changed_on) - getdate(joined)).days,
		}
	).db_insert()
	tutor.db_set({"workflow_state": phase, "phase_changed_on": changed_on}, update_modified=False)


def ensure_demo_tutor_login(tutor: str) -> None:
	frappe.get_doc("Tutor", tutor).activate_portal_user(send_welcome_email=False)
	update_password(DEMO_TUTOR_EMAIL, DEMO_TUTOR_PASSWORD)
	frappe.db.set_value("User", DEMO_TUTOR_EMAIL, "language", "it")


def ensure_beneficiary(row: tuple) -> str:
	first, last, gender, born, country, tongue, level, protection, permit_days = row
	existing = frappe.db.get_value(
		"Beneficiary", {"first_name": first, "last_name": last, "date_of_birth": born}
	)
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"first_name": first,
			"last_name": last,
			"gender": gender,
			"date_of_birth": born,
			"nationality": country if frappe.db.exists("Country", country) else None,
			"mother_tongue": tongue if frappe.db.exists("Language", tongue) else None,
			"italian_level": level,
			"reception_project": "SAI Parma" if permit_days % 2 else "CAS Parma",
			"municipality": "Parma",
			"referring_operator": COORDINATOR,
			"consent": 1,
			"consent_date": add_days(today(), -200),
			"protection_status": protection,
			"residence_permit_expiry": add_days(today(), permit_days),
			"needs": [
				{"support_area": "Italian conversation"},
				{"support_area": "Independent housing search"},
			],
			"interests": "Calcio, cucina, musica.",
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def ensure_pairing(
	tutors, beneficiaries, tutor_index, beneficiary_index, status, started, phone_every, meet_every
):
	tutor, beneficiary = tutors[tutor_index], beneficiaries[beneficiary_index]
	if frappe.db.exists("Pairing", {"tutor": tutor, "beneficiary": beneficiary}):
		return
	values = {
		"doctype": "Pairing",
		"tutor": tutor,
		"beneficiary": beneficiary,
		"coordinator": COORDINATOR,
		"status": status if status in ("Proposed", "Closed") else "Active",
		"presentation_date": add_days(today(), -(started or 7) - 7),
		"start_date": add_days(today(), -started) if started else None,
	}
	if status == "Closed":
		# a past pairing of a tutor who has concluded: recorded closed, as staff would after the fact
		values.update(
			{
				"closure_date": add_days(today(), -15),
				"closure_reason": "Project completed",
				"closure_initiated_by": "CIAC",
				"closing_interview_date": add_days(today(), -15),
				"goals": [
					{"goal": goal, "initial_progress": 1, "progress": 4, "final_progress": 4}
					for goal in frappe.get_all(
						"Tutoring Goal", {"enabled": 1}, pluck="name", order_by="sequence"
					)
				],
			}
		)
	pairing = frappe.get_doc(values).insert(ignore_permissions=True)
	if pairing.status != "Active":
		return
	add_contact_logs(pairing, started, phone_every, meet_every)
	add_log(pairing, started - 30, "CIAC monitoring meeting", "CIAC", 60)
	goal = frappe.qb.DocType("Pairing Goal")
	frappe.qb.update(goal).set(goal.progress, min(5, 1 + started // 60)).where(
		(goal.parenttype == "Pairing") & (goal.parentfield == "goals") & (goal.parent == pairing.name)
	).run()
	if status == "Suspended":
		pairing.reload()
		pairing.status = status
		pairing.save(ignore_permissions=True)


def add_contact_logs(pairing, started: int, phone_every: int, meet_every: int) -> None:
	"""Phone calls and meetings at the pairing's own rhythm, the latest first."""
	for ago in range(phone_every // 2, started, phone_every):
		add_log(pairing, ago, "Phone or video call", "Tutor", 15)
	for n, ago in enumerate(range(meet_every // 2 + 1, started, meet_every)):
		kind = "In-person meeting" if n % 2 else "Activity or event together"
		add_log(pairing, ago, kind, "Beneficiary" if n % 3 == 0 else "Tutor", 90)
	add_log(pairing, 1, "Message", "Beneficiary", 5, wellbeing="Some concern" if started % 3 == 0 else "Fine")


def add_log(
	pairing, days_ago: int, kind: str, initiated_by: str, minutes: int, wellbeing: str = "Fine"
) -> None:
	if days_ago < 0:
		return
	tutor_user = frappe.db.get_value("Tutor", pairing.tutor, "user")
	frappe.get_doc(
		{
			"doctype": "Contact Log",
			"pairing": pairing.name,
			"contact_date": add_days(today(), -days_ago),
			"kind": kind,
			"initiated_by": initiated_by,
			"duration_minutes": minutes,
			"wellbeing": wellbeing,
			"notes": "Tutto bene, abbiamo parlato della settimana."
			if wellbeing == "Fine"
			else "Preoccupato per il lavoro.",
			"support_areas": [{"support_area": "Italian conversation"}],
			"logged_by": COORDINATOR if kind == "CIAC monitoring meeting" else (tutor_user or COORDINATOR),
		}
	).insert(ignore_permissions=True)


def ensure_trainings(tutors: list[str]) -> None:
	sessions = [
		# title, topic, days from today, status, attendee tutor indexes
		(
			"Il programma Tutor per l'integrazione",
			"The Tutor for integration programme",
			-160,
			"Held",
			range(0, 8),
		),
		(
			"Asilo e accoglienza: cosa sapere",
			"Asylum, protection and the reception system",
			-130,
			"Held",
			range(0, 8),
		),
		("Comunicare tra culture", "Intercultural communication", -60, "Held", [0, 2, 4, 5, 6, 7]),
		("I servizi del territorio", "Services of the territory", 14, "Planned", [7, 8, 9]),
	]
	for title, topic, days, status, attendee_indexes in sessions:
		if frappe.db.exists("Training Session", {"title": title}):
			continue
		starts_on = add_to_date(getdate(add_days(today(), days)), hours=18)
		frappe.get_doc(
			{
				"doctype": "Training Session",
				"title": title,
				"topic": topic,
				"starts_on": starts_on,
				"ends_on": add_to_date(starts_on, hours=3),
				"location": "CIAC, via Cavestro 14, Parma",
				"trainer": "Chiara Greco",
				"capacity": 15,
				"status": status,
				"attendees": [
					{
						"tutor": tutors[i],
						"registered_on": add_days(today(), days - 10),
						"attendance": ("Excused" if i == 7 else "Attended")
						if status == "Held"
						else "Registered",
					}
					for i in attendee_indexes
				],
			}
		).insert(ignore_permissions=True)
