"""The SQL that turns dossiers, supplement requests, payments and ratings into `DailyDossierStat` rows.

Each kind of event is one projection: a queryset of one row per event with the row's key (agency, procedure,
field, channel, online level), the event's day in the portal's time zone and what the measures need. The ORM
compiles each for the database in use (PostgreSQL, or SQLite for `make run`), and `insert_statement` stacks them
with UNION ALL under one INSERT … SELECT … GROUP BY, so a recompute is one statement that never brings a dossier
into Python. A `Scope` restricts every projection to the events of a span of days (a recompute on demand): the rows
it deletes are exactly those the statement writes again.

On PostgreSQL the full recompute reads the dossier table once instead of once per kind of event
(`_dossier_events_single_pass`: one pass grouped by each kind's day with GROUPING SETS), which is what keeps it
within a few times a bare GROUP BY over the dossiers (docs/performance.md), and the incremental job counts the logged
changes with the same SQL; the property test (tests/reporting/test_property.py) holds it to the projections'
figures. SQLite runs the projections.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from dossiers.constants import DossierStatus, Timeliness
from dossiers.models import Dossier, SupplementRequest
from payments.constants import MONEY_TAKEN_STATUSES
from payments.models import Payment
from payments.providers.counter import CounterProvider

from .constants import RatingLevel
from .models import DailyDossierStat, FlowChange, MonthlyDossierStat, Rating, WorkingDay

# The measures of a row, in the table's column order.
MEASURES = (
    "received",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "refused",
    "withdrawn",
    "closed_before_receipt",
    "due_passed",
    "due_cleared",
    "supplement_requests",
    "apologies",
    "processing_days",
    "paid_online_count",
    "paid_online_amount",
    "rated_very_satisfied",
    "rated_satisfied",
    "rated_unsatisfied",
)
KEYS = ("agency_id", "procedure_id", "field_id", "channel", "online_level")
ONE_DAY = timedelta(days=1)
ONE, ZERO = ("1", []), ("0", [])


@dataclass(frozen=True)
class Scope:
    """Which events a recompute covers: those dated from `first_day` (from the beginning when None) up to
    `last_day` (to the end when None)."""

    first_day: date | None = None
    last_day: date | None = None

    @property
    def whole(self) -> bool:
        return self.first_day is None and self.last_day is None

    def whole_months(self) -> "Scope":
        """Every day of the months this scope's days fall in: what the monthly roll-up of those months reads."""
        return Scope(
            first_day=self.first_day and self.first_day.replace(day=1),
            last_day=self.last_day and _next_month(self.last_day) - ONE_DAY,
        )

    def month_rows(self) -> QuerySet:
        """The monthly rows of the months this scope's days fall in."""
        rows = MonthlyDossierStat.objects.all()
        if self.first_day is not None:
            rows = rows.filter(month__gte=self.first_day.replace(day=1))
        if self.last_day is not None:
            rows = rows.filter(month__lte=self.last_day)
        return rows

    def rows(self) -> QuerySet:
        """The summary rows this scope rewrites."""
        rows = DailyDossierStat.objects.all()
        if self.first_day is not None:
            rows = rows.filter(day__gte=self.first_day)
        if self.last_day is not None:
            rows = rows.filter(day__lte=self.last_day)
        return rows

    def events(self, moment: str, *, shift: timedelta = timedelta()) -> Q:
        """Events whose `moment` column, plus `shift`, falls on a day of the scope (bounds on the column itself, so
        an index on it can serve)."""
        condition = Q(**{f"{moment}__isnull": False})
        if self.first_day is not None:
            condition &= Q(**{f"{moment}__gte": day_start(self.first_day) - shift})
        if self.last_day is not None:
            condition &= Q(**{f"{moment}__lt": day_start(self.last_day + ONE_DAY) - shift})
        return condition


def _next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def local_day(expression) -> TruncDate:
    return TruncDate(expression, tzinfo=timezone.get_current_timezone())


def _when(column: str, value) -> tuple[str, list]:
    return f"CASE WHEN {column} = %s THEN 1 ELSE 0 END", [value]


