"""Keeping the daily summary (`DailyDossierStat`) in step with the dossiers: a full recompute (nightly), an
incremental update of what changed since the last run (every few minutes), and a recompute of a span of days (the
command and the admin action).

Every run rewrites whole rows: it deletes the rows of its scope and writes them again from the source in one
statement (`flows.insert_statement`), so running it twice, or a full recompute after any number of incremental
updates, gives the same table. Every run first locks the one `ReportingState` row: two runs never write at once (a
second incremental run skips instead of waiting; the next one catches up from the same watermark).

The watermark: each incremental run reads the dossiers, payments, procedures and ratings changed since the previous
run's start, less `WATERMARK_OVERLAP` (a change saved up to that long before that start but committed after it is
read by the next run; the nightly full recompute catches anything slower). A dossier's change can move events of
any day since it was submitted (its due date, a pause, its class), so the run rewrites its procedure's rows from
that day on (from the first of the month of the earliest such day, one statement for all of them: `scopes_of`); a
procedure edited in the catalogue (its field or online level) has all its rows rewritten.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from payments.models import Payment
from procedures.models import Procedure

from ..flows import Scope, insert_statement
from ..models import Rating, ReportingState
from ..workdays import working_days_cover, working_days_rebuild

logger = logging.getLogger(__name__)

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
    """Delete the rows of `scope` and write them again from the source."""
    first_received = Dossier.objects.filter(scope.events("finished_at"), received_at__isnull=False).aggregate(
        first=Min("received_at")
    )["first"]
    working_days_cover(
        first_day=min(timezone.localdate(first_received) if first_received else today, scope.first_day or today),
        last_day=today,
    )
    scope.rows().delete()
    sql, params = insert_statement(scope)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def statistics_recompute_full(*, now: datetime | None = None) -> RecomputeResult:
    """Rewrite every row (nightly, and the first run ever); the working-day ordinals are rebuilt first, so a day off
    added to the calendar reaches the processing times."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = _recompute_full(_locked_state(wait=True), now=now)
    return RecomputeResult(rows=rows)


def _recompute_full(state: ReportingState, *, now: datetime) -> int:
    today = timezone.localdate(now)
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
        first_days = changed_since(state.watermark - WATERMARK_OVERLAP)
        rows = sum(_rewrite(scope, today=today) for scope in scopes_of(first_days))
        state.watermark = state.last_incremental_at = now
        state.save(update_fields=["watermark", "last_incremental_at"])
    return RecomputeResult(rows=rows, procedures=len(first_days))


def changed_since(since: datetime) -> dict[int, date | None]:
    """Procedure id → the first day whose rows the changes since `since` may have moved (None: every day)."""
    first_days: dict[int, date | None] = {}

    def note(procedure_id: int, moment: datetime | None) -> None:
        if moment is None or first_days.get(procedure_id, date.max) is None:
            first_days[procedure_id] = None
        else:
            day = timezone.localdate(moment)
            first_days[procedure_id] = min(first_days.get(procedure_id, day), day)

    dossiers = (
        Dossier.objects.filter(updated_at__gte=since)
        .exclude(status=DossierStatus.DRAFT)
        .values("procedure_id")
        .annotate(first=Min(Coalesce("submitted_at", "received_at", "created_at")))
    )
    payments = (
        Payment.objects.filter(updated_at__gte=since)
        .values("dossier__procedure_id")
        .annotate(first=Min(Coalesce("paid_at", "created_at")))
    )
    ratings = (
        Rating.objects.filter(created_at__gte=since).values("dossier__procedure_id").annotate(first=Min("created_at"))
    )
    for row in dossiers:
        note(row["procedure_id"], row["first"])
    for rows in (payments, ratings):
        for row in rows:
            note(row["dossier__procedure_id"], row["first"])
    for procedure_id in Procedure.objects.filter(updated_at__gte=since).values_list("id", flat=True):
        note(procedure_id, None)
    return first_days


def scopes_of(first_days: dict[int, date | None]) -> list[Scope]:
    """At most two rewrites: the procedures whose every day may have moved, and the others from the first of the
    month of the earliest of their first days. Each projection reads its table once whatever the span (the moments
    it filters on have no index), so one wider statement costs less than several narrow ones."""
    whole = frozenset(procedure_id for procedure_id, day in first_days.items() if day is None)
    dated = {procedure_id: day for procedure_id, day in first_days.items() if day is not None}
    scopes = [Scope(procedure_ids=whole)] if whole else []
    if dated:
        scopes.append(Scope(procedure_ids=frozenset(dated), first_day=min(dated.values()).replace(day=1)))
    return scopes
