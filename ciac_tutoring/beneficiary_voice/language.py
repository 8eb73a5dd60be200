"""The languages the check-in page and messages ship in, and which one a beneficiary gets."""

# Each named in its own language on the page's switch (never translated).
PAGE_LANGUAGES = {"it": "Italiano", "en": "English", "fr": "Français", "ar": "العربية"}
DEFAULT_LANGUAGE = "it"
RIGHT_TO_LEFT = ("ar",)


def language_for(preferred: str | None, mother_tongue: str | None = None) -> str:
	"""The language she chose on the page, else her mother tongue, else Italian."""
	for code in (preferred, mother_tongue):
		if code in PAGE_LANGUAGES:
			return code
	return DEFAULT_LANGUAGE


def direction(language: str) -> str:
	return "rtl" if language in RIGHT_TO_LEFT else "ltr"