def _keys(prefix: str = "") -> dict:
    return {
        "k_agency": F(f"{prefix}agency_id"),
        "k_procedure": F(f"{prefix}procedure_id"),
        "k_field": F(f"{prefix}procedure__field_id"),
        "k_channel": F(f"{prefix}channel"),
        "k_level": F(f"{prefix}procedure__online_level"),
    }


def _projection(queryset: QuerySet, **columns) -> QuerySet:
    return queryset.annotate(**_keys(), **columns).values(*_keys(), *columns)


def _dossier_key_projection(queryset: QuerySet, **columns) -> QuerySet:
    return queryset.annotate(**_keys("dossier__"), **columns).values(*_keys(), *columns)


# --- the projections -------------------------------------------------------------------------------------------
# Each returns (queryset, {measure: (SQL over the projection's columns `p.<name>`, its parameters)}, joins).


def _received(scope: Scope):
    rows = _projection(Dossier.objects.filter(scope.events("received_at")), day=local_day("received_at"))
    return rows, {"received": ONE}, ""


def _finished(scope: Scope):
    """Received dossiers on the day they finish: their class, refused or withdrawn, the working days they took,
    and, when they finished after their due date, the end of their overdue days."""
    rows = _projection(
        Dossier.objects.filter(scope.events("finished_at"), received_at__isnull=False),
        day=local_day("finished_at"),
        received_day=local_day("received_at"),
        due_day=local_day("due_at"),
        v_timeliness=F("timeliness"),
        v_status=F("status"),
    )
    measures = {
        "finished_early": _when("p.v_timeliness", Timeliness.EARLY),
        "finished_on_time": _when("p.v_timeliness", Timeliness.ON_TIME),
        "finished_late": _when("p.v_timeliness", Timeliness.LATE),
        "refused": _when("p.v_status", DossierStatus.REFUSED),
        "withdrawn": _when("p.v_status", DossierStatus.WITHDRAWN),
        "due_cleared": ("CASE WHEN p.due_day < p.day THEN 1 ELSE 0 END", []),
        "processing_days": ("w_end.ordinal - w_start.ordinal", []),
    }
    table = WorkingDay._meta.db_table
    joins = f"JOIN {table} w_start ON w_start.day = p.received_day JOIN {table} w_end ON w_end.day = p.day"  # noqa: S608
    return rows, measures, joins


def _closed_before_receipt(scope: Scope):
    rows = _projection(
        Dossier.objects.filter(scope.events("finished_at"), received_at__isnull=True), day=local_day("finished_at")
    )
    return rows, {"closed_before_receipt": ONE}, ""


def _due_passed(scope: Scope):
    """Received dossiers on the day after their due date, unless they finished by then or their clock stands still
    (waiting for the applicant: the due date moves when they come back)."""
    after_due = ExpressionWrapper(F("due_at") + ONE_DAY, output_field=DateTimeField())
    rows = (
        Dossier.objects.filter(scope.events("due_at", shift=ONE_DAY), received_at__isnull=False)
        .exclude(finished_at__isnull=True, paused_at__isnull=False)
        .annotate(due_day=local_day("due_at"), finished_day=local_day("finished_at"))
        .filter(Q(finished_at__isnull=True) | Q(finished_day__gt=F("due_day")))
    )
    return _projection(rows, day=local_day(after_due)), {"due_passed": ONE}, ""


def _supplement_requests(scope: Scope):
    requests = SupplementRequest.objects.filter(scope.events("requested_at"))
    rows = _dossier_key_projection(requests, day=local_day("requested_at"))
    return rows, {"supplement_requests": ONE}, ""


def _apologies(scope: Scope):
    rows = _projection(Dossier.objects.filter(scope.events("apologized_at")), day=local_day("apologized_at"))
    return rows, {"apologies": ONE}, ""


