"""What the beneficiaries' check-ins add to the coordinators' reports, written once.

- Response rate: check-ins answered out of links sent.
- Confirmed share: the tutor's logged contacts (CIAC's own left out) she confirmed, out of those
  logged since her first check-in link (before it she could confirm nothing).
- Disagreement: the latest check-in whose answers disagree with the tutor's log and that CIAC
  has not marked Reviewed. This is the worklist's condition: Pairing Compliance shows it, and
  its filter "Only Where the Beneficiary Disagrees" lists those pairings.
"""

import frappe
from frappe.utils import flt

CHECK_IN = "Beneficiary Check-in"


def voice_by_pairing(pairings: list[str] | None = None) -> dict[str, frappe._dict]:
	"""{pairing: response_rate, confirmed_share, disagreement} for the pairings with a check-in
	link sent (all of them when `pairings` is None); three queries, each on an index."""
	condition, values = "", {}
	if pairings is not None:
		if not pairings:
			return {}
		condition, values = "AND c.pairing IN %(pairings)s", {"pairings": pairings}
	rows = frappe.db.sql(
		f"""
		SELECT c.pairing, COUNT(*) AS sent, COUNT(c.submitted_on) AS answered
		FROM `tab{CHECK_IN}` c
		WHERE 1 = 1 {condition}
		GROUP BY c.pairing
		""",
		values,
		as_dict=True,
	)
	disagreements = dict(
		frappe.db.sql(
			f"""
			SELECT c.pairing, c.disagreement FROM `tab{CHECK_IN}` c
			WHERE c.reviewed = 0 AND c.disagreement != '' {condition}
			ORDER BY c.period
			""",
			values,
		)
	)  # the latest per pairing wins
	if not rows:
		return {}
	contacts = frappe.db.sql(
		f"""
		SELECT l.pairing, COUNT(*) AS logged, SUM(l.confirmed_by_beneficiary) AS confirmed
		FROM `tabContact Log` l
		JOIN (
			SELECT pairing, DATE(MIN(COALESCE(link_sent_on, submitted_on))) AS since
			FROM `tab{CHECK_IN}` WHERE pairing IN %(pairings)s GROUP BY pairing
		) first_link ON first_link.pairing = l.pairing
		WHERE l.initiated_by != 'CIAC' AND l.contact_date >= DATE_SUB(first_link.since, INTERVAL 30 DAY)
		GROUP BY l.pairing
		""",
		{"pairings": [row.pairing for row in rows]},
		as_dict=True,
	)
	by_pairing = {row.pairing: row for row in contacts}
	result = {}
	for row in rows:
		logged = by_pairing.get(row.pairing)
		result[row.pairing] = frappe._dict(
			response_rate=flt(100 * (row.answered or 0) / row.sent, 1) if row.sent else None,
			confirmed_share=flt(100 * (logged.confirmed or 0) / logged.logged, 1)
			if logged and logged.logged
			else None,
			disagreement=disagreements.get(row.pairing) or "",
		)
	return result


def programme_voice() -> frappe._dict:
	"""Response rate and confirmed share over every pairing: Programme Outcomes' summary."""
	voice = voice_by_pairing()
	rates = [v.response_rate for v in voice.values() if v.response_rate is not None]
	shares = [v.confirmed_share for v in voice.values() if v.confirmed_share is not None]
	return frappe._dict(
		response_rate=flt(sum(rates) / len(rates), 1) if rates else 0,
		confirmed_share=flt(sum(shares) / len(shares), 1) if shares else 0,
	)
