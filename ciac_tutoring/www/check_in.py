"""Check-in (public, by signed link): the beneficiary's own answers. See beneficiary_voice/page.py."""

from ciac_tutoring.beneficiary_voice.page import get_context  # noqa: F401

no_cache = 1