def _paid_online(scope: Scope):
    """Fees paid through an online provider (not at the desk) on the day the money was taken, refunded later or
    not."""
    payments = Payment.objects.filter(scope.events("paid_at"), status__in=MONEY_TAKEN_STATUSES).exclude(
        provider=CounterProvider.name
    )
    rows = _dossier_key_projection(payments, day=local_day("paid_at"), v_amount=F("amount"))
    return rows, {"paid_online_count": ONE, "paid_online_amount": ("p.v_amount", [])}, ""


def _ratings(scope: Scope):
    ratings = Rating.objects.filter(scope.events("created_at"))
    rows = _dossier_key_projection(ratings, day=local_day("created_at"), v_level=F("level"))
    measures = {
        "rated_very_satisfied": _when("p.v_level", RatingLevel.VERY_SATISFIED),
        "rated_satisfied": _when("p.v_level", RatingLevel.SATISFIED),
        "rated_unsatisfied": _when("p.v_level", RatingLevel.UNSATISFIED),
    }
    return rows, measures, ""


PROJECTIONS = (
    _received,
    _finished,
    _closed_before_receipt,
    _due_passed,
    _supplement_requests,
    _apologies,
    _paid_online,
    _ratings,
)


# The dossiers' own events, which `_dossier_events_single_pass` counts in one scan on PostgreSQL.
DOSSIER_PROJECTIONS = (_received, _finished, _closed_before_receipt, _due_passed, _apologies)


# Which kind of event a row of `_dossier_events_single_pass`'s merge is about (the day it is counted on).
_RECEIVED, _FINISHED, _DUE_PASSED, _APOLOGISED = 1, 2, 3, 4


