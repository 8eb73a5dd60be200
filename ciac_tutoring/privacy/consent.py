"""Consents given on the public forms: which notice to show, and the record of the version shown."""

import frappe
from frappe.utils import getdate, today
from frappe.utils.html_utils import sanitize_html
from markupsafe import Markup

from ciac_tutoring.privacy.doctype.consent_record.consent_record import PURPOSE_OF, record_consent
from ciac_tutoring.privacy.doctype.privacy_notice.privacy_notice import get_current_notice


def notice_for_form(party_type: str, lang: str | None) -> frappe._dict | None:
	"""What the form shows: the current notice's name (posted back) and its text in `lang`."""
	notice = get_current_notice(PURPOSE_OF[party_type])
	if not notice:
		return None
	return frappe._dict(name=notice.name, html=Markup(sanitize_html(notice.text_for(lang))))


def record_web_consent(party_type: str, party: str, shown_notice: str | None, lang: str | None) -> str | None:
	"""Record the version the visitor was shown (posted back by the form), if it is a notice of the
	right purpose already in effect; otherwise (a forged or stale value) the current one."""
	purpose = PURPOSE_OF[party_type]
	notice = frappe.db.get_value(
		"Privacy Notice", shown_notice or "", ["name", "purpose", "effective_from"], as_dict=True
	)
	if not notice or notice.purpose != purpose or getdate(notice.effective_from) > getdate(today()):
		notice = get_current_notice(purpose)
	if not notice:
		return None
	return record_consent(party_type, party, notice.name, "Web form", lang)
