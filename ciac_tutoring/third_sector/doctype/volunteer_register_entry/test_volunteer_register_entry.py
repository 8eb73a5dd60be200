"""The volunteers' register: append-only entries, the hash chain, corrections, verify, CSV."""

import csv
import io

import frappe
import pytest
from frappe.utils import today

from ciac_tutoring.tests import portal_data
from ciac_tutoring.third_sector import register
from ciac_tutoring.third_sector.doctype.volunteer_register_entry.volunteer_register_entry import (
	RegisterEntryImmutableError,
)
from ciac_tutoring.third_sector.tests.test_hours_and_certificate import delete_tutor

ENTRY = register.ENTRY


def enrolled(tag: str, **values) -> frappe._dict:
	tutor = frappe.get_doc("Tutor", portal_data.make_tutor(tag))
	tutor.address = values.pop("address", f"Via Mazzini 1{len(tag)}, 43121 Parma")
	name = register.append_entry(
		{
			"entry_type": register.ENROLMENT,
			"tutor": tutor.name,
			"full_name": values.pop("full_name", tutor.tutor_name),
			"tax_code": values.pop("tax_code", "RSSMRA80A01G337X"),
			"address": tutor.address,
			"start_date": values.pop("start_date", today()),
			**values,
		}
	)
	return frappe._dict(tutor=tutor.name, entry=name)


def stored(name: str) -> dict:
	return frappe.db.get_value(ENTRY, name, ["*"], as_dict=True)


def test_entries_are_numbered_in_order_and_each_carries_the_hash_of_the_previous():
	first, second, third = enrolled("reg-a"), enrolled("reg-b"), enrolled("reg-c")
	rows = [stored(x.entry) for x in (first, second, third)]
	assert [rows[1].entry_number, rows[2].entry_number] == [
		rows[0].entry_number + 1,
		rows[0].entry_number + 2,
	]
	assert rows[1].previous_hash == rows[0].entry_hash and rows[2].previous_hash == rows[1].entry_hash
	for row in rows:
		assert row.entry_hash == register.compute_hash(row) and len(row.entry_hash) == 64
		assert row.recorded_by == "Administrator" and row.recorded_on
	assert register.verify().intact


def test_the_hash_covers_the_values_as_stored():
	# Frappe cleans values (markup, spaces) after the controller's hooks: the chain must hold anyway
	enrolled("reg-stored", address="  Via <b>Roma</b> 3 <script>x</script>, Parma  ", full_name=" Anna  ")
	assert register.verify().intact


def test_a_saved_entry_is_refused_every_change_and_deletion_in_process():
	entry = enrolled("reg-immutable").entry
	before = stored(entry)
	doc = frappe.get_doc(ENTRY, entry)
	doc.address = "Via Falsa 1"
	with pytest.raises(RegisterEntryImmutableError):
		doc.save()
	with pytest.raises(RegisterEntryImmutableError):
		frappe.get_doc(ENTRY, entry).save()  # even unchanged
	with pytest.raises(RegisterEntryImmutableError):
		frappe.delete_doc(ENTRY, entry)
	with pytest.raises(RegisterEntryImmutableError):
		frappe.delete_doc(ENTRY, entry, force=True)
	with pytest.raises(frappe.ValidationError):
		frappe.rename_doc(ENTRY, entry, "renamed-entry")
	from frappe.client import delete as client_delete
	from frappe.client import set_value

	with pytest.raises(RegisterEntryImmutableError):
		set_value(ENTRY, entry, "full_name", "Someone Else")
	with pytest.raises(RegisterEntryImmutableError):
		client_delete(ENTRY, entry)
	assert stored(entry) == before


def test_staff_hold_no_right_to_edit_or_delete_entries():
	meta = frappe.get_meta(ENTRY)
	for perm in meta.permissions:
		assert not (
			perm.write or perm.delete or perm.submit or perm.cancel or perm.amend or perm.get("import")
		)
		assert perm.read and perm.create
	assert not meta.allow_rename and not meta.is_submittable


