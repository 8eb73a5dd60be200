# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class MunicipalityDistance(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		distance_km: DF.Float
		municipality: DF.Data
		other_municipality: DF.Data

	# end: auto-generated types
	def before_validate(self):
		self.municipality = (self.municipality or "").strip()
		self.other_municipality = (self.other_municipality or "").strip()

	def validate(self):
		self.validate_two_municipalities()
		self.validate_one_row_per_pair()

	def validate_two_municipalities(self):
		if self.municipality.lower() == self.other_municipality.lower():
			frappe.throw(_("A distance is between two different municipalities"))
		if (self.distance_km or 0) < 0:
			frappe.throw(_("The distance cannot be negative"))

	def validate_one_row_per_pair(self):
		"""One row per pair, whichever way round: the matching reads it both ways."""
		table = frappe.qb.DocType("Municipality Distance")
		a, b = self.municipality, self.other_municipality
		existing = (
			frappe.qb.from_(table)
			.select(table.name)
			.where(table.name != (self.name or ""))
			.where(
				((table.municipality == a) & (table.other_municipality == b))
				| ((table.municipality == b) & (table.other_municipality == a))
			)
			.limit(1)
			.run()
		)
		if existing:
			frappe.throw(
				_("The distance between {0} and {1} is already recorded").format(
					frappe.bold(a), frappe.bold(b)
				)
			)