def _dossier_events_single_pass(*, changes: str | None = None) -> tuple[str, list]:
    """Every event of every dossier in one scan of the table (PostgreSQL), summed per key and day: received,
    finished (or closed before receipt), due passed, apologised, counted as the projections above count them. Same
    figures as those projections (the property test compares them, tests/reporting/test_property.py).

    Two grouping sets fill two hash tables in the one pass: the receipt day, and the finishing day together with the
    finished class, the due-passed day and the apology day (those two are empty for most dossiers, so they add few
    groups, and each dossier is looked up twice instead of four times). The groups are then spread to the day of
    each event they carry and summed per key and day; the procedure's field and online level are joined to those
    rows, not to the dossiers. The counts are integers (a summary column is one): a sum of integers is a plain
    addition, a sum of bigints a numeric one.

    With `changes` (the name of a relation of `FlowChange` rows), the same over the dossier rows logged there, each
    counted with its sign: the difference the changes make to the summary.

    Every day must have its working-day ordinal (`working_days_cover` before: from the first receipt to today). The
    days are the moments cast to dates in the session's time zone: run it under `portal_time_zone`."""
    procedure, working_day = (
        Dossier._meta.get_field("procedure").related_model._meta.db_table,
        WorkingDay._meta.db_table,
    )

    def ordinal(day: str) -> str:
        # A day's working-day ordinal read from an array of them all by the day's offset, not from a join per
        # dossier (a NULL day, or one the ordinals do not cover, gives NULL).
        return (
            f"(SELECT array_agg(ordinal ORDER BY day) FROM {working_day})"  # noqa: S608
            f"[{day} - (SELECT min(day) FROM {working_day}) + 1]"
        )

    if changes is None:
        source, paused, logged, sign = f"{Dossier._meta.db_table} d", "d.paused_at IS NOT NULL", "", "1"
        counted, received_ordinals = "count(*)", f"SUM({ordinal('r.received_day')})"
    else:
        source, paused, sign = f"{changes} d", "d.paused", "d.sign"
        logged = f"WHERE d.source = '{FlowChange.Source.DOSSIER}'"
        counted, received_ordinals = "SUM(r.sign)", f"SUM(r.sign * {ordinal('r.received_day')})"
    # Each dossier's days, each cast once (`OFFSET 0` keeps PostgreSQL from copying the casts into every place that
    # uses them).
    days = (
        f"SELECT d.agency_id, d.procedure_id, d.channel, {sign} AS sign, d.received_at::date AS received_day, "  # noqa: S608
        "d.finished_at::date AS finished_day, d.due_at::date AS due_day, d.apologized_at::date AS apologized_day, "
        f"{paused} AS paused, d.timeliness, d.status FROM {source} {logged} OFFSET 0"
    )
    # Received dossiers are overdue from the day after their due date, unless they finished by then or their clock
    # stands still (waiting for the applicant: the due date moves when they come back). What tells the finished
    # measures apart is one small integer (cheaper to group by than four columns, two of them text): 32 closed
    # before receipt, otherwise the timeliness (1 early, 2 on time, 3 late) + 4 refused + 8 withdrawn + 16 due date
    # cleared.
    rows = (
        "SELECT s.agency_id, s.procedure_id, s.channel, s.sign, s.received_day, s.finished_day, "  # noqa: S608
        "s.apologized_day, CASE WHEN s.received_day IS NOT NULL AND s.due_day IS NOT NULL "
        "AND NOT (s.finished_day IS NULL AND s.paused) AND (s.finished_day IS NULL OR s.finished_day > s.due_day) "
        "THEN s.due_day + 1 END AS due_passed_day, "
        "CASE WHEN s.received_day IS NULL THEN 32 ELSE "
        "CASE s.timeliness WHEN %(early)s THEN 1 WHEN %(on_time)s THEN 2 WHEN %(late)s THEN 3 ELSE 0 END "
        "+ CASE s.status WHEN %(refused)s THEN 4 WHEN %(withdrawn)s THEN 8 ELSE 0 END "
        "+ CASE WHEN s.due_day < s.finished_day THEN 16 ELSE 0 END END AS finished_class "
        f"FROM ({days}) s"
    )
    key = "r.agency_id, r.procedure_id, r.channel"
    # A group of the receipt day has the other days NULL, one of the finishing day its receipt day NULL. The working
    # days a finishing group took: its count times the finishing day's ordinal, less its receipt days' ordinals.
    grouped = (
        f"SELECT {key}, r.received_day, r.finished_day, r.finished_class, r.due_passed_day, "  # noqa: S608
        f"r.apologized_day, {counted}::int AS events, "
        f"COALESCE({counted} * {ordinal('r.finished_day')} - {received_ordinals}, 0)::int AS processing_days "
        f"FROM ({rows}) r GROUP BY GROUPING SETS (({key}, r.received_day), "
        f"({key}, r.finished_day, r.finished_class, r.due_passed_day, r.apologized_day))"
    )
    events_of_a_group = (
        f"(VALUES ({_RECEIVED}, g.received_day), ({_FINISHED}, g.finished_day), "
        f"({_DUE_PASSED}, g.due_passed_day), ({_APOLOGISED}, g.apologized_day)) e(kind, day)"
    )

    def total(condition: str, value: str = "g.events") -> str:
        return f"COALESCE(SUM({value}) FILTER (WHERE {condition}), 0)::int"

    def finished(condition: str = "TRUE") -> str:
        return f"e.kind = {_FINISHED} AND g.finished_class < 32 AND {condition}"

    measures = {
        "received": total(f"e.kind = {_RECEIVED}"),
        "finished_early": total(finished("g.finished_class & 3 = 1")),
        "finished_on_time": total(finished("g.finished_class & 3 = 2")),
        "finished_late": total(finished("g.finished_class & 3 = 3")),
        "refused": total(finished("g.finished_class & 4 <> 0")),
        "withdrawn": total(finished("g.finished_class & 8 <> 0")),
        "closed_before_receipt": total(f"e.kind = {_FINISHED} AND g.finished_class = 32"),
        "due_passed": total(f"e.kind = {_DUE_PASSED}"),
        "due_cleared": total(finished("g.finished_class & 16 <> 0")),
        "apologies": total(f"e.kind = {_APOLOGISED}"),
        "processing_days": total(finished(), "g.processing_days"),
    }
    per_day = (
        "SELECT g.agency_id, g.procedure_id, g.channel, e.day, "  # noqa: S608
        + ", ".join(f"{sql} AS {name}" for name, sql in measures.items())
        + f" FROM ({grouped}) g CROSS JOIN LATERAL {events_of_a_group} WHERE e.day IS NOT NULL "
        "GROUP BY g.agency_id, g.procedure_id, g.channel, e.day"
    )
    columns = ", ".join(f"{'m.' + name if name in measures else '0'} AS {name}" for name in MEASURES)
    sql = (
        "SELECT m.agency_id AS k_agency, m.procedure_id AS k_procedure, pr.field_id AS k_field, "  # noqa: S608
        f"m.channel AS k_channel, pr.online_level AS k_level, m.day, {columns} "
        f"FROM ({per_day}) m JOIN {procedure} pr ON pr.id = m.procedure_id"
    )
    return _positional(
        sql,
        early=Timeliness.EARLY,
        on_time=Timeliness.ON_TIME,
        late=Timeliness.LATE,
        refused=DossierStatus.REFUSED,
        withdrawn=DossierStatus.WITHDRAWN,
    )


