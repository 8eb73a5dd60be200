"""Sites that had the app before the activation workflow shipped get it on `migrate`.

A fresh install creates it in after_install (and marks this patch as done). The pattern
for later changes to the shipped workflow: a new patch that edits the site's Workflow on
purpose (add a state, a transition), touching only what it must, since admins may have
edited the rest in the desk.
"""

from ciac_tutoring.activation.workflows.install import (
	install_notifications,
	install_tutor_activation_workflow,
)


def execute():
	install_tutor_activation_workflow()
	install_notifications()
