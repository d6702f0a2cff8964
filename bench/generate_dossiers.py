"""Generate N synthetic dossiers fast, with PostgreSQL COPY, for the benchmarks (bench/bench_pages.py).

    DJANGO_SETTINGS_MODULE=config.settings.base DJANGO_DEBUG=1 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
    .venv/bin/python bench/generate_dossiers.py --count 1000000

(or `python -m bench.generate_dossiers --count ...` from the checkout). Run it on a database of its own,
migrated: it adds rows and never deletes any. With no procedure in the database it first loads the demo
catalogue (load_demo).

What it makes, for a year of activity ending now (--days, --end):
- dossiers spread over the agencies that have procedures, a few agencies much busier than the others
  (Zipf-like weights), over working days and office hours (online submissions also at night and on
  days off), 55 % online / 40 % counter / 5 % postal where the procedure allows it;
- codes `<agency code>-YYMMDD-NNNN` numbered per agency and day (more digits past 9999), continuing the
  DossierCodeSequence rows so that later real submissions never collide, and those rows updated;
- each dossier's life simulated in working time (the portal's office sessions, the working calendar's
  days off): reception delay, due date from the procedure's time, processing taking 20-100 % of the
  allowed time (about 1 in 10 late), 5 % paused once for a supplement, 4 % refused, 3 % withdrawn;
  finished ones carry finished_at, timeliness (early / on time / late, by date as the portal classes
  them) and, once handed back, returned_at; dossiers still in flight are received, processing,
  awaiting approval or waiting for the applicant, according to how far their simulated processing is
  at --end; the deadline watch's flags are set as if the watch had been running;
- the events of each dossier's path (submit, receive, forward, take, propose, approve, deliver, ...),
  unless --no-events;
- per agency four officers (bench.*@bench.local: reception, two processing, approver) who act in
  the events and are the assignees; the benchmark signs in as them.
Synthetic dossiers have no applicant account (as counter intakes) and no files.

Rows are produced in Python and streamed in chunks to `COPY ... FROM STDIN` (text format) with
explicit ids taken from the table's sequence; the table keeps its indexes; foreign-key triggers are
off during the load (session_replication_role, so a superuser is needed). VACUUM ANALYZE runs at the end.
"""

import argparse
import io
import os
import random
import sys
import time as clock
import uuid
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the project importable and set Django up
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone as dj_timezone  # noqa: E402

from dossiers.deadlines import at_risk_refresh  # noqa: E402
from dossiers.search import search_text_for  # noqa: E402

BENCH_EMAIL_DOMAIN = "bench.local"
CHUNK_ROWS = 50_000

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Tạ".split()
MIDDLE = "Văn Thị Minh Quốc Thu Hữu Đức Ngọc Thanh Xuân Hoài Bảo Gia Kim".split()
GIVEN = (
    "An Bình Chi Dũng Giang Hà Hải Hạnh Hoa Hùng Huy Khánh Lan Linh Long Mai Nam Nga Phúc Phương Quân Quỳnh "
    "Sơn Tâm Thảo Thắng Trang Trung Tuấn Tú Vân Việt Yến"
).split()
STREETS = "Lê Lợi, Trần Hưng Đạo, Hai Bà Trưng, Lý Bôn, Quang Trung, Ngô Quyền, Phan Bá Vành, Kỳ Đồng".split(", ")


# --- working time -------------------------------------------------------------------------------
# A moment in office time is a "working minute": day index * day length + minutes into the day's
# sessions. Arithmetic in working time is then integer arithmetic; only the ends convert to datetimes.


