from frappe import _


def get_data():
	return {"fieldname": "closure_reason", "transactions": [{"label": _("Tutoring"), "items": ["Pairing"]}]}
