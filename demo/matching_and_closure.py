"""Demo data for matching, the tutoring agreement and closure (issue 14), on top of the base demo.

Self-contained (only the base demo's natural keys: tutor emails, beneficiary names) and
idempotent: every step checks what is there first. It adds:
- distances between Parma and the neighbouring municipalities (Municipality Distance);
- matching preferences, languages and interests on the waiting beneficiaries and some tutors;
- closed pairings with their outcome: one tutor available again (back to phase 4, a candidate),
  one whose programme is concluded, one tutor who keeps another pairing;
- a matching session: the assistant's best tutor proposed for one waiting beneficiary, the
  others left for the Matching Plan report;
- a signed agreement on the demo tutor's pairing.
"""

import frappe
from frappe.utils import add_days, getdate, today

from demo.base import COORDINATOR

DISTANCES = [
	("Parma", "Collecchio", 13),
	("Parma", "Noceto", 15),
	("Parma", "Sorbolo", 12),
	("Parma", "Langhirano", 22),
	("Parma", "Fidenza", 23),
	("Parma", "Salsomaggiore Terme", 31),
	("Collecchio", "Noceto", 8),
	("Fidenza", "Salsomaggiore Terme", 9),
	("Fidenza", "Noceto", 12),
]

# beneficiary (first, last) -> matching data
BENEFICIARY_PREFERENCES = {
	("Aisha", "Ceesay"): {
		"interests": "music, cooking, dance",
		"preferred_tutor_gender": "Female",
		"needs": ["Italian conversation", "Discovering the territory"],
	},
	("Zainab", "Khan"): {
		"interests": "reading, cooking",
		"preferred_tutor_type": "Family",
		"needs": ["Independent housing search", "Italian conversation"],
	},
	("Ibrahima", "Ndiaye"): {
		"interests": "football, music",
		"needs": ["Driving licence theory and practice", "Discovering the territory"],
	},
}
TUTOR_PREFERENCES = {
	"luca.bianchi@ciac.example": {"gender": "Male", "interests": "football, cycling, music"},
	"famiglia.rossi@ciac.example": {"interests": "cooking, hiking, reading"},
	"anna.conti@ciac.example": {"gender": "Female", "interests": "music, dance, cinema"},
	"sara.galli@ciac.example": {"gender": "Female", "interests": "cooking, music"},
}
# tutor email, beneficiary (first, last), reason, initiated by, available again, ratings (start, final)
CLOSURES = [
	(
		"luca.bianchi@ciac.example",
		("Abdi", "Warsame"),
		"Beneficiary reached autonomy",
		"Both",
		1,
		[(1, 4), (2, 4), (1, 3), (2, 5), (1, 3), (1, 4)],
	),
	(
		"famiglia.rossi@ciac.example",
		("Farida", "Ahmadi"),
		"Beneficiary moved away",
		"Beneficiary",
		1,
		[(2, 3), (1, 3), (1, 2), (2, 2), (1, 2), (1, 2)],
	),
	(
		"anna.conti@ciac.example",
		("Olena", "Kovalenko"),
		"Project completed",
		"CIAC",
		0,
		[(1, 5), (2, 4), (2, 4), (1, 4), (1, 3), (2, 5)],
	),
]
DEMO_TUTOR = "tutor@ciac.example"
MATCHED_BENEFICIARY = ("Ibrahima", "Ndiaye")


def load() -> None:
	ensure_distances()
	ensure_preferences()
	for closure in CLOSURES:
		ensure_closed(*closure)
	ensure_signed_agreement()
	ensure_matching_session()


def beneficiary_named(first: str, last: str) -> str | None:
	return frappe.db.get_value("Beneficiary", {"first_name": first, "last_name": last})


def ensure_distances() -> None:
	for first, second, km in DISTANCES:
		if not frappe.db.exists(
			"Municipality Distance", {"municipality": first, "other_municipality": second}
		):
			frappe.get_doc(
				{
					"doctype": "Municipality Distance",
					"municipality": first,
					"other_municipality": second,
					"distance_km": km,
				}
			).insert(ignore_permissions=True)


