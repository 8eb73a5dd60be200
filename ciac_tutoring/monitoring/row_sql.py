"""What the reminder rows written by the database (tutor_reminder_rows.py, overdue_alert_rows.py)
are built of: the INSERT that writes them, texts in the row's language, JSON assembled in SQL,
dates in the system's format."""

import frappe
from frappe.utils import now_datetime

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.monitoring.email_templates import LANGUAGES, TemplateRenderer
from ciac_tutoring.monitoring.mailer import PENDING, enqueue_email_job


def insert_logs(
	rule: str, columns: dict[str, str], rows: str, values: dict, *, now=None, materialise: bool = False
) -> int:
	"""Write Pending Tutoring Reminder Log rows of `rule` about a pairing in one INSERT ... SELECT,
	have their emails sent after the commit, and return how many were written. `columns`: the log's
	fields (`key`, `period`, `pairing`, `recipient`, `message`, `email_context`, maybe `tutor`) as SQL
	over `rows` (`FROM ... WHERE ...`); each row is named by a hash of its key. `materialise`: the
	derived tables of `rows` computed once, not merged into every use of their columns."""
	frappe.db.sql(
		f"""
		{"SET STATEMENT optimizer_switch = 'derived_merge=off' FOR" if materialise else ""}
		INSERT INTO `tabTutoring Reminder Log` (name, rule, sent_on, reference_doctype,
			reference_name, email_status, creation, modified, owner, modified_by,
			{", ".join(f"`{field}`" for field in columns)})
		SELECT LEFT(MD5(CONCAT(%(salt)s, {columns["key"]})), 10), %(rule)s, %(now)s, 'Pairing',
			{columns["pairing"]}, %(pending)s, %(now)s, %(now)s, %(user)s, %(user)s,
			{", ".join(columns.values())}
		{rows}
		""",
		{
			**values,
			"salt": frappe.generate_hash(length=10),
			"rule": rule,
			"now": now or now_datetime(),
			"pending": PENDING,
			"user": frappe.session.user,
		},
	)
	written = frappe.db._cursor.rowcount
	if written:
		enqueue_email_job()
	return written


class Texts:
	"""SQL that picks a text's translation by the row's `r.language`; the translations go in as
	parameters."""

	def __init__(self, renderer: TemplateRenderer):
		self.renderer, self.values, self.parameters = renderer, {}, {}

	def __call__(self, text: str) -> str:
		cases = []
		for language in LANGUAGES:
			translation = self.renderer.translate(text, language)
			parameter = self.parameters.setdefault(translation, f"text_{len(self.parameters)}")
			self.values[parameter] = translation
			cases.append(f"WHEN '{language}' THEN %({parameter})s")
		return f"CASE r.language {' '.join(cases)} END"


def json_string(expression: str) -> str:
	return f"COALESCE(JSON_QUOTE({expression}), 'null')"


def json_object(**members: str) -> str:
	"""A JSON object whose members' values are SQL expressions already JSON-encoded."""
	parts = []
	for index, (name, value) in enumerate(members.items()):
		parts += [f"'{', ' if index else ''}\"{name}\": '", value]
	return f"CONCAT('{{', {', '.join(parts)}, '}}')"


def json_array(items: list[str]) -> str:
	"""A JSON array of the SQL expressions `items` (JSON-encoded, or NULL to leave one out)."""
	return f"CONCAT('[', CONCAT_WS(', ', {', '.join(items)}), ']')"


def commitment_json(text: Texts, commitment: str, overdue: str, due_date: str) -> str:
	"""One commitment as `reminder_parts.commitments_context` describes it (label, overdue, state,
	due date), from the SQL conditions `overdue` and the formatted `due_date`."""
	return json_object(
		label=json_string(text(commitment)),
		overdue=f"IF({overdue}, 'true', 'false')",
		state=json_string(f"IF({overdue}, {text(compliance.OVERDUE)}, {text(compliance.DUE_SOON)})"),
		due_date=json_string(due_date),
	)


# The ASCII characters urllib.parse.quote(value, safe="") escapes; "%" first, so that no escape
# is escaped again.
URL_ESCAPED = "% !\"#$&'()*+,/:;<=>?@[\\]^`{|}"


def url_quoted_sql(expression: str) -> tuple[str, dict]:
	"""(SQL, parameters): `quote(value, safe="")` of a text in SQL, for the ASCII a document's name
	may hold (a name with other characters keeps them, which browsers escape themselves)."""
	values = {}
	for index, char in enumerate(URL_ESCAPED):
		values[f"url_char_{index}"], values[f"url_escape_{index}"] = char, f"%{ord(char):02X}"
		expression = f"REPLACE({expression}, %(url_char_{index})s, %(url_escape_{index})s)"
	return expression, values


def language_sql(user_language: str) -> str:
	"""`TemplateRenderer.language_for` in SQL: 'it-IT' -> 'it', a language without templates ->
	%(default_language)s (parameters: `language_values`)."""
	short = f"SUBSTRING_INDEX(LOWER({user_language}), '-', 1)"
	return f"IF({short} IN %(languages)s, {short}, %(default_language)s)"


def language_values(renderer: TemplateRenderer) -> dict:
	return {"languages": LANGUAGES, "default_language": renderer.language_for(None)}


def sql_date_format() -> str:
	"""The system's date format (`formatdate`'s dd-mm-yyyy, mm/dd/yyyy, ...) for DATE_FORMAT."""
	date_format = frappe.db.get_default("date_format") or "yyyy-mm-dd"
	return date_format.replace("dd", "%d").replace("mm", "%m").replace("yyyy", "%Y")
