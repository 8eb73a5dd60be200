from frappe import _


def get_data():
	return {
		"fieldname": "tutor",
		"transactions": [
			{"label": _("Tutoring"), "items": ["Pairing", "Contact Log"]},
			# Training Attendance rows carry the tutor: Frappe matches the child table's field
			{"label": _("Training"), "items": ["Training Session"]},
		],
	}
