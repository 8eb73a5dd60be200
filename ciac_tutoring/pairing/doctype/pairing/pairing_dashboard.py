from frappe import _


def get_data():
	return {
		"fieldname": "pairing",
		"transactions": [{"label": _("Contacts"), "items": ["Contact Log"]}],
	}
