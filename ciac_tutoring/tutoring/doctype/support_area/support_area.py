# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class SupportArea(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		area_name: DF.Data
		description: DF.SmallText | None
		enabled: DF.Check
	# end: auto-generated types
	pass


def support_area_options() -> list[dict]:
	"""The enabled areas a form offers (name, area_name), by area name."""
	SupportArea = frappe.qb.DocType("Support Area")
	return (
		frappe.qb.from_(SupportArea)
		.select(SupportArea.name, SupportArea.area_name)
		.where(SupportArea.enabled == 1)
		.orderby(SupportArea.area_name)
		.run(as_dict=True)
	)


def enabled_support_areas(areas) -> set[str]:
	"""Those of `areas` that are enabled Support Areas."""
	if not areas:
		return set()
	SupportArea = frappe.qb.DocType("Support Area")
	return set(
		frappe.qb.from_(SupportArea)
		.select(SupportArea.name)
		.where(SupportArea.name.isin(list(areas)) & (SupportArea.enabled == 1))
		.run(pluck=True)
	)
