"""The tutor's side of the quarterly relationship-health questionnaire: the one write path of the
page /relationship-health and of the API method. The rules (periods, score, alerts) are
beneficiary_voice/health.py's; here only who asks and that the pairing is theirs."""

import frappe
from frappe import _

from ciac_tutoring.beneficiary_voice import health
from ciac_tutoring.portal.guard import require_own_pairing, tutor_only
from ciac_tutoring.portal.http import refuse_if_over_page_limit
from ciac_tutoring.portal.pages import all_or_nothing


@frappe.whitelist(methods=["POST"])
@tutor_only
def answer_relationship_health(pairing: str, **answers) -> str:
	"""The tutor's answers for the pairing's current quarter (`q-<question>`: 1-5 each); returns
	the Relationship Health record's name. Answering again within the quarter amends it."""
	return save_tutor_answers(pairing, answers)


@tutor_only
def save_tutor_answers(pairing: str, form: dict) -> str:
	require_own_pairing(pairing)
	refuse_if_over_page_limit("relationship-health")
	period = open_period(pairing)
	if not period:
		frappe.throw(_("No questionnaire is open for this pairing."))
	answers = health.clean_scores(health.TUTOR, form)
	with all_or_nothing("ciac_relationship_health"):
		# A tutor has no DocPerm on Relationship Health: the pairing was checked to be theirs above.
		return health.save_health_answers(pairing, period, health.TUTOR, answers, frappe.local.lang)


def open_period(pairing: str):
	"""The quarter the tutor answers now (an Active pairing past its first N months), or None."""
	return health.open_tutor_periods([pairing]).get(pairing)


def open_questionnaires(pairings: list[str]) -> dict[str, bool]:
	"""For /my-tutoring: per own pairing with a questionnaire open, whether it is still unanswered."""
	periods = health.open_tutor_periods(pairings)
	names = {
		pairing: health.health_name(pairing, period, health.TUTOR) for pairing, period in periods.items()
	}
	if not names:
		return {}
	Health = frappe.qb.DocType(health.HEALTH)
	answered = set(
		frappe.qb.from_(Health)
		.select(Health.name)
		.where(Health.name.isin(list(names.values())))
		.run(pluck=True)
	)
	return {pairing: name not in answered for pairing, name in names.items()}
