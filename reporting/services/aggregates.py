"""Keeping the daily summary (`DailyDossierStat`) in step with the dossiers: a full recompute (nightly), an
incremental update of what changed since the last run (every few minutes), and a recompute of a span of days (the
command and the admin action).

Every run rewrites whole rows: it deletes the rows of its scope and writes them again from the source in one
statement (`flows.insert_statement`), so running it twice, or a full recompute after any number of incremental
updates, gives the same table. Every run first locks the one `ReportingState` row: two runs never write at once (a
second incremental run skips instead of waiting; the next one catches up from the same watermark).

The watermark: each incremental run reads the dossiers, payments, procedures and ratings changed since the previous
run's start, less `WATERMARK_OVERLAP` (a change saved up to that long before that start but committed after it is
read by the next run; the nightly full recompute catches anything slower). A run rewrites only the days the
changes may have moved, procedure by procedure (`changed_since`: the days of the changed dossiers' events and of
the due dates they may have had), in one statement whose every read goes through a (procedure, moment) index of the
dossiers; a procedure edited in the catalogue (its field or online level) has all its rows rewritten.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, SupplementRequest
from payments.models import Payment
from procedures.models import Procedure

from ..flows import ONE_DAY, Scope, insert_statement, rollup_statement
from ..models import Rating, ReportingState
from ..workdays import working_days_cover, working_days_rebuild

logger = logging.getLogger(__name__)

# Memory for the full recompute's one statement on PostgreSQL (for its transaction only).
FULL_RECOMPUTE_WORK_MEM = "256MB"

# How long before its start a run's watermark reaches back: longer than any transaction that writes a dossier.
WATERMARK_OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class RecomputeResult:
    """What a run did: the rows it wrote and the procedures it covered (None: all). `skipped` when another run held
    the lock (incremental runs only)."""

    rows: int = 0
    procedures: int | None = None
    skipped: bool = False


def _locked_state(*, wait: bool) -> ReportingState | None:
    """The state row, locked for this transaction; None when another run holds it and `wait` is False. (SQLite,
    for `make run`, has no row locks: its single writer serialises the runs.)"""
    ReportingState.objects.get_or_create(pk=1)
    return ReportingState.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()


def _rewrite(scope: Scope, *, today: date) -> int:
    """Delete the daily rows of `scope` and write them again from the source, then the monthly rows of their
    months. Returns the daily rows written."""
    first_received = Dossier.objects.filter(scope.events("finished_at"), received_at__isnull=False).aggregate(
        first=Min("received_at")
    )["first"]
    working_days_cover(
        first_day=min(timezone.localdate(first_received) if first_received else today, scope.first_day or today),
        last_day=today,
    )
    scope.rows().delete()
    with connection.cursor() as cursor:
        cursor.execute(*insert_statement(scope))
        rows = cursor.rowcount
    roll_up_months(scope)
    return rows


def roll_up_months(scope: Scope) -> None:
    """Write again the monthly rows of the months `scope`'s days fall in, from their daily rows."""
    scope.month_rows().delete()
    with connection.cursor() as cursor:
        cursor.execute(*rollup_statement(scope))


