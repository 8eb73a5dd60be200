"""Realistic programme data in bulk: tutors, beneficiaries, pairings over time, their contact
logs and training sessions. Used by tests, the demo data and the benchmarks.

Rows are written with multi-row INSERTs, bypassing controllers (a million contact logs must
take minutes, not hours), so this module does itself what controllers would: names from the
naming series, fetched names, the pairings' last-contact dates, the beneficiaries' status.

Contact cadences look like real ones: most pairings call about weekly and meet about monthly
with some jitter; some have gaps of two or three weeks; some went quiet days or weeks ago
(they come out Due soon or Overdue); CIAC meets each pairing about every three months.
"""

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_months, getdate, now_datetime

from ciac_tutoring.monitoring.doctype.contact_log.contact_log import refresh_last_contacts

PHONE = "Phone or video call"
MEETING = "In-person meeting"
MESSAGE = "Message"
ACTIVITY = "Activity or event together"
MONITORING = "CIAC monitoring meeting"

ACTIVE_PHASES = ("Tutoring Started", "Monitoring")
EARLY_PHASES = ("Availability Notified", "Interview", "Training", "Presentation")
# Extra pairings, on top of the Active ones, that make the history look lived-in.
HISTORY_SHARE = {"Closed": 0.10, "Suspended": 0.03, "Proposed": 0.04}
# Share of pairings per contact profile: regular, with gaps, gone quiet.
PROFILES = (("regular", 0.70), ("gaps", 0.18), ("quiet", 0.12))
FILLER_MESSAGES_PER_WEEK = 1.0
CONTACT_LOG_CHUNK = 5000

FIRST_NAMES = (
	"Giulia Marco Francesca Luca Chiara Matteo Sara Andrea Elena Davide Anna Paolo Silvia Stefano "
	"Laura Giorgio Marta Alessandro Valentina Roberto Federica Simone Martina Lorenzo"
).split()
LAST_NAMES = (
	"Rossi Bianchi Ferrari Russo Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa Giordano "
	"Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso"
).split()
FAMILY_PREFIXES = ("Famiglia", "Family")
GROUP_NAMES = ("Gruppo Scout", "Parrocchia", "Associazione", "Circolo", "Gruppo di lettura")
BENEFICIARY_FIRST = {
	"Female": "Amina Fatou Mariam Aisha Awa Hana Sara Nadia Grace Blessing Rahel Mona".split(),
	"Male": "Ibrahim Moussa Abdoulaye Omar Yusuf Ahmed Mamadou Samuel Tesfaye Ali Karim Bilal".split(),
}
BENEFICIARY_LAST = (
	"Diallo Traoré Camara Keita Sow Bah Haile Tesfay Okafor Mensah Hussein Rahimi Ahmadi Khan Sylla Ndiaye"
).split()
MUNICIPALITIES = ("Parma", "Parma", "Parma", "Fidenza", "Collecchio", "Langhirano", "Noceto", "Sorbolo")
NOTES = (
	None,
	None,
	None,
	"Quick catch-up, all fine.",
	"Talked about the job interview next week.",
	"Practised Italian for half an hour.",
	"Went through a letter from the Questura together.",
	"Coffee in town, walked to the library.",
	"Helped with the bus pass renewal.",
	"A bit tired, exams coming up.",
)


def generate_programme_data(
	pairings: int,
	months: int = 12,
	seed: int = 42,
	tutors: int | None = None,
	training_sessions: int = 10,
	*,
	contact_logs: int | None = None,
	today: date | str | None = None,
) -> dict:
	"""Create `pairings` Active pairings (plus some Closed, Suspended and Proposed ones) started
	over the last `months` months, their tutors and beneficiaries, contact logs and training
	sessions; return a summary of what was created.

	`tutors` defaults to slightly fewer than the pairings (some tutors follow two refugees);
	extra tutors sit in the earlier phases. `contact_logs`, if given, is the approximate total
	wanted: messages fill the gap above the calls and meetings the cadences produce.
	Does not commit.
	"""
	started = time.monotonic()
	generator = _Generator(pairings, months, seed, tutors, training_sessions, contact_logs, today)
	summary = generator.run()
	summary["seconds"] = round(time.monotonic() - started, 1)
	return summary