def _logged_events(changes: str) -> tuple[str, list]:
    """The payments, supplement requests and ratings logged in `changes` (a relation of `FlowChange` rows), each
    counted with its sign on its day, as `_paid_online`, `_supplement_requests` and `_ratings` count them."""
    procedure = Dossier._meta.get_field("procedure").related_model._meta.db_table
    source = FlowChange.Source
    paid_online = f"c.source = '{source.PAYMENT}' AND c.status = ANY(%(taken)s) AND c.provider <> %(counter)s"

    def signed(condition: str, value: str = "c.sign") -> str:
        return f"COALESCE(SUM({value}) FILTER (WHERE {condition}), 0)"

    measures = {
        "supplement_requests": signed(f"c.source = '{source.SUPPLEMENT_REQUEST}'"),
        "paid_online_count": signed(paid_online),
        "paid_online_amount": signed(paid_online, "c.sign * c.amount"),
        "rated_very_satisfied": signed(f"c.source = '{source.RATING}' AND c.level = %(very_satisfied)s"),
        "rated_satisfied": signed(f"c.source = '{source.RATING}' AND c.level = %(satisfied)s"),
        "rated_unsatisfied": signed(f"c.source = '{source.RATING}' AND c.level = %(unsatisfied)s"),
    }
    columns = ", ".join(f"{measures.get(name, '0')} AS {name}" for name in MEASURES)
    sql = (
        "SELECT c.agency_id, c.procedure_id, pr.field_id, c.channel, pr.online_level, "  # noqa: S608
        f"(c.moment)::date AS day, {columns} "
        f"FROM {changes} c JOIN {procedure} pr ON pr.id = c.procedure_id "
        f"WHERE c.source <> '{source.DOSSIER}' AND c.moment IS NOT NULL "
        "GROUP BY c.agency_id, c.procedure_id, pr.field_id, c.channel, pr.online_level, day"
    )
    return _positional(
        sql,
        taken=sorted(MONEY_TAKEN_STATUSES),
        counter=CounterProvider.name,
        very_satisfied=RatingLevel.VERY_SATISFIED,
        satisfied=RatingLevel.SATISFIED,
        unsatisfied=RatingLevel.UNSATISFIED,
    )


@contextmanager
def portal_time_zone(cursor):
    """Run the statements of `_dossier_events_single_pass` and `_logged_events` with the session in the portal's time
    zone, where a moment cast to a date is its local day: a third cheaper than `AT TIME ZONE` per value, which looks
    the zone up by name each time (five times per dossier: 0.7 s of a full recompute at a million dossiers, one run
    on the 2-core VM at load 2.9, docs/performance.md). Back to
    the zone Django keeps the connection in afterwards; if a statement fails, its transaction or savepoint is rolled
    back, and the setting with it. (SQLite runs only the projections, which convert explicitly.)"""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SET LOCAL TIME ZONE %s", [timezone.get_current_timezone_name()])
    yield
    cursor.execute("SET LOCAL TIME ZONE %s", [connection.timezone_name])


