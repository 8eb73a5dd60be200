"""Calendars (iCalendar, RFC 5545): a tutor's private feed, the staff's feed, and one event's .ics.

- A tutor's feed: the training sessions they are registered for, the supervision meetings they are
  invited to, and the next weekly call and monthly meeting of each of their Active pairings as
  all-day due dates (the compliance rule's due dates).
- The staff's feed: every training session and supervision meeting.
Both are reached by a secret address (Calendar Feed), which a calendar application polls without
logging in; a wrong or revoked secret finds nothing (404), a staff feed whose user is no longer
staff is refused (403). Times are in the site's time zone (Europe/Rome), with its VTIMEZONE.
"""

import hashlib
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, get_url, getdate, now_datetime
from icalendar import Calendar, Event
from werkzeug.wrappers import Response

from ciac_tutoring.monitoring import compliance
from ciac_tutoring.permissions import is_staff, is_visible_training_session, own_tutor_names
from ciac_tutoring.supervision.doctype.calendar_feed.calendar_feed import find_feed, get_or_create_feed
from ciac_tutoring.tutoring.vocabulary import SIDE_STATES

PRODUCT_ID = "-//CIAC Onlus//CIAC Tutoring//IT"
UID_DOMAIN = "ciac-tutoring"
# How far back a feed reaches: a calendar keeps the events it already has.
PAST_DAYS = 180
EVENT_DOCTYPES = ("Training Session", "Supervision Meeting")
DEFAULT_TIMEZONE = "Europe/Rome"


# --- what is in a feed ----------------------------------------------------------------------


# Per event DocType: its table's alias, its title field and the child table listing its tutors.
_EVENT_TABLES = {
	"Training Session": ("title", "Training Attendance", "AND a.attendance != 'Excused'"),
	"Supervision Meeting": ("topic", "Supervision Attendee", ""),
}


def events(doctype: str, tutor: str | None = None, name: str | None = None) -> list[dict]:
	"""The sessions or meetings not cancelled from PAST_DAYS ago (or the one named, whenever it is);
	a tutor's: those listing them (registered for a session, invited to a meeting)."""
	title, child, child_condition = _EVENT_TABLES[doctype]
	tutor_join = (
		f"""JOIN `tab{child}` a ON a.parent = e.name AND a.parenttype = %(doctype)s
		AND a.parentfield = 'attendees' AND a.tutor = %(tutor)s {child_condition}"""
		if tutor
		else ""
	)
	which = "e.name = %(name)s" if name else "e.status != 'Cancelled' AND e.starts_on >= %(since)s"
	return frappe.db.sql(
		f"""SELECT e.name, e.{title} AS summary, e.starts_on, e.ends_on, e.location, e.online_link,
			e.modified, %(doctype)s AS doctype
		FROM `tab{doctype}` e {tutor_join}
		WHERE {which} ORDER BY e.starts_on""",
		{"doctype": doctype, "tutor": tutor, "name": name, "since": add_days(now_datetime(), -PAST_DAYS)},
		as_dict=True,
	)


def due_dates(tutor: str, language: str) -> list[dict]:
	"""The next weekly call and monthly meeting of each of the tutor's Active pairings."""
	pairings = frappe.get_all(
		"Pairing",
		filters={"tutor": tutor, "status": "Active"},
		fields=["name", "beneficiary"],
	)
	if not pairings:
		return []
	first_names = dict(
		frappe.get_all(
			"Beneficiary",
			filters={"name": ["in", [p.beneficiary for p in pairings]]},
			fields=["name", "first_name"],
			as_list=True,
		)
	)
	commitments = compliance.get_commitments(
		[p.name for p in pairings], commitments=(compliance.PHONE, compliance.MEETING)
	)
	events = []
	for pairing in pairings:
		row = commitments.get(pairing.name) or {}
		for commitment, title in (
			(compliance.PHONE, _("Weekly call with {0}", lang=language)),
			(compliance.MEETING, _("Monthly meeting with {0}", lang=language)),
		):
			due = row.get(f"{compliance.alias(commitment)}_due")
			if due:
				events.append(
					{
						"uid": f"due-{pairing.name}-{compliance.alias(commitment)}",
						"summary": title.format(first_names.get(pairing.beneficiary) or ""),
						"due": getdate(due),
					}
				)
	return events


# --- the iCalendar ----------------------------------------------------------------------------


def programme_timezone() -> str:
	"""The zone the desk's times are typed in: the site's, Europe/Rome (CIAC's) when none is set
	(Frappe would fall back to Asia/Kolkata)."""
	return frappe.db.get_system_setting("time_zone") or DEFAULT_TIMEZONE