class WorkingTime:
    def __init__(self, *, first: date, last: date, tz):
        from procedures.calendar import working_calendar

        calendar = working_calendar()
        self.tz = tz
        self.sessions = [(s.hour * 60 + s.minute, e.hour * 60 + e.minute) for s, e in tuple(settings.WORKING_SESSIONS)]
        self.day_length = sum(e - s for s, e in self.sessions)
        self.days: list[date] = []
        self.index: dict[date, int] = {}
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                self.index[day] = len(self.days)
                self.days.append(day)
            day += timedelta(days=1)
        # minute-of-day offsets where each session starts in working minutes
        self._session_starts = []
        offset = 0
        for start, end in self.sessions:
            self._session_starts.append(offset)
            offset += end - start

    def is_working_day(self, day: date) -> bool:
        return day in self.index

    def random_minute_on(self, day: date, rng: random.Random) -> int:
        """A random moment during the sessions of a working day, as a working minute."""
        return self.index[day] * self.day_length + rng.randrange(self.day_length)

    def next_opening(self, moment: datetime) -> int:
        """The working minute at which the clock starts for something arriving at `moment`."""
        local = moment.astimezone(self.tz)
        day = local.date()
        if day in self.index:
            minute = local.hour * 60 + local.minute
            for (start, end), base in zip(self.sessions, self._session_starts, strict=True):
                if minute < start:
                    return self.index[day] * self.day_length + base
                if minute < end:
                    return self.index[day] * self.day_length + base + minute - start
        # after closing or a day off: the next working day's opening
        following = day + timedelta(days=1)
        while following not in self.index:
            following += timedelta(days=1)
        return self.index[following] * self.day_length

    def to_datetime(self, working_minute: int) -> datetime:
        day_index, offset = divmod(working_minute, self.day_length)
        session = bisect_right(self._session_starts, offset) - 1
        start, _end = self.sessions[session]
        minute = start + offset - self._session_starts[session]
        day = self.days[min(day_index, len(self.days) - 1)]
        return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=self.tz)


# --- the catalogue and the people ---------------------------------------------------------------


@dataclass
class AgencyPlan:
    id: int
    code: str
    procedures: list
    reception: int
    processing: list[int]
    approver: int


def _bench_officers(agency) -> tuple[int, list[int], int]:
    """Four officers of the agency for the events and the benchmark's sign-in (created once, no usable
    password: the benchmark signs in with force_login)."""
    from django.contrib.auth.models import Group

    from portal.constants import ApplicantType, Role
    from portal.models import User

    def officer(role, slug, name):
        email = f"bench.{slug}.{agency.pk}@{BENCH_EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=f"{name} {agency.pk}", agency=agency)
            user.applicant_type = ApplicantType.STATE_AGENCY
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
        return user.pk

    return (
        officer(Role.RECEPTION_OFFICER, "tiepnhan", "Cán bộ tiếp nhận"),
        [
            officer(Role.PROCESSING_OFFICER, "xuly1", "Chuyên viên xử lý một"),
            officer(Role.PROCESSING_OFFICER, "xuly2", "Chuyên viên xử lý hai"),
        ],
        officer(Role.APPROVER, "lanhdao", "Lãnh đạo"),
    )


def prepare_catalogue() -> list[AgencyPlan]:
    from procedures.models import Agency, Procedure

    if not Procedure.objects.filter(is_active=True).exists():
        from procedures.demo import load_demo

        _say(sys.stdout, "No procedure yet: loading the demo catalogue.")
        load_demo()
    by_agency = defaultdict(list)
    for procedure in Procedure.objects.filter(is_active=True).order_by("pk"):
        by_agency[procedure.agency_id].append(procedure)
    plans = []
    with transaction.atomic():
        for agency in Agency.objects.filter(pk__in=by_agency).order_by("pk"):
            reception, processing, approver = _bench_officers(agency)
            plans.append(AgencyPlan(agency.pk, agency.code, by_agency[agency.pk], reception, processing, approver))
    return plans


# --- rows ---------------------------------------------------------------------------------------

