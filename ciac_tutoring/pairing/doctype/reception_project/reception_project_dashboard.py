from frappe import _


def get_data():
	return {
		"fieldname": "reception_project",
		"transactions": [{"label": _("Beneficiaries"), "items": ["Beneficiary"]}],
	}