def test_every_http_route_refuses_to_change_or_delete_an_entry(site_server):
	first = enrolled(f"reg-http-{frappe.generate_hash(length=6)}")
	entry = first.entry
	frappe.db.commit()  # nosemgrep: the web server must see it; removed below (the register's tail)
	before = stored(entry)
	try:
		api = site_server.session()  # Administrator: more rights than any CIAC role
		url = site_server.url
		attempts = [
			api.put(f"{url}/api/resource/{ENTRY}/{entry}", json={"address": "Via Falsa 1"}, timeout=30),
			api.delete(f"{url}/api/resource/{ENTRY}/{entry}", timeout=30),
			api.post(
				f"{url}/api/method/frappe.client.set_value",
				json={"doctype": ENTRY, "name": entry, "fieldname": "full_name", "value": "X"},
				timeout=30,
			),
			api.post(
				f"{url}/api/method/frappe.client.delete", json={"doctype": ENTRY, "name": entry}, timeout=30
			),
			api.post(
				f"{url}/api/method/frappe.client.save",
				json={
					"doc": {**frappe.get_doc(ENTRY, entry).as_dict(convert_dates_to_str=True), "address": "X"}
				},
				timeout=30,
			),
			api.post(
				f"{url}/api/method/frappe.model.rename_doc.update_document_title",
				json={"doctype": ENTRY, "docname": entry, "name": "renamed-entry", "enqueue": False},
				timeout=30,
			),
		]
		for response in attempts:
			assert response.status_code >= 400, response.text
		# Deleting in bulk from the list view is queued or refused; either way nothing goes.
		api.post(
			f"{url}/api/method/frappe.desk.reportview.delete_items",
			json={"items": frappe.as_json([entry]), "doctype": ENTRY},
			timeout=30,
		)
		frappe.db.rollback()
		assert stored(entry) == before
	finally:
		frappe.db.delete(ENTRY, {"name": entry})  # the last entry: the chain before it stays whole
		delete_tutor(first.tutor)
		frappe.db.commit()  # nosemgrep


def test_verify_finds_a_row_altered_in_the_database_at_that_entry():
	entries = [enrolled(f"reg-tamper-{n}").entry for n in range(3)]
	assert register.verify().intact
	altered = stored(entries[1])
	frappe.db.sql(f"update `tab{ENTRY}` set address = 'Via Falsa 13' where name = %s", entries[1])
	result = register.verify()
	assert not result.intact
	assert (result.broken_entry, result.broken_number) == (entries[1], altered.entry_number)
	assert "altered" in result.problem
	assert result.checked == altered.entry_number - 1
	assert str(altered.entry_number) in register.verification_message(result)


def test_verify_finds_a_rehashed_row_at_the_next_entry_and_a_removed_one_where_the_gap_is():
	entries = [enrolled(f"reg-rehash-{n}").entry for n in range(3)]
	row = stored(entries[1])
	row.full_name = "Someone Else"
	frappe.db.sql(
		f"update `tab{ENTRY}` set full_name = %s, entry_hash = %s where name = %s",
		(row.full_name, register.compute_hash(row), entries[1]),
	)
	result = register.verify()
	assert result.broken_entry == entries[2] and "previous entry" in result.problem

	frappe.db.rollback()
	entries = [enrolled(f"reg-gap-{n}").entry for n in range(3)]
	frappe.db.sql(f"delete from `tab{ENTRY}` where name = %s", entries[1])
	result = register.verify()
	assert result.broken_entry == entries[2] and "removed" in result.problem


def test_a_correction_follows_the_entry_and_leaves_it_as_written():
	first = enrolled("reg-correct", tax_code="", date_of_birth="1980-01-01")
	original = stored(first.entry)
	correction = frappe.get_doc(
		{
			"doctype": ENTRY,
			"entry_type": register.CORRECTION,
			"tutor": first.tutor,
			"corrects_entry": first.entry,
			"full_name": original.full_name,
			"tax_code": "rss mra 80a01 g337x",
			"date_of_birth": "1980-01-01",
			"address": original.address,
			"start_date": original.start_date,
			"reason": "Codice fiscale mancante",
		}
	).insert()
	assert correction.tax_code == "RSSMRA80A01G337X"
	assert correction.entry_number == original.entry_number + 1
	assert stored(first.entry) == original
	assert register.current_status(first.tutor).name == correction.name
	assert register.is_enrolled(first.tutor)
	assert register.verify().intact


def test_dates_typed_without_leading_zeros_hash_as_stored():
	entry = enrolled("reg-dates", date_of_birth="1980-1-1", start_date="2026-1-5")
	assert str(stored(entry.entry)["date_of_birth"]) == "1980-01-01"
	assert register.verify().intact