def ensure_preferences() -> None:
	for (first, last), values in BENEFICIARY_PREFERENCES.items():
		name = beneficiary_named(first, last)
		if not name:
			continue
		doc = frappe.get_doc("Beneficiary", name)
		if doc.interests:
			continue
		doc.update({key: value for key, value in values.items() if key != "needs"})
		for area in values["needs"]:
			if frappe.db.exists("Support Area", area):
				doc.append("needs", {"support_area": area})
		doc.save(ignore_permissions=True)
	for email, values in TUTOR_PREFERENCES.items():
		name = frappe.db.get_value("Tutor", {"email": email})
		if name and not frappe.db.get_value("Tutor", name, "interests"):
			frappe.db.set_value("Tutor", name, values)


def ensure_closed(tutor_email, beneficiary, reason, initiated_by, available_again, ratings) -> None:
	tutor = frappe.db.get_value("Tutor", {"email": tutor_email})
	beneficiary = beneficiary_named(*beneficiary)
	pairing = frappe.db.get_value(
		"Pairing", {"tutor": tutor, "beneficiary": beneficiary, "status": ("in", ("Active", "Suspended"))}
	)
	if not pairing:
		return
	doc = frappe.get_doc("Pairing", pairing)
	for row, (start, final) in zip(doc.goals, ratings, strict=False):
		row.initial_progress, row.final_progress = start, final
	closed_on = today()
	doc.update(
		{
			"status": "Closed",
			"closure_date": closed_on,
			"closure_reason": reason if frappe.db.exists("Closure Reason", reason) else "Other",
			"closure_initiated_by": initiated_by,
			"closing_interview_date": closed_on,
			"closing_interview_notes": "Colloquio di chiusura con tutor e beneficiario: percorso positivo.",
			"tutor_available_again": available_again,
		}
	)
	doc.save(ignore_permissions=True)


def ensure_signed_agreement() -> None:
	tutor = frappe.db.get_value("Tutor", {"email": DEMO_TUTOR})
	pairing = frappe.db.get_value(
		"Pairing",
		{"tutor": tutor, "status": "Active"},
		["name", "start_date", "agreement_signed_on"],
		as_dict=True,
	)
	if not pairing or pairing.agreement_signed_on:
		return
	doc = frappe.get_doc("Pairing", pairing.name)
	signed_on = doc.start_date or today()
	if doc.presentation_date and getdate(signed_on) < getdate(doc.presentation_date):
		signed_on = doc.presentation_date
	doc.update(
		{
			"agreement_signed_on": min(getdate(signed_on), getdate(today())),
			"agreement_signed_by": f"{doc.tutor_name}, {doc.beneficiary_name}, Chiara Greco (CIAC)",
		}
	)
	doc.save(ignore_permissions=True)


def ensure_matching_session() -> None:
	"""The coordinator asks the assistant for Ibrahima's best tutor and proposes it."""
	from ciac_tutoring.pairing.matching import create_proposal, rank_candidates, waiting_beneficiaries

	beneficiary = beneficiary_named(*MATCHED_BENEFICIARY)
	if not beneficiary or not waiting_beneficiaries([beneficiary]):
		return
	candidates = rank_candidates(beneficiary, limit=1)
	if not candidates:
		return
	# As the coordinator: the proposal names who made it, and the agreement prints them.
	previous_user = frappe.session.user
	frappe.set_user(COORDINATOR)
	try:
		name = create_proposal(beneficiary, candidates[0].tutor)
	finally:
		frappe.set_user(previous_user)
	frappe.db.set_value(
		"Pairing",
		name,
		{
			"presentation_date": add_days(today(), 7),
			"notes": f"Proposto dall'assistente agli abbinamenti (punteggio {candidates[0].score}): {candidates[0].why}",
		},
	)