DOSSIER_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "code",
    "client_token",
    "status",
    "channel",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "form_data",
    "delivery_method",
    "delivery_address",
    "processing_time",
    "processing_time_unit",
    "cutoff_time",
    "fee",
    "proposed_outcome",
    "resolution_note",
    "submitted_at",
    "received_at",
    "due_at",
    "original_due_at",
    "paused_at",
    "resume_status",
    "supplement_count",
    "reception_supplement_requested",
    "apologized_at",
    "finished_at",
    "timeliness",
    "returned_at",
    "due_soon_alerted_at",
    "overdue_flagged_at",
    "postal_tracking_number",
    "agency_id",
    "applicant_id",
    "assignee_id",
    "procedure_id",
    "search_text",
]
EVENT_COLUMNS = [
    "action",
    "from_status",
    "to_status",
    "note",
    "due_at",
    "created_at",
    "actor_id",
    "dossier_id",
    "receiver_id",
]


def _model_defaults(app_label: str, model_name: str, known: list[str]) -> tuple[list[str], list]:
    """Columns of the model that the generator does not fill (added after it was written), with each
    field's default, so that a new NOT NULL column does not break the COPY."""
    import json

    from django.apps import apps

    model = apps.get_model(app_label, model_name)
    with connection.cursor() as cursor:
        in_table = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in known or field.column == "id" or field.column not in in_table:
            continue
        default = field.get_default()
        if field.get_internal_type() == "JSONField":
            default = json.dumps(default)
        columns.append(field.column)
        values.append(default)
    return columns, values