def test_correcting_an_earlier_enrolment_does_not_enrol_again_a_tutor_struck_off_since():
	first = enrolled("reg-struck", tax_code="")
	tutor = frappe.get_doc("Tutor", first.tutor)
	struck_off = register.strike_off(tutor, end_date=today())
	original = stored(first.entry)
	frappe.get_doc(
		{
			"doctype": ENTRY,
			"entry_type": register.CORRECTION,
			"tutor": first.tutor,
			"corrects_entry": first.entry,
			"full_name": original.full_name,
			"tax_code": "RSSMRA80A01G337X",
			"address": original.address,
			"start_date": original.start_date,
			"reason": "Codice fiscale mancante",
		}
	).insert()
	assert register.current_status(first.tutor).name == struck_off
	assert not register.is_enrolled(first.tutor)
	assert register.strike_off(tutor) is None  # not struck off twice


@pytest.mark.parametrize(
	"values, field",
	[
		({"corrects_entry": None}, "corrects_entry"),
		({"reason": ""}, "reason"),
		({"tax_code": "ABC"}, "tax_code"),
		({"end_date": "2000-01-01"}, "end_date"),
	],
)
def test_a_wrong_correction_is_refused_next_to_its_field_and_nothing_is_saved(values, field):
	from ciac_tutoring.validation import InvalidFieldsError

	first = enrolled(f"reg-wrong-{field}")
	count = frappe.db.count(ENTRY)
	doc = frappe.get_doc(
		{
			"doctype": ENTRY,
			"entry_type": register.CORRECTION,
			"tutor": first.tutor,
			"corrects_entry": first.entry,
			"full_name": "Tutor",
			"start_date": today(),
			"reason": "typo",
			**values,
		}
	)
	with pytest.raises(InvalidFieldsError) as refusal:
		doc.insert()
	assert field in refusal.value.errors
	assert frappe.db.count(ENTRY) == count


def test_a_tutor_is_not_entered_twice_nor_struck_off_when_not_entered():
	from ciac_tutoring.validation import InvalidFieldsError

	first = enrolled("reg-twice")
	with pytest.raises(InvalidFieldsError, match="already in the register"):
		register.append_entry(
			{"entry_type": register.ENROLMENT, "tutor": first.tutor, "full_name": "X", "start_date": today()}
		)
	other = portal_data.make_tutor("reg-never")
	with pytest.raises(InvalidFieldsError, match="not in the register"):
		register.append_entry(
			{
				"entry_type": register.STRIKING_OFF,
				"tutor": other,
				"full_name": "X",
				"start_date": today(),
				"end_date": today(),
			}
		)


def test_the_csv_export_lists_every_entry_in_order_with_italian_headings():
	enrolled("reg-csv-a")
	second = enrolled("reg-csv-b")
	frappe.local.lang = "it"
	register.download_register_csv()
	rows = list(csv.reader(io.StringIO(frappe.local.response.filecontent)))
	assert rows[0][:5] == [
		"Numero",
		"Tipo di iscrizione",
		"Registrata il",
		"Rettifica l'iscrizione",
		"Nome completo",
	]
	numbers = [int(row[0]) for row in rows[1:]]
	assert numbers == sorted(numbers) and numbers[-1] == stored(second.entry).entry_number
	assert rows[-1][1] == "Iscrizione" and rows[-1][5] == "RSSMRA80A01G337X"
	assert frappe.local.response.type == "download"


def test_a_tutor_may_not_verify_or_export_the_register():
	user = portal_data.make_portal_user("reg-tutor@portal-test.example", "Reg")
	frappe.set_user(user)
	try:
		with pytest.raises(frappe.PermissionError):
			register.verify_register()
		with pytest.raises(frappe.PermissionError):
			register.download_register_csv()
	finally:
		frappe.set_user("Administrator")


def test_anonymising_a_tutor_keeps_their_register_entries_as_written():
	from ciac_tutoring.privacy import retention

	first = enrolled("reg-anonymised", full_name="Giovanna Esposito")
	before = stored(first.entry)
	retention.anonymise({"Tutor": [first.tutor]}, "Erasure request")
	assert frappe.db.get_value("Tutor", first.tutor, "tutor_name") == first.tutor  # the Tutor is anonymised
	assert stored(first.entry) == before  # the register, which the law keeps, is not (docs/privacy.md)
	assert register.verify().intact
