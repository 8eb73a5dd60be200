"""Sites installed before CIAC Manager could customise the desk get its rights once."""

from ciac_tutoring.setup.roles import grant_customising_rights


def execute():
	grant_customising_rights()
