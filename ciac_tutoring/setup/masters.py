"""Seed the programme's masters and settings: only what is missing, never touching admin edits."""

import frappe


# Stand-in for frappe._: marks the seeded names for translation without translating them,
# since masters are stored in English and shown translated.
def _(text: str) -> str:
	return text


SUPPORT_AREAS = [
	_("Italian conversation"),
	_("Independent housing search"),
	_("Driving licence theory and practice"),
	_("Reading bureaucratic and financial documents"),
	_("Reconciling home and work: transport, babysitting"),
	_("Events, culture and free time"),
	_("Discovering the territory"),
]

# The programme's six common goals, in order.
TUTORING_GOALS = [
	_("Intercultural exchange"),
	_("Emotional support during the transition"),
	_("Knowing the territory and its social, political and economic dynamics"),
	_("Practical support toward autonomy and a reference in need"),
	_("Expressing and socialising the beneficiary's skills and attitudes"),
	_("Consolidating ties, ever more mutual and symmetrical"),
]

CLOSURE_REASONS = [
	_("Project completed"),
	_("Beneficiary reached autonomy"),
	_("Beneficiary moved away"),
	_("Tutor withdrew"),
	_("Beneficiary withdrew"),
	_("Incompatibility between tutor and beneficiary"),
	_("Other"),
]

TRAINING_TOPICS = [
	_("The Tutor for integration programme"),
	_("Asylum, protection and the reception system"),
	_("Intercultural communication"),
	_("Services of the territory"),
	_("The tutor's role and its boundaries"),
]

RECEPTION_PROJECTS = [
	{"project_name": "SAI Parma", "municipality": "Parma"},
	{"project_name": "CAS Parma", "municipality": "Parma"},
]


def seed_masters() -> None:
	for area in SUPPORT_AREAS:
		_insert_if_missing("Support Area", {"area_name": area})
	for sequence, goal in enumerate(TUTORING_GOALS, start=1):
		_insert_if_missing("Tutoring Goal", {"goal_name": goal, "sequence": sequence})
	for reason in CLOSURE_REASONS:
		_insert_if_missing("Closure Reason", {"reason_name": reason})
	for topic in TRAINING_TOPICS:
		_insert_if_missing("Training Topic", {"topic_name": topic})
	for project in RECEPTION_PROJECTS:
		_insert_if_missing("Reception Project", project)


def seed_settings() -> None:
	"""Store each setting's default where the site has no value yet (new fields included)."""
	meta = frappe.get_meta("Tutoring Settings")
	stored = frappe.db.get_singles_dict("Tutoring Settings")
	missing = {
		df.fieldname: df.default
		for df in meta.fields
		if df.default is not None and stored.get(df.fieldname) is None
	}
	if missing:
		frappe.db.set_single_value("Tutoring Settings", missing)


def _insert_if_missing(doctype: str, values: dict) -> None:
	name = next(iter(values.values()))
	if frappe.db.exists(doctype, name):
		return
	doc = frappe.new_doc(doctype)
	doc.update(values)
	doc.insert(ignore_permissions=True)