class _Generator:
	def __init__(self, pairings, months, seed, tutors, training_sessions, contact_logs, today):
		self.rng = random.Random(seed)
		self.active_count = max(int(pairings), 0)
		self.months = max(int(months), 1)
		self.today = getdate(today or frappe.utils.today())
		self.history_counts = {
			status: round(self.active_count * share) for status, share in HISTORY_SHARE.items()
		}
		paired = self.active_count + self.history_counts["Suspended"] + self.history_counts["Proposed"]
		self.tutor_count = max(int(tutors if tutors is not None else round(paired / 1.15) + 5), 1)
		self.training_session_count = max(int(training_sessions), 0)
		self.contact_log_target = contact_logs
		self.now = now_datetime()
		self.user = frappe.session.user
		# A unique tag keeps generated emails unique across runs on the same site.
		self.tag = frappe.generate_hash(length=6)
		self.coordinators = self.get_coordinators()
		self.summary = {}

	def run(self) -> dict:
		tutors = self.insert_tutors()
		pairings = self.plan_pairings(tutors)
		self.insert_beneficiaries(pairings)
		self.insert_contact_logs(pairings)
		self.insert_pairings(pairings)
		self.insert_training_sessions(tutors)
		from ciac_tutoring.monitoring.compliance import update_compliance
		from ciac_tutoring.monitoring.doctype.contact_month.contact_month import rebuild

		# The contacts were written in SQL, without the controller that counts them.
		rebuild([p["name"] for p in pairings])

		update_compliance(today=self.today)
		self.summary["compliance"] = dict(
			frappe.db.sql(
				"""SELECT compliance_status, COUNT(*) FROM `tabPairing`
				WHERE status = 'Active' AND name IN %(names)s GROUP BY compliance_status""",
				{"names": [p["name"] for p in pairings] or [""]},
			)
		)
		self.summary["pairing_names"] = [p["name"] for p in pairings if p["status"] == "Active"]
		return self.summary

	# --- people -----------------------------------------------------------------------------

	def get_coordinators(self) -> list[str]:
		users = frappe.get_all(
			"Has Role",
			filters={
				"role": "CIAC Coordinator",
				"parenttype": "User",
				"parent": ["not in", ["Administrator"]],
			},
			pluck="parent",
			distinct=True,
		)
		return sorted(users) or ["Administrator"]

	def insert_tutors(self) -> list[dict]:
		names = reserve_names("TUT-.YYYY.-.#####", self.tutor_count, self.today)
		tutors = []
		for index, name in enumerate(names):
			tutor_type = self.rng.choices(("Individual", "Family", "Group", "Association"), (80, 12, 5, 3))[0]
			first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
			if tutor_type == "Individual":
				display_name, contact_person = f"{first} {last}", None
			elif tutor_type == "Family":
				display_name, contact_person = f"{self.rng.choice(FAMILY_PREFIXES)} {last}", f"{first} {last}"
			else:
				display_name = f"{self.rng.choice(GROUP_NAMES)} {self.rng.choice(MUNICIPALITIES)} {index + 1}"
				contact_person = f"{first} {last}"
			registered = self.today - timedelta(days=self.rng.randint(30, 30 * self.months + 90))
			tutors.append(
				{
					"name": name,
					"tutor_type": tutor_type,
					"tutor_name": display_name,
					"contact_person": contact_person,
					"email": f"{first}.{last}.{self.tag}.{index + 1}@tutor.example".lower(),
					"mobile": f"+39 3{self.rng.randint(10, 99)} {self.rng.randint(1000000, 9999999)}",
					"municipality": self.rng.choice(MUNICIPALITIES),
					"heard_about": self.rng.choice(
						("Word of mouth", "CIAC website", "Social media", "Event")
					),
					"privacy_consent": 1,
					"privacy_consent_date": registered,
					"capacity": 1,
					"registered": registered,
					"pairings": 0,
				}
			)
		return tutors

	def plan_pairings(self, tutors: list[dict]) -> list[dict]:
		"""Decide every pairing (status, dates, cadence, tutor) before writing anything."""
		statuses = ["Active"] * self.active_count
		for status, count in self.history_counts.items():
			statuses += [status] * count
		names = reserve_names("PAIR-.YYYY.-.#####", len(statuses), self.today)
		beneficiary_names = reserve_names("BEN-.YYYY.-.#####", len(statuses), self.today)
		open_tutors = [t for t in tutors]  # tutors with room for one more open pairing
		pairings = []
		for name, beneficiary, status in zip(names, beneficiary_names, statuses, strict=True):
			tutor = self.pick_tutor(open_tutors, tutors, status)
			span_days = 30 * self.months
			if status == "Proposed":
				start = None
				presentation = self.today - timedelta(days=self.rng.randint(0, 20))
			else:
				start = self.today - timedelta(days=self.rng.randint(7, max(span_days, 8)))
				presentation = start - timedelta(days=self.rng.randint(3, 15))
			ended = None
			if status in ("Closed", "Suspended") and start:
				ended = min(
					self.today - timedelta(days=self.rng.randint(1, 20)),
					start + timedelta(days=self.rng.randint(30, 200)),
				)
				ended = max(ended, start + timedelta(days=1))
			pairings.append(
				{
					"name": name,
					"beneficiary": beneficiary,
					"tutor": tutor["name"],
					"tutor_name": tutor["tutor_name"],
					"status": status,
					"coordinator": self.rng.choice(self.coordinators),
					"presentation_date": presentation,
					"start_date": start,
					"planned_end_date": add_months(start, 12) if start else None,
					"phone_contacts_per_week": 2 if self.rng.random() < 0.1 else 1,
					"meetings_per_month": 2 if self.rng.random() < 0.1 else 1,
					"closure_date": ended if status == "Closed" else None,
					"ended": ended,
					"profile": _weighted(self.rng, PROFILES),
				}
			)
		self.set_tutor_phases(tutors)
		self.insert_rows("Tutor", tutors, exclude=("registered", "pairings"))
		self.summary["tutors"] = len(tutors)
		return pairings

	def pick_tutor(self, open_tutors: list[dict], tutors: list[dict], status: str) -> dict:
		if status == "Closed" or not open_tutors:  # closed pairings take no capacity
			return self.rng.choice(tutors)
		index = self.rng.randrange(len(open_tutors))
		tutor = open_tutors[index]
		tutor["pairings"] += 1
		tutor["capacity"] = max(tutor["capacity"], tutor["pairings"])
		# Most tutors follow one refugee; about one in seven takes a second one.
		if tutor["pairings"] >= 2 or self.rng.random() > 0.15:
			open_tutors[index] = open_tutors[-1]
			open_tutors.pop()
		return tutor

	def set_tutor_phases(self, tutors: list[dict]) -> None:
		coordinators = self.coordinators
		for tutor in tutors:
			if tutor["pairings"]:
				phase = self.rng.choice(ACTIVE_PHASES)
			else:
				phase = self.rng.choice(EARLY_PHASES + ("Withdrawn", "Concluded"))
			tutor["workflow_state"] = phase
			tutor["phase_changed_on"] = datetime.combine(
				self.today - timedelta(days=self.rng.randint(1, 60)), datetime.min.time()
			)
			if phase != "Availability Notified":
				tutor["interview_date"] = tutor["registered"] + timedelta(days=self.rng.randint(5, 25))
				tutor["interviewer"] = self.rng.choice(coordinators)
				tutor["interview_outcome"] = "Suitable"
			if phase in ACTIVE_PHASES + ("Presentation", "Concluded"):
				tutor["training_hours"] = self.rng.choice((8, 10, 12, 14))

	def insert_beneficiaries(self, pairings: list[dict]) -> None:
		rows = []
		status_of = {"Active": "Paired", "Suspended": "Paired", "Proposed": "Paired", "Closed": "Closed"}
		for pairing in pairings:
			gender = self.rng.choice(("Female", "Male", "Male"))
			first = self.rng.choice(BENEFICIARY_FIRST[gender])
			last = self.rng.choice(BENEFICIARY_LAST)
			pairing["beneficiary_name"] = f"{first} {last}"
			born = self.today - timedelta(days=self.rng.randint(18 * 365, 45 * 365))
			rows.append(
				{
					"name": pairing["beneficiary"],
					"first_name": first,
					"last_name": last,
					"full_name": pairing["beneficiary_name"],
					"gender": gender,
					"date_of_birth": born,
					"municipality": self.rng.choice(MUNICIPALITIES),
					"italian_level": self.rng.choice(("A0", "A1", "A1", "A2", "A2", "B1", "B2")),
					"protection_status": self.rng.choice(
						("Refugee", "Subsidiary protection", "Special protection", "Applicant")
					),
					# Spread over the next two years: a few expire within the digest's window.
					"residence_permit_expiry": self.today + timedelta(days=self.rng.randint(5, 730)),
					"consent": 1,
					"consent_date": pairing["presentation_date"] - timedelta(days=self.rng.randint(5, 60)),
					"status": status_of[pairing["status"]],
				}
			)
		self.insert_rows("Beneficiary", rows)
		self.summary["beneficiaries"] = len(rows)

	# --- contact logs -----------------------------------------------------------------------

	def insert_contact_logs(self, pairings: list[dict]) -> None:
		with_contacts = [p for p in pairings if p["start_date"]]
		filler_per_day = self.filler_rate(with_contacts)
		start_name = reserve_autoincrement("Contact Log", 0)
		writer = _ContactLogWriter(start_name, self.user)
		for pairing in with_contacts:
			for contact_date, kind in self.contacts_of(pairing, filler_per_day):
				writer.add(pairing, contact_date, kind, self.rng)
		writer.flush()
		if writer.count:
			frappe.db.set_next_sequence_val("Contact Log", start_name + writer.count - 1, is_val_used=True)
		self.summary["contact_logs"] = writer.count

	def filler_rate(self, pairings: list[dict]) -> float:
		"""Messages a day per pairing: the natural weekly one, or what reaches the wanted total."""
		natural = FILLER_MESSAGES_PER_WEEK / 7
		if not self.contact_log_target or not pairings:
			return natural
		days = sum(self.contact_days(p) for p in pairings)
		# Calls, meetings, activities and monitoring the cadences produce, per pairing-day.
		per_day = 1 / 7 + 1 / 30 + 1 / 45 + 1 / 90
		missing = self.contact_log_target - days * per_day
		return max(missing / max(days, 1), 0)

	def contact_days(self, pairing: dict) -> int:
		end = pairing["ended"] or self.today
		return max((end - pairing["start_date"]).days, 0)

	def contacts_of(self, pairing: dict, filler_per_day: float):
		"""(date, kind) of every contact of the pairing, by its cadences and profile."""
		rng = self.rng
		start = pairing["start_date"]
		end = pairing["ended"] or self.today
		if pairing["profile"] == "quiet":  # went quiet some days or weeks ago
			end = max(start, end - timedelta(days=rng.randint(4, 45)))
		gaps = []
		if pairing["profile"] == "gaps":
			for _ in range(max(1, (end - start).days // 90)):
				gap_start = start + timedelta(days=rng.randint(0, max((end - start).days, 1)))
				gaps.append((gap_start, gap_start + timedelta(days=rng.randint(10, 25))))

		def in_gap(day):
			return any(a <= day <= b for a, b in gaps)

		phone_every = 7 / pairing["phone_contacts_per_week"]
		meeting_every = 30 / pairing["meetings_per_month"]
		for kind, every, jitter in (
			(PHONE, phone_every, 2),
			(MEETING, meeting_every, 7),
			(ACTIVITY, 45, 15),
			(MONITORING, 90, 15),
		):
			day = start + timedelta(days=rng.randint(0, int(every)))
			while day <= end:
				if not in_gap(day) or kind == MONITORING:
					yield day, kind
				day += timedelta(days=max(1, round(every + rng.uniform(-jitter, jitter))))
		if filler_per_day > 0:
			span = (end - start).days
			expected = span * filler_per_day
			count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
			for _ in range(count):
				yield start + timedelta(days=rng.randint(0, span)), MESSAGE

	# --- pairings and training ------------------------------------------------------------------

	def insert_pairings(self, pairings: list[dict]) -> None:
		rows = [
			{k: v for k, v in p.items() if k not in ("ended", "profile")}
			| {"closure_reason": "Project completed" if p["status"] == "Closed" else None}
			for p in pairings
		]
		self.insert_rows("Pairing", rows)
		refresh_last_contacts([p["name"] for p in pairings])
		goals = frappe.get_all("Tutoring Goal", filters={"enabled": 1}, order_by="sequence asc", pluck="name")
		goal_rows = [
			{
				"name": frappe.generate_hash(length=10),
				"parent": p["name"],
				"parenttype": "Pairing",
				"parentfield": "goals",
				"idx": idx,
				"goal": goal,
				"progress": self.rng.randint(0, 5) if p["start_date"] else 0,
			}
			for p in pairings
			for idx, goal in enumerate(goals, start=1)
		]
		self.insert_rows("Pairing Goal", goal_rows)
		self.summary["pairings"] = dict(Counter(p["status"] for p in pairings))

	def insert_training_sessions(self, tutors: list[dict]) -> None:
		count = self.training_session_count
		if not count:
			self.summary["training_sessions"] = 0
			return
		names = reserve_names("TRN-.YYYY.-.####", count, self.today)
		topics = frappe.get_all("Training Topic", pluck="name") or [None]
		sessions, attendees = [], []
		for index, name in enumerate(names):
			# The last third lie ahead (the first of them tomorrow), the rest were held.
			upcoming = index >= count - max(1, count // 3)
			if upcoming:
				day = self.today + timedelta(days=1 + 7 * (index - (count - max(1, count // 3))))
			else:
				day = self.today - timedelta(days=self.rng.randint(7, 30 * self.months))
			starts_on = datetime.combine(day, datetime.min.time()) + timedelta(hours=18)
			capacity = 20
			sessions.append(
				{
					"name": name,
					"title": f"Tutor training {index + 1}",
					"topic": self.rng.choice(topics),
					"starts_on": starts_on,
					"ends_on": starts_on + timedelta(hours=2),
					"location": "CIAC, Parma",
					"trainer": "CIAC staff",
					"capacity": capacity,
					"status": "Planned" if upcoming else "Held",
				}
			)
			for idx, tutor in enumerate(self.rng.sample(tutors, min(len(tutors), 12)), start=1):
				attendees.append(
					{
						"name": frappe.generate_hash(length=10),
						"parent": name,
						"parenttype": "Training Session",
						"parentfield": "attendees",
						"idx": idx,
						"tutor": tutor["name"],
						"tutor_name": tutor["tutor_name"],
						"registered_on": day - timedelta(days=self.rng.randint(1, 20)),
						"attendance": "Registered"
						if upcoming
						else self.rng.choice(("Attended", "Attended", "Absent")),
						"hours": 0 if upcoming else 2,
					}
				)
		self.insert_rows("Training Session", sessions)
		self.insert_rows("Training Attendance", attendees)
		self.summary["training_sessions"] = len(sessions)

	def insert_rows(self, doctype: str, rows: list[dict], exclude=()) -> None:
		"""Multi-row INSERT of the columns the table has (the model may grow under us)."""
		if not rows:
			return
		columns = set(frappe.db.get_table_columns(doctype))
		keys = dict.fromkeys(k for row in rows for k in row)
		fields = [f for f in keys if f in columns and f not in exclude]
		standard = [f for f in ("creation", "modified", "owner", "modified_by") if f not in fields]
		# Numeric columns are NOT NULL: a missing value is 0, as Frappe would store it.
		numeric = {
			df.fieldname
			for df in frappe.get_meta(doctype).fields
			if df.fieldtype in ("Int", "Float", "Check", "Currency", "Percent", "Rating", "Duration")
		}
		frappe.db.bulk_insert(
			doctype,
			fields + standard,
			[
				[0 if row.get(f) is None and f in numeric else row.get(f) for f in fields]
				+ [self.now, self.now, self.user, self.user]
				for row in rows
			],
			chunk_size=5000,
		)


class _ContactLogWriter:
	"""Buffers contact logs and writes them in multi-row INSERTs of literal values (quick to build:
	every string is either generated here or escaped once)."""

	COLUMNS = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"pairing",
		"tutor",
		"beneficiary",
		"contact_date",
		"kind",
		"initiated_by",
		"duration_minutes",
		"wellbeing",
		"notes",
		"logged_by",
	)

	def __init__(self, first_name: int, user: str):
		self.next_name = first_name
		self.user = frappe.db.escape(user)
		self.buffer = []
		self.count = 0
		self.notes = [frappe.db.escape(n) if n else "NULL" for n in NOTES]
		self.sql = "INSERT INTO `tabContact Log` ({}) VALUES ".format(
			", ".join(f"`{c}`" for c in self.COLUMNS)
		)

	def add(self, pairing: dict, contact_date: date, kind: str, rng: random.Random) -> None:
		initiated_by = "CIAC" if kind == MONITORING else rng.choice(("Tutor", "Tutor", "Beneficiary"))
		roll = rng.random()
		wellbeing = "Fine" if roll < 0.88 else "Some concern" if roll < 0.985 else "Needs CIAC attention"
		minutes = {PHONE: 20, MEETING: 90, MESSAGE: 5, ACTIVITY: 120, MONITORING: 60}[kind]
		stamp = f"{contact_date} 19:{rng.randint(10, 59)}:00"
		self.buffer.append(
			f"({self.next_name},'{stamp}','{stamp}',{self.user},{self.user},'{pairing['name']}',"
			f"'{pairing['tutor']}','{pairing['beneficiary']}','{contact_date}','{kind}','{initiated_by}',"
			f"{minutes + rng.randint(-minutes // 2, minutes // 2)},'{wellbeing}',{rng.choice(self.notes)},{self.user})"
		)
		self.next_name += 1
		if len(self.buffer) >= CONTACT_LOG_CHUNK:
			self.flush()

	def flush(self) -> None:
		if not self.buffer:
			return
		frappe.db.sql(self.sql + ",".join(self.buffer))
		self.count += len(self.buffer)
		self.buffer = []


# --- names ----------------------------------------------------------------------------------


def reserve_names(series: str, count: int, on: date) -> list[str]:
	"""Take `count` consecutive names of a naming series like "PAIR-.YYYY.-.#####" at once."""
	if count <= 0:
		return []
	prefix, hashes = series.rsplit(".", 1)
	# The naming series key, as frappe.model.naming builds it: "PAIR-.YYYY.-" -> "PAIR-2026-".
	key = "".join(str(getdate(on).year) if part == "YYYY" else part for part in prefix.split("."))
	digits = len(hashes)
	current = frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name` = %s FOR UPDATE", key)
	first = (current[0][0] if current else 0) + 1
	last = first + count - 1
	if current:
		frappe.db.sql("UPDATE `tabSeries` SET `current` = %s WHERE `name` = %s", (last, key))
	else:
		frappe.db.sql("INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, %s)", (key, last))
	return [f"{key}{number:0{digits}d}" for number in range(first, last + 1)]


def reserve_autoincrement(doctype: str, _count: int) -> int:
	"""The next name of an autoincrement DocType (the caller moves the sequence past what it used)."""
	return int(frappe.db.get_next_sequence_val(doctype))


def _weighted(rng: random.Random, choices) -> str:
	values, weights = zip(*choices, strict=True)
	return rng.choices(values, weights)[0]