def _text(value) -> str:
    """One field of COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _line(values) -> str:
    return "\t".join(_text(v) for v in values) + "\n"


def _timeliness(finished_at: datetime, due_at: datetime | None, late_anyway: bool) -> str:
    if due_at is None:
        return "early"
    if late_anyway:
        return "late"
    finished, due = finished_at.date(), due_at.date()  # both in the local zone
    if finished < due:
        return "early"
    if finished == due:
        return "on_time"
    return "late"


class Generator:
    def __init__(self, *, plans, wt: WorkingTime, now: datetime, rng: random.Random):
        self.plans, self.wt, self.now, self.rng = plans, wt, now, rng
        self.now_wm = wt.next_opening(now)
        self.extra_columns, self.extra_values = _model_defaults("dossiers", "Dossier", DOSSIER_COLUMNS)
        _columns, self.event_extra = _model_defaults("dossiers", "DossierEvent", EVENT_COLUMNS)

    def applicant(self):
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        id_number = f"034{rng.choice('0123')}{rng.randrange(100):02d}{rng.randrange(1_000_000):06d}"
        phone = f"09{rng.randrange(100_000_000):08d}"
        address = f"Số {rng.randrange(1, 300)} đường {rng.choice(STREETS)}, tỉnh Thái Bình"
        return name, id_number, phone, address

    def duration(self, procedure) -> int:
        """The procedure's allowed time in working minutes."""
        amount = procedure.processing_time or 1
        if procedure.processing_time_unit == "working_hours":
            return amount * 60
        if procedure.processing_time_unit == "calendar_days":
            return max(1, round(amount * 5 / 7)) * self.wt.day_length
        return amount * self.wt.day_length

    def dossier(self, *, pk: int, plan: AgencyPlan, code: str, submitted_at: datetime, events: list | None):
        rng, wt, now = self.rng, self.wt, self.now
        procedure = rng.choice(plan.procedures)
        day_off = not wt.is_working_day(submitted_at.date())
        roll = rng.random()
        if procedure.accepts_online and (day_off or roll < 0.55 or not (procedure.accepts_counter)):
            channel = 2
        elif procedure.accepts_postal and roll > 0.95:
            channel = 3
        else:
            channel = 1 if procedure.accepts_counter else 2
        name, id_number, phone, address = self.applicant()
        email = f"nguoinop{pk}@example.vn" if channel == 2 else ""
        if channel == 3 and procedure.delivers_by_post:
            delivery, delivery_address = "postal", address
        elif channel == 2 and procedure.delivers_online:
            delivery, delivery_address = "online", ""
        else:
            delivery, delivery_address = "counter", ""

        row = {
            "status": "submitted",
            "received_at": None,
            "due_at": None,
            "original_due_at": None,
            "paused_at": None,
            "resume_status": "",
            "supplement_count": 0,
            "reception_supplement_requested": False,
            "finished_at": None,
            "timeliness": "",
            "returned_at": None,
            "due_soon_alerted_at": None,
            "overdue_flagged_at": None,
            "assignee_id": None,
            "proposed_outcome": "",
            "resolution_note": "",
        }
        ev = []  # (action, from, to, at, actor, receiver, due_at)
        ev.append(("submit", "draft", "submitted", submitted_at, plan.reception if channel != 2 else None, None, None))

        # Reception: the counter and the post receive at once; online dossiers wait up to 1.5 working days.
        start_wm = wt.next_opening(submitted_at)
        received_wm = start_wm if channel != 2 else start_wm + rng.randrange(int(wt.day_length * 1.5))
        last_at = submitted_at
        allowed = self.duration(procedure)
        if received_wm > self.now_wm:
            pass  # still waiting in the "new" queue
        elif rng.random() < 0.02:
            refused_at = max(wt.to_datetime(received_wm), submitted_at)
            row.update(
                status="refused", finished_at=refused_at, timeliness="early", resolution_note="Hồ sơ không hợp lệ."
            )
            ev.append(("refuse", "submitted", "refused", refused_at, plan.reception, None, None))
            last_at = refused_at
        else:
            received_at = max(wt.to_datetime(received_wm), submitted_at)
            due_wm = received_wm + allowed
            due_at = wt.to_datetime(due_wm)
            row.update(status="received", received_at=received_at, due_at=due_at, original_due_at=due_at)
            ev.append(("receive", "submitted", "received", received_at, plan.reception, None, due_at))
            last_at = received_at
            # How long the office takes, in working minutes: mostly within the allowed time.
            factor = rng.uniform(0.2, 1.0) if rng.random() < 0.9 else rng.uniform(1.0, 1.6)
            work = max(30, int(allowed * factor))
            forward_wm = received_wm + max(10, int(work * 0.1))
            propose_wm = received_wm + int(work * 0.8)
            finish_wm = received_wm + work
            assignee = rng.choice(plan.processing)
            # One in twenty is paused once for a supplement, somewhere in the first half of the work.
            pause = None
            if rng.random() < 0.05:
                pause_wm = received_wm + int(work * rng.uniform(0.05, 0.5))
                pause = (pause_wm, rng.randrange(wt.day_length // 2, wt.day_length * 5))
            withdraw_wm = received_wm + int(work * rng.uniform(0.1, 0.9)) if rng.random() < 0.03 else None
            refuse = rng.random() < 0.04

            def at(wm):
                return wt.to_datetime(wm)

            shift = 0  # working minutes the clock stood still
            status = "received"
            steps = [
                (forward_wm, "forward"),
                (forward_wm + 20, "take"),
                (propose_wm, "propose"),
                (finish_wm, "approve"),
            ]
            if pause:
                steps.append((pause[0], "pause"))
            if withdraw_wm is not None:
                steps.append((withdraw_wm, "withdraw"))
            steps.sort()
            for step_wm, step in steps:
                step_wm += shift if step != "pause" else 0
                if step_wm > self.now_wm:
                    break
                moment = at(step_wm)
                if step == "pause":
                    resume_status = status
                    row.update(supplement_count=1, reception_supplement_requested=status == "received")
                    ev.append(
                        (
                            "request_supplement",
                            status,
                            "supplement_requested",
                            moment,
                            plan.reception,
                            None,
                            at(due_wm + shift),
                        )
                    )
                    if pause[0] + pause[1] > self.now_wm:
                        status = "supplement_requested"
                        row.update(paused_at=moment, resume_status=resume_status)
                        break
                    shift += pause[1]
                    ev.append(
                        (
                            "supplement",
                            "supplement_requested",
                            resume_status,
                            at(pause[0] + pause[1]),
                            None,
                            None,
                            at(due_wm + shift),
                        )
                    )
                    continue
                due_now = at(due_wm + shift)
                if step == "forward":
                    ev.append(("forward", "received", "processing", moment, plan.reception, assignee, due_now))
                    status = "processing"
                elif step == "take":
                    ev.append(("take", "processing", "processing", moment, assignee, assignee, due_now))
                    row["assignee_id"] = assignee
                elif step == "propose":
                    outcome = "refusal" if refuse else "result"
                    row["proposed_outcome"] = outcome
                    ev.append(("propose", "processing", "awaiting_approval", moment, assignee, plan.approver, due_now))
                    status = "awaiting_approval"
                elif step == "approve":
                    status = "refused" if refuse else "result_ready"
                    ev.append(("approve", "awaiting_approval", status, moment, plan.approver, None, due_now))
                    row.update(finished_at=moment)
                elif step == "withdraw":
                    ev.append(("withdraw", status, "withdrawn", moment, None, None, due_now))
                    status = "withdrawn"
                    row.update(finished_at=moment)
                last_at = moment
                if status in ("refused", "result_ready", "withdrawn"):
                    break
            if row["paused_at"] is None:
                row["due_at"] = at(due_wm + shift)
            if row["finished_at"] is not None:
                row["timeliness"] = _timeliness(row["finished_at"], row["due_at"], row["supplement_count"] > 1)
            if status == "result_ready":
                handback_wm = finish_wm + shift + rng.randrange(wt.day_length * 5)
                if handback_wm <= self.now_wm:
                    status = "returned"
                    row["returned_at"] = at(handback_wm)
                    ev.append(
                        ("deliver", "result_ready", "returned", row["returned_at"], plan.reception, None, row["due_at"])
                    )
                    last_at = row["returned_at"]
            row["status"] = status
            # The deadline watch's marks, as if it had been running every 15 minutes.
            if status in ("received", "processing", "awaiting_approval"):
                running_due = row["due_at"]
                if running_due < now:
                    row["overdue_flagged_at"] = running_due + timedelta(minutes=15)
                if running_due - now < timedelta(days=1) or running_due < now:
                    row["due_soon_alerted_at"] = max(received_at, running_due - timedelta(days=1))
        if events is not None:
            for action, from_status, to_status, moment, actor, receiver, due in ev:
                events.append(
                    _line((action, from_status, to_status, "", due, moment, actor, pk, receiver, *self.event_extra))
                )
        values = {
            "id": pk,
            "created_at": submitted_at,
            "updated_at": last_at,
            "code": code,
            "client_token": uuid.UUID(int=self.rng.getrandbits(128), version=4),
            "channel": channel,
            "applicant_type": 1,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": phone,
            "applicant_email": email,
            "applicant_address": address,
            "form_data": "{}",
            "delivery_method": delivery,
            "delivery_address": delivery_address,
            "processing_time": procedure.processing_time,
            "processing_time_unit": procedure.processing_time_unit,
            "cutoff_time": procedure.cutoff_time,
            "fee": procedure.fee,
            "submitted_at": submitted_at,
            "apologized_at": None,
            "postal_tracking_number": "",
            "agency_id": plan.id,
            "applicant_id": None,
            "procedure_id": procedure.pk,
            "search_text": search_text_for(code=code, name=name, id_number=id_number, phone=phone),
            **row,
        }
        return _line([*(values[c] for c in DOSSIER_COLUMNS), *self.extra_values])


# --- the run ------------------------------------------------------------------------------------


def _day_counts(days: list[date], total: int, wt: WorkingTime, rng: random.Random) -> list[int]:
    """Exactly `total` spread over `days`: working days weigh about 1, days off 0.05 (online only)."""
    weights = [(1.0 if wt.is_working_day(d) else 0.05) * rng.uniform(0.85, 1.15) for d in days]
    scale = total / sum(weights)
    counts, carried = [], 0.0
    for weight in weights:
        exact = weight * scale + carried
        whole = int(exact)
        counts.append(whole)
        carried = exact - whole
    counts[-1] += total - sum(counts)  # the rounding left over: 0 or 1
    if sum(counts) != total or min(counts) < 0:
        raise AssertionError("day counts do not add up")
    return counts


def _copy(cursor, table: str, columns: list[str], lines: list[str]) -> None:
    if not lines:
        return
    buffer = io.StringIO("".join(lines))
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _reserve_ids(cursor, table: str, count: int) -> int:
    """The first of `count` consecutive ids taken from the table's sequence."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s)", [sequence])
    first = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
    return first


def generate(
    *,
    count: int,
    days: int = 365,
    end: datetime | None = None,
    seed: int = 2026,
    events: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    vacuum: bool = True,
    out=sys.stdout,
) -> dict:
    from dossiers.models import DossierCodeSequence

    if connection.vendor != "postgresql":
        raise SystemExit("The generator needs PostgreSQL (COPY); set DATABASE_URL.")
    started = clock.monotonic()
    tz = dj_timezone.get_current_timezone()
    now = (end or dj_timezone.now()).astimezone(tz)
    # The `days` calendar days before today: every dossier was submitted before `now`.
    first_day = now.date() - timedelta(days=days)
    plans = prepare_catalogue()
    with connection.cursor() as cursor:
        next_id = _reserve_ids(cursor, "dossiers_dossier", count)
    # Seeded by the first id as well: a second run on the same database makes other rows (and tokens).
    rng = random.Random(f"{seed}:{next_id}")
    wt = WorkingTime(first=first_day - timedelta(days=10), last=now.date() + timedelta(days=800), tz=tz)
    generator = Generator(plans=plans, wt=wt, now=now, rng=rng)

    # A few agencies much busier than the others (the provincial centre, a big department, a city ward).
    order = list(range(len(plans)))
    rng.shuffle(order)
    weights = [0.0] * len(plans)
    for rank, position in enumerate(order, start=1):
        weights[position] = 1 / rank**1.1

    sequences = {(s.agency_id, s.day): s.last_number for s in DossierCodeSequence.objects.all()}
    calendar_days = [first_day + timedelta(days=i) for i in range(days)]  # up to yesterday
    per_day = _day_counts(calendar_days, count, wt, rng)

    event_extra_columns, _values = _model_defaults("dossiers", "DossierEvent", EVENT_COLUMNS)
    made, event_rows = 0, 0
    dossier_lines, event_lines, touched = [], [] if events else None, {}
    by_agency = defaultdict(int)

    def flush():
        nonlocal dossier_lines, event_lines, event_rows
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            # No foreign-key triggers during the load (they cost more than the COPY itself): every id the
            # rows reference was read from the database or reserved above. Needs a superuser, as on a
            # benchmark database.
            cursor.execute("SET LOCAL session_replication_role = replica")
            _copy(cursor, "dossiers_dossier", [*DOSSIER_COLUMNS, *generator.extra_columns], dossier_lines)
            if event_lines:
                _copy(cursor, "dossiers_dossierevent", [*EVENT_COLUMNS, *event_extra_columns], event_lines)
            _save_sequences(cursor, touched)
        event_rows += len(event_lines or [])
        touched.clear()
        dossier_lines = []
        if event_lines is not None:
            event_lines = []
        elapsed = clock.monotonic() - started
        _say(out, f"  {made:>9,} dossiers, {event_rows:>10,} events, {elapsed:6.1f} s")

    for day, day_count in zip(calendar_days, per_day, strict=True):
        if day_count == 0:
            continue
        working = wt.is_working_day(day)
        picks = rng.choices(range(len(plans)), weights=weights, k=day_count)
        per_agency = defaultdict(int)
        for index in picks:
            per_agency[index] += 1
        for index, n in sorted(per_agency.items()):
            plan = plans[index]
            if working:
                moments = sorted(wt.to_datetime(wt.random_minute_on(day, rng)) for _ in range(n))
            else:
                moments = sorted(
                    datetime(day.year, day.month, day.day, rng.randrange(6, 23), rng.randrange(60), tzinfo=tz)
                    for _ in range(n)
                )
            number = sequences.get((plan.id, day), 0)
            for moment in moments:
                number += 1
                code = f"{plan.code}-{day:%y%m%d}-{number:04d}"
                dossier_lines.append(
                    generator.dossier(pk=next_id, plan=plan, code=code, submitted_at=moment, events=event_lines)
                )
                next_id += 1
                made += 1
                by_agency[plan.code] += 1
            if moments:
                sequences[(plan.id, day)] = number
                touched[(plan.id, day)] = number
        if len(dossier_lines) >= chunk_rows:
            flush()
    flush()
    # COPY goes around the services that keep each running dossier's at-risk moment: set it as they would have.
    at_risk_refresh()

    # VACUUM sets the visibility map (as autovacuum would in production, a while later) so that plans
    # measured right after the load are the steady-state ones; ANALYZE gives the planner the new spread.
    with connection.cursor() as cursor:
        for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossiercodesequence"):
            # VACUUM cannot run inside a transaction (a test); ANALYZE alone then.
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")
    elapsed = clock.monotonic() - started
    busiest = max(by_agency.items(), key=lambda item: item[1]) if by_agency else ("", 0)
    _say(
        out,
        f"Made {made:,} dossiers and {event_rows:,} events in {elapsed:.1f} s over {len(plans)} agencies "
        f"(busiest {busiest[0]}: {busiest[1]:,}); VACUUM ANALYZE done.",
    )
    return {"dossiers": made, "events": event_rows, "seconds": elapsed, "busiest_agency": busiest[0]}


def _say(out, text: str) -> None:
    out.write(text + "\n")
    out.flush()


def _save_sequences(cursor, touched: dict) -> None:
    """Upsert the per-agency, per-day code sequences so later real submissions continue after them."""
    if not touched:
        return
    cursor.execute("CREATE TEMP TABLE IF NOT EXISTS bench_sequence (agency_id bigint, day date, last_number int)")
    cursor.execute("TRUNCATE bench_sequence")
    _copy(
        cursor,
        "bench_sequence",
        ["agency_id", "day", "last_number"],
        [f"{agency_id}\t{day.isoformat()}\t{number}\n" for (agency_id, day), number in touched.items()],
    )
    cursor.execute(
        """
        INSERT INTO dossiers_dossiercodesequence (agency_id, day, last_number)
        SELECT agency_id, day, last_number FROM bench_sequence
        ON CONFLICT (agency_id, day) DO UPDATE SET last_number = GREATEST(
            dossiers_dossiercodesequence.last_number, EXCLUDED.last_number)
        """
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="how many dossiers to add")
    parser.add_argument("--days", type=int, default=365, help="spread over this many days ending at --end")
    parser.add_argument("--end", type=datetime.fromisoformat, default=None, help="ISO date-time (default: now)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-events", action="store_true", help="do not write the dossiers' events")
    parser.add_argument("--chunk", type=int, default=CHUNK_ROWS, help="rows per COPY")
    args = parser.parse_args(argv)
    end = args.end
    if end is not None and end.tzinfo is None:
        end = end.replace(tzinfo=dj_timezone.get_current_timezone())
    generate(
        count=args.count, days=args.days, end=end, seed=args.seed, events=not args.no_events, chunk_rows=args.chunk
    )


if __name__ == "__main__":
    main()
