from frappe import _


def get_data():
	return {
		"fieldname": "beneficiary",
		"transactions": [{"label": _("Tutoring"), "items": ["Pairing", "Contact Log"]}],
	}
