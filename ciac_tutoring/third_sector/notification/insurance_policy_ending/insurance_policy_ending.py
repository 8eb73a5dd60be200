# Frappe loads this module for every standard Notification (its get_context adds to the template's
# context): the reminder needs nothing beyond the policy itself.


def get_context(context):
	pass
