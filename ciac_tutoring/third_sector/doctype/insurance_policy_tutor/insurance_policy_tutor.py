# Copyright (c) 2026, CIAC Onlus and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class InsurancePolicyTutor(Document):
	# begin: auto-generated types
	# end: auto-generated types
	pass
