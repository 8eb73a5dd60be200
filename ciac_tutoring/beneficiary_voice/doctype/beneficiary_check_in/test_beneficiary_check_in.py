"""The link's signature and expiry, the answers kept, anonymisation of what she wrote."""

import frappe
from frappe.utils import add_days, today

from ciac_tutoring.beneficiary_voice import answers
from ciac_tutoring.beneficiary_voice.links import CheckinLink, link_for, read_link
from ciac_tutoring.beneficiary_voice.privacy import anonymise_check_ins
from ciac_tutoring.tests.portal_data import make_active_pairing, make_beneficiary, make_tutor


def pairing_with_beneficiary(tag: str) -> frappe._dict:
	beneficiary = make_beneficiary(tag)
	return frappe._dict(beneficiary=beneficiary, pairing=make_active_pairing(make_tutor(tag), beneficiary))


def test_a_link_opens_only_as_signed_unexpired_and_for_her_active_pairing():
	own = pairing_with_beneficiary("chkunit1")
	other = pairing_with_beneficiary("chkunit2")
	link = link_for(own.beneficiary, own.pairing, add_days(today(), -3), 14, "Email")
	assert read_link(link.token()) == link and link.channel == "Email"
	assert read_link(link.token() + "x") is None
	assert (
		read_link(link_for(own.beneficiary, own.pairing, add_days(today(), -14), 14, "SMS").token()) is None
	)
	assert read_link(link_for(other.beneficiary, own.pairing, today(), 14, "SMS").token()) is None
	frappe.db.set_value("Pairing", own.pairing, "status", "Closed")
	assert read_link(link.token()) is None
	# the signature covers every field: the same signature on another payload is refused
	forged = CheckinLink(own.beneficiary, own.pairing, link.period, str(add_days(today(), 60)), "SMS")
	assert read_link(forged.token().split(".")[0] + "." + link.token().split(".")[1]) is None


def test_only_known_answers_are_kept_and_texts_are_bounded():
	kept = answers.clean_answers(
		{
			"heard_from_tutor": "Maybe",
			"mood": "Sad",
			"suggestion": "x" * 900,
			"wants_to_talk": "1",
			"other": 1,
		}
	)
	assert kept == {
		"heard_from_tutor": "",
		"met_this_month": "",
		"mood": "Sad",
		"suggestion": "x" * answers.TEXT_LIMIT,
		"message_to_ciac": "",
		"wants_to_talk": 1,
	}


def test_anonymising_empties_what_she_wrote():
	own = pairing_with_beneficiary("chkunit3")
	link = link_for(own.beneficiary, own.pairing, today(), 14, "SMS")
	name = answers.save_answers(
		link,
		answers.clean_answers({"suggestion": "Il parco", "message_to_ciac": "Privato", "mood": "Good"}),
		"it",
	)
	assert anonymise_check_ins([own.pairing]) == [name]
	row = frappe.db.get_value(answers.CHECK_IN, name, ["suggestion", "message_to_ciac", "mood"], as_dict=True)
	assert row == {"suggestion": None, "message_to_ciac": None, "mood": "Good"}
