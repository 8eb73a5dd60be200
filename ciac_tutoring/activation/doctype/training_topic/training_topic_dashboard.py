from frappe import _


def get_data():
	return {"fieldname": "topic", "transactions": [{"label": _("Training"), "items": ["Training Session"]}]}