def build_calendar(name: str, timed: list[dict], all_day: list[dict] = ()) -> bytes:
	zone = ZoneInfo(programme_timezone())
	calendar = Calendar()
	calendar.add("prodid", PRODUCT_ID)
	calendar.add("version", "2.0")
	calendar.add("calscale", "GREGORIAN")
	calendar.add("x-wr-calname", name)
	calendar.add("x-wr-timezone", zone.key)
	stamp = datetime.now(tz=ZoneInfo("UTC")).replace(microsecond=0)
	for row in timed:
		event = Event()
		event.add("uid", f"{frappe.scrub(row['doctype'])}-{row['name']}@{UID_DOMAIN}")
		event.add("dtstamp", stamp)
		event.add("summary", row["summary"])
		starts_on = get_datetime(row["starts_on"]).replace(tzinfo=zone)
		event.add("dtstart", starts_on)
		event.add(
			"dtend", get_datetime(row["ends_on"]).replace(tzinfo=zone) if row.get("ends_on") else starts_on
		)
		if row.get("location"):
			event.add("location", row["location"])
		if row.get("online_link"):
			event.add("url", row["online_link"])
		event.add("last-modified", get_datetime(row["modified"]).replace(tzinfo=zone, microsecond=0))
		calendar.add_component(event)
	for row in all_day:
		event = Event()
		event.add("uid", f"{row['uid']}@{UID_DOMAIN}")
		event.add("dtstamp", stamp)
		event.add("summary", row["summary"])
		event.add("dtstart", row["due"])
		event.add("dtend", row["due"] + timedelta(days=1))
		event.add("transp", "TRANSPARENT")
		calendar.add_component(event)
	if timed:
		# Only the years the events span: the whole zone history would weigh more than the events.
		first = min(getdate(row["starts_on"]) for row in timed)
		calendar.add_missing_timezones(first_date=add_days(first, -366), last_date=add_days(first, 2 * 366))
	return calendar.to_ical()


def calendar_response(content: bytes, filename: str, attachment: bool = False) -> Response:
	response = Response(content, mimetype="text/calendar")
	response.charset = "utf-8"
	response.headers["Content-Disposition"] = (
		f'{"attachment" if attachment else "inline"}; filename="{filename}"'
	)
	response.headers["Cache-Control"] = "private, no-store"
	response.headers["ETag"] = hashlib.sha256(content).hexdigest()[:32]
	return response


def tutor_calendar(tutor: str) -> bytes:
	user = frappe.db.get_value("Tutor", tutor, "user")
	language = (frappe.db.get_value("User", user, "language") if user else None) or "it"
	return build_calendar(
		_("CIAC tutoring", lang=language),
		[*events("Training Session", tutor), *events("Supervision Meeting", tutor)],
		due_dates(tutor, language),
	)


def staff_calendar() -> bytes:
	return build_calendar(
		_("CIAC training and supervision"), [*events("Training Session"), *events("Supervision Meeting")]
	)


# --- endpoints --------------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["GET"])
def feed(token: str | None = None) -> Response:
	"""The calendar of the feed whose secret is `token` (calendar applications poll it as Guest)."""
	found = find_feed(token)
	if not found:
		raise frappe.DoesNotExistError(_("This calendar does not exist."))
	if found.feed_for == "Staff":
		enabled = frappe.db.get_value("User", found.user, "enabled")
		if not enabled or not is_staff(found.user):
			raise frappe.PermissionError(_("This calendar is no longer available."))
		return calendar_response(staff_calendar(), "ciac-staff.ics")
	tutor = frappe.db.get_value("Tutor", found.tutor, ["user", "workflow_state"], as_dict=True)
	if not tutor:
		raise frappe.DoesNotExistError(_("This calendar does not exist."))
	# a tutor who left the programme, or whose account is disabled, no longer sees meetings and names
	if tutor.workflow_state in SIDE_STATES or (
		tutor.user and not frappe.db.get_value("User", tutor.user, "enabled")
	):
		raise frappe.PermissionError(_("This calendar is no longer available."))
	return calendar_response(tutor_calendar(found.tutor), "ciac-tutoring.ics")


@frappe.whitelist(methods=["GET"])
def event_ics(doctype: str, name: str) -> Response:
	"""One training session or supervision meeting as an .ics download: for staff who may read it,
	for a tutor who may see it (a session open or theirs, a meeting they are invited to)."""
	if doctype not in EVENT_DOCTYPES or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		raise frappe.DoesNotExistError(_("This event does not exist."))
	if not (frappe.has_permission(doctype, "read", name) or tutor_may_see(doctype, name)):
		raise frappe.PermissionError(_("This event is not yours."))
	row = events(doctype, name=name)[0]
	return calendar_response(build_calendar(row["summary"], [row]), f"{name}.ics", attachment=True)


def tutor_may_see(doctype: str, name: str) -> bool:
	tutors = own_tutor_names()
	if not tutors:
		return False
	if doctype == "Training Session":
		return is_visible_training_session(name)
	return bool(
		frappe.db.exists(
			"Supervision Attendee",
			{"parenttype": "Supervision Meeting", "parent": name, "tutor": ["in", tutors]},
		)
	)


@frappe.whitelist(methods=["POST"])
def get_staff_feed(regenerate: bool = False) -> str:
	"""The address of the logged-in staff user's feed of every session and meeting."""
	if frappe.session.user == "Guest" or not is_staff():
		raise frappe.PermissionError(_("Only CIAC staff have this calendar."))
	return get_or_create_feed(user=frappe.session.user, regenerate=bool(cint(regenerate))).url()


def event_ics_url(doctype: str, name: str) -> str:
	return get_url(
		f"/api/method/ciac_tutoring.supervision.calendar.event_ics?{urlencode({'doctype': doctype, 'name': name})}"
	)
