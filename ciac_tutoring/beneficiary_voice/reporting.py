"""What the beneficiaries' check-ins add to the coordinators' reports, written once.

- Response rate: check-ins answered out of links sent.
- Confirmed share: the tutor's logged contacts (CIAC's own left out) she confirmed, out of those
  logged since the month before her first check-in (earlier ones she could not confirm).
- Disagreement: the latest check-in whose answers disagree with the tutor's log and that CIAC
  has not marked Reviewed. This is the worklist's condition: Pairing Compliance shows it, and
  its filter "Only Where the Beneficiary Disagrees" lists those pairings.
"""

import frappe
from frappe.utils import flt

CHECK_IN = "Beneficiary Check-in"


def voice_by_pairing(pairings: list[str] | None = None) -> dict[str, frappe._dict]:
	"""{pairing: response_rate, confirmed_share, disagreement} for the pairings with a check-in
	link sent (all of them when `pairings` is None); four grouped queries, each on an index."""
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
	# the latest disagreement not yet reviewed, per pairing (the period is 10 characters)
	disagreements = dict(
		frappe.db.sql(
			f"""
			SELECT c.pairing, SUBSTRING(MAX(CONCAT(c.period, c.disagreement)), 11)
			FROM `tab{CHECK_IN}` c
			WHERE c.reviewed = 0 AND c.disagreement != '' {condition}
			GROUP BY c.pairing
			""",
			values,
		)
	)
	if not rows:
		return {}
	names = {"pairings": [row.pairing for row in rows]}
	# The tutor's contacts from Contact Activity's monthly rollup (CIAC's own left out), from the
	# month before her first link; the confirmed ones from the log's (confirmed, pairing) index.
	logged = dict(
		frappe.db.sql(
			f"""
			SELECT m.pairing, SUM(m.contacts - m.by_ciac)
			FROM `tabContact Month` m
			JOIN (
				SELECT pairing, MIN(period) AS first_period FROM `tab{CHECK_IN}`
				WHERE pairing IN %(pairings)s GROUP BY pairing
			) first_link ON first_link.pairing = m.pairing
			WHERE m.support_area IS NULL
				AND m.month >= DATE_FORMAT(DATE_SUB(first_link.first_period, INTERVAL 30 DAY), '%%Y-%%m-01')
			GROUP BY m.pairing
			""",
			names,
		)
	)
	confirmed = dict(
		frappe.db.sql(
			"""
			SELECT pairing, COUNT(*) FROM `tabContact Log`
			WHERE confirmed_by_beneficiary = 1 AND pairing IN %(pairings)s
			GROUP BY pairing
			""",
			names,
		)
	)
	result = {}
	for row in rows:
		contacts = logged.get(row.pairing)
		result[row.pairing] = frappe._dict(
			response_rate=flt(100 * (row.answered or 0) / row.sent, 1) if row.sent else None,
			confirmed_share=flt(min(100 * (confirmed.get(row.pairing) or 0) / contacts, 100), 1)
			if contacts
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
