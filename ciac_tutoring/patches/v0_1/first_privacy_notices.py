"""Sites installed before consents were versioned get version 1 of each privacy notice."""

from ciac_tutoring.privacy.notices import ensure_privacy_notices


def execute():
	ensure_privacy_notices()