def _positional(sql: str, **values) -> tuple[str, list]:
    """`sql` with its named parameters turned positional, in the order they appear (the statements are stacked
    with others under UNION ALL)."""
    ordered = []

    def placeholder(match) -> str:
        ordered.append(values[match.group(1)])
        return "%s"

    return re.sub(r"%\((\w+)\)s", placeholder, sql), ordered


def _member(projection, scope: Scope) -> tuple[str, list]:
    """One SELECT of the union: the projection's key and day, its measures, zero for the others."""
    rows, measures, joins = projection(scope)
    sql, params = rows.query.sql_with_params()
    keys = "p.k_agency, p.k_procedure, p.k_field, p.k_channel, p.k_level, p.day"
    values = ", ".join(f"{measures.get(name, ZERO)[0]} AS {name}" for name in MEASURES)
    # Parameters in the order the statement reads them: the measures' (the select list), then the projection's.
    measure_params = [value for name in MEASURES for value in measures.get(name, ZERO)[1]]
    return f"SELECT {keys}, {values} FROM ({sql}) p {joins}", [*measure_params, *params]  # noqa: S608


def insert_statement(scope: Scope) -> tuple[str, list]:
    """INSERT … SELECT of every row of `scope`, summed per key and day from the union of the projections."""
    if scope.whole and connection.vendor == "postgresql":
        members = [
            _dossier_events_single_pass(),
            *(_member(projection, scope) for projection in PROJECTIONS if projection not in DOSSIER_PROJECTIONS),
        ]
    else:
        members = [_member(projection, scope) for projection in PROJECTIONS]
    union, params = _union(members)
    table = DailyDossierStat._meta.db_table
    sums = ", ".join(f"SUM(u.{name})" for name in MEASURES)
    columns = ", ".join(MEASURES)
    sql = (
        f"INSERT INTO {table} (agency_id, procedure_id, field_id, channel, online_level, day, {columns}) "  # noqa: S608
        f"SELECT u.k_agency, u.k_procedure, u.k_field, u.k_channel, u.k_level, u.day, {sums} "
        f"FROM ({union}) u GROUP BY u.k_agency, u.k_procedure, u.k_field, u.k_channel, u.k_level, u.day"
    )
    if scope.whole and connection.vendor == "postgresql":
        # The logged changes are in what this statement reads: deleted in the same statement, so under the same
        # snapshot (a change committed meanwhile is neither read nor deleted: the next incremental run counts it).
        sql = f"WITH consumed AS (DELETE FROM {FlowChange._meta.db_table}) {sql}"  # noqa: S608
    return sql, params


def _union(members: list[tuple[str, list]]) -> tuple[str, list]:
    return " UNION ALL ".join(sql for sql, _params in members), [
        value for _sql, member_params in members for value in member_params
    ]