def statistics_recompute_full(*, now: datetime | None = None) -> RecomputeResult:
    """Rewrite every row (nightly, and the first run ever); the working-day ordinals are rebuilt first, so a day off
    added to the calendar reaches the processing times."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = _recompute_full(_locked_state(wait=True), now=now)
    return RecomputeResult(rows=rows)


def _recompute_full(state: ReportingState, *, now: datetime) -> int:
    today = timezone.localdate(now)
    if connection.vendor == "postgresql":
        # The GROUP BY of every dossier's events (two million rows into tens of thousands of groups, estimated ten
        # times more): with the default 4 MB PostgreSQL sorts them on disk, which took longer than reading the
        # dossiers. And no JIT: compiling this statement's many expressions took 2.4 s of its 19 (docs/performance.md).
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{FULL_RECOMPUTE_WORK_MEM}'")
            cursor.execute("SET LOCAL jit = off")
    first_received = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    working_days_rebuild(first_day=timezone.localdate(first_received) if first_received else today, last_day=today)
    rows = _rewrite(Scope(), today=today)
    state.watermark = state.last_full_at = now
    state.save(update_fields=["watermark", "last_full_at"])
    logger.info("Statistics recomputed in full: %s rows", rows)
    return rows


def statistics_recompute_period(*, first_day: date, last_day: date, now: datetime | None = None) -> RecomputeResult:
    """Rewrite the rows of the days `first_day`…`last_day` (a command or an administrator asks)."""
    if first_day > last_day:
        raise ValueError("first_day is after last_day")
    today = timezone.localdate(now or timezone.now())
    with transaction.atomic():
        _locked_state(wait=True)
        rows = _rewrite(Scope(first_day=first_day, last_day=last_day), today=today)
    logger.info("Statistics recomputed from %s to %s: %s rows", first_day, last_day, rows)
    return RecomputeResult(rows=rows)


def statistics_update_incremental(*, now: datetime | None = None) -> RecomputeResult:
    """Rewrite the rows that the changes since the last run can have moved. The first run ever is a full one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        state = _locked_state(wait=False)
        if state is None:
            return RecomputeResult(skipped=True)
        if state.watermark is None:
            return RecomputeResult(rows=_recompute_full(state, now=now))
        whole, days = changed_since(state.watermark - WATERMARK_OVERLAP)
        rows = sum(_rewrite(scope, today=today) for scope in scopes_of(whole, days))
        state.watermark = state.last_incremental_at = now
        state.save(update_fields=["watermark", "last_incremental_at"])
    return RecomputeResult(rows=rows, procedures=len(whole | days.keys()))


def changed_since(since: datetime) -> tuple[frozenset[int], dict[int, set[date]]]:
    """What the changes since `since` may have moved: the procedures whose every row may have (edited in the
    catalogue), and for the others, procedure id → the days whose rows may have.

    A changed dossier's events are dated by moments set once (received, finished, apologised, its supplement
    requests), each on its day now as before; only the day after its due date moves, and a due date only moves later
    (an apology's new date, a resumed clock), so its previous one lies between the first one set at receipt
    (`original_due_at`) and the present one. So the days of a dossier are the days of its moments and the days after
    each due date it may have had; payments and ratings are dated by theirs."""
    whole = frozenset(Procedure.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    days: dict[int, set[date]] = defaultdict(set)

    def note(procedure_id: int, *moments: datetime | None) -> None:
        if procedure_id not in whole:
            days[procedure_id].update(timezone.localdate(moment) for moment in moments if moment is not None)

    changed = Dossier.objects.filter(updated_at__gte=since).exclude(status=DossierStatus.DRAFT)
    moments = ("received_at", "finished_at", "apologized_at", "due_at", "original_due_at")
    for procedure_id, received, finished, apologized, due, original_due in changed.values_list(
        "procedure_id", *moments
    ):
        note(procedure_id, received, finished, apologized)
        if received is not None and due is not None and procedure_id not in whole:
            first = timezone.localdate(min(original_due or received, due)) + ONE_DAY
            last = timezone.localdate(due) + ONE_DAY
            days[procedure_id].update(first + ONE_DAY * n for n in range((last - first).days + 1))
    for procedure_id, requested in SupplementRequest.objects.filter(dossier__in=changed).values_list(
        "dossier__procedure_id", "requested_at"
    ):
        note(procedure_id, requested)
    for procedure_id, paid in Payment.objects.filter(updated_at__gte=since).values_list(
        "dossier__procedure_id", "paid_at"
    ):
        note(procedure_id, paid)
    for procedure_id, rated in Rating.objects.filter(created_at__gte=since).values_list(
        "dossier__procedure_id", "created_at"
    ):
        note(procedure_id, rated)
    return whole, days


def scopes_of(whole: frozenset[int], days: dict[int, set[date]]) -> list[Scope]:
    """At most two rewrites: every row of the procedures in `whole`, and the rows of the days listed for the others
    (each of their events read through the (procedure, moment) indexes, so a run costs what its days hold)."""
    scopes = [Scope(procedure_ids=whole)] if whole else []
    listed = {procedure_id: listed_days for procedure_id, listed_days in days.items() if listed_days}
    if listed:
        scopes.append(Scope.of_cells(listed))
    return scopes
