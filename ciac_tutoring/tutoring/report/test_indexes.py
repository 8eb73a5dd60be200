import frappe

from ciac_tutoring.patches.v0_2 import drop_support_area_item_contact_copies as patch


def test_the_patch_drops_the_support_area_item_copies_and_their_indexes():
	# A site as the v0_1 patches left it: the copied columns and the indexes on them.
	frappe.db.sql_ddl(
		f"""ALTER TABLE `{patch.TABLE}`
		ADD COLUMN IF NOT EXISTS `contact_date` date,
		ADD COLUMN IF NOT EXISTS `pairing` varchar(140),
		ADD COLUMN IF NOT EXISTS `tutor` varchar(140),
		ADD INDEX IF NOT EXISTS `parent_parenttype_support_area_index` (parent, parenttype, support_area),
		ADD INDEX IF NOT EXISTS `parenttype_contact_date_support_area_pairing_tutor_index`
			(parenttype, contact_date, support_area, pairing, tutor)"""
	)

	patch.execute()
	patch.execute()  # a site that ran it already: nothing left to do

	columns = set(frappe.db.sql_list(f"SHOW COLUMNS FROM `{patch.TABLE}`"))
	assert "support_area" in columns and not columns & set(patch.COLUMNS)
	for index in patch.INDEXES:
		assert not frappe.db.has_index(patch.TABLE, index), index