def apply_changes_statement(*, rewriting: Scope | None = None) -> tuple[str, list]:
    """One statement (PostgreSQL) that takes every change logged so far out of `FlowChange`, sums the difference
    they make per key and day, and adds it to the daily rows and to the monthly rows of those days (updating the
    rows that exist, inserting the others: a negative difference only ever meets a row that exists, which a CHECK
    on the measures would refuse otherwise). All in one snapshot: a change committed meanwhile stays for the next
    run. Returns (changes taken, cells changed, rows rewritten); rows left all zero are deleted afterwards
    (`zero_rows`).

    With `rewriting` (a span of days whose daily rows were just deleted), the difference goes only to the days
    outside it and to the monthly rows of the months it does not touch (rolled up again after), and the statement
    writes the span's rows from the source too: read in the same snapshot as the log it clears, so that each change
    is counted once, by one or the other."""
    changes = FlowChange._meta.db_table
    union, params = _union([_dossier_events_single_pass(changes="consumed"), _logged_events("consumed")])
    keys = "u.k_agency, u.k_procedure, u.k_field, u.k_channel, u.k_level"
    sums = ", ".join(f"SUM(u.{name}) AS {name}" for name in MEASURES)
    any_change = " OR ".join(f"SUM(u.{name}) <> 0" for name in MEASURES)
    outside, outside_params, other_months, months_params = "TRUE", [], "TRUE", []
    if rewriting is not None:
        span = rewriting.whole_months()
        outside, outside_params = "NOT (u.day BETWEEN %s AND %s)", [rewriting.first_day, rewriting.last_day]
        other_months, months_params = "NOT (day BETWEEN %s AND %s)", [span.first_day, span.last_day]
    delta = (
        f"SELECT {keys}, u.day, {sums} FROM ({union}) u WHERE {outside} "  # noqa: S608
        f"GROUP BY {keys}, u.day HAVING {any_change}"
    )
    months = (
        "SELECT k_agency, k_procedure, k_field, k_channel, k_level, date_trunc('month', day)::date AS day, "  # noqa: S608
        + ", ".join(f"SUM({name}) AS {name}" for name in MEASURES)
        + f" FROM delta WHERE {other_months} "
        "GROUP BY k_agency, k_procedure, k_field, k_channel, k_level, date_trunc('month', day)"
    )
    steps = [
        f"consumed AS (DELETE FROM {changes} RETURNING *)",  # noqa: S608
        f"delta AS ({delta})",
        f"months AS ({months})",
    ]
    params = [*params, *outside_params, *months_params]
    for model, period, source in ((DailyDossierStat, "day", "delta"), (MonthlyDossierStat, "month", "months")):
        table = model._meta.db_table
        same_key = (
            f"t.{period} = d.day AND t.agency_id = d.k_agency AND t.procedure_id = d.k_procedure "
            "AND t.channel = d.k_channel"
        )
        added = ", ".join(f"{name} = t.{name} + d.{name}" for name in MEASURES)
        steps.append(
            f"updated_{table} AS (UPDATE {table} t SET field_id = d.k_field, online_level = d.k_level, {added} "  # noqa: S608
            f"FROM {source} d WHERE {same_key})"
        )
        columns = ", ".join(MEASURES)
        values = ", ".join(f"d.{name}" for name in MEASURES)
        steps.append(
            f"inserted_{table} AS (INSERT INTO {table} "  # noqa: S608
            f"(agency_id, procedure_id, field_id, channel, online_level, {period}, {columns}) "
            f"SELECT d.k_agency, d.k_procedure, d.k_field, d.k_channel, d.k_level, d.day, {values} FROM {source} d "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {same_key}))"
        )
    rewritten = "0"
    if rewriting is not None:
        insert, insert_params = insert_statement(rewriting)
        steps.append(f"rewritten AS ({insert} RETURNING 1)")
        params.extend(insert_params)
        rewritten = "(SELECT count(*) FROM rewritten)"
    sql = (
        f"WITH {', '.join(steps)} "  # noqa: S608
        f"SELECT (SELECT count(*) FROM consumed), (SELECT count(*) FROM delta), {rewritten}"
    )
    return sql, params


def zero_rows(model) -> QuerySet:
    """The rows of a summary table whose every measure is zero (left by changes that cancelled out; a recompute
    never writes them)."""
    return model.objects.filter(**{name: 0 for name in MEASURES})


def rollup_statement(scope: Scope) -> tuple[str, list]:
    """INSERT … SELECT of the monthly rows of the months `scope` touches, summed from their daily rows (run once
    these are rewritten, after deleting `scope.month_rows()`)."""
    keys = ("agency_id", "procedure_id", "field_id", "channel", "online_level")
    daily = (
        scope.whole_months()
        .rows()
        .annotate(first_of_month=TruncMonth("day"))
        .values(*keys, "first_of_month")
        .annotate(**{f"sum_{name}": Sum(name) for name in MEASURES})
        .order_by()
    )
    sql, params = daily.query.sql_with_params()
    table = MonthlyDossierStat._meta.db_table
    columns = ", ".join((*keys, "month", *MEASURES))
    return f"INSERT INTO {table} ({columns}) {sql}", list(params)  # noqa: S608
