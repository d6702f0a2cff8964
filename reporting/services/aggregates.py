"""Keeping the daily summary (`DailyDossierStat`) and its monthly roll-up in step with the dossiers: a full
recompute (nightly), an incremental update of what changed since the last run (every few minutes), and a recompute
of a span of days (the command and the admin action).

A recompute rewrites whole rows: it deletes the rows of its scope and writes them again from the source in one
statement (`flows.insert_statement`). The incremental update does not read the dossiers: database triggers log every
change of what a dossier, payment, supplement request or rating counts, as it was and as it is (`FlowChange`), and
the run adds the difference those rows make to the summary and deletes them, in one statement
(`flows.apply_changes_statement`), so it costs what changed. A change is counted once whichever runs see it: the
full recompute deletes the logged changes in the statement that reads the dossiers (one snapshot), and a span's
recompute applies them to the other days in the statement that rewrites its own. Every run first locks the one
`ReportingState` row: two runs never write at once (a second incremental run skips instead of waiting; the next one
takes what is logged by then). docs/decisions.md, "Statistics: a log of changes", says why.

On SQLite (`make run`) there are no triggers: the incremental update recomputes everything, which the demo's few
hundred dossiers allow.
"""

import logging
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Min
from django.utils import timezone

from dossiers.models import Dossier
from procedures.models import Procedure

from .. import pagecache
from ..flows import (
    Scope,
    apply_changes_statement,
    insert_statement,
    portal_time_zone,
    rollup_statement,
    zero_rows,
)
from ..models import DailyDossierStat, FlowChange, MonthlyDossierStat, ReportingState
from ..workdays import working_days_cover, working_days_rebuild

logger = logging.getLogger(__name__)

# Memory for the full recompute's one statement on PostgreSQL (for its transaction only).
FULL_RECOMPUTE_WORK_MEM = "256MB"

# How far before the previous run's start an incremental run looks for procedures edited in the catalogue: longer
# than any transaction that writes one.
WATERMARK_OVERLAP = timedelta(minutes=10)


@dataclass(frozen=True)
class RecomputeResult:
    """What a run did: the daily rows it wrote (an incremental run: the rows it changed) and the logged changes it
    took. `skipped` when another run held the lock (incremental runs only)."""

    rows: int = 0
    changes: int = 0
    skipped: bool = False


def _locked_state(*, wait: bool) -> ReportingState | None:
    """The state row, locked for this transaction; None when another run holds it and `wait` is False. (SQLite,
    for `make run`, has no row locks: its single writer serialises the runs.)"""
    ReportingState.objects.get_or_create(pk=1)
    return ReportingState.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()


def _rewrite(scope: Scope) -> int:
    """Delete the daily rows of `scope` and write them again from the source, then the monthly rows of their
    months. Returns the daily rows written. The working-day ordinals must cover the days read."""
    daily = DailyDossierStat._meta.db_table
    with connection.cursor() as cursor:
        if scope.whole and connection.vendor == "postgresql":
            # Emptied at once: rows inserted where as many were deleted in the same transaction walk their dead index
            # entries (0.5 s instead of 0.35 s for the 32,000 rows of a million dossiers). Readers of the summary
            # wait for the commit (~3 s: at night, or when an incremental run must recompute in full); the pages
            # mostly read what they keep (reporting.pagecache).
            cursor.execute(f"TRUNCATE {daily}, {MonthlyDossierStat._meta.db_table}")
            refilled = _indexes_built_after(cursor, daily)
        else:
            scope.rows().delete()
            refilled = nullcontext()
        with refilled, portal_time_zone(cursor):
            cursor.execute(*insert_statement(scope))
            rows = cursor.rowcount
    roll_up_months(scope)
    return rows


@contextmanager
def _indexes_built_after(cursor, table: str):
    """Drop the unique constraints and secondary indexes of `table` (just truncated in this transaction) for the
    block, then build them again from their own definitions, same names: an index built from the rows at once costs
    less than one filled row by row (writing the 32,000 daily rows of a million dossiers: 0.28 s of the server's CPU
    instead of 0.50 s, alternated, load 6). Safe because the TRUNCATE already holds the table's exclusive lock until
    the commit (nobody reads or writes it meanwhile), and a failure rolls the drops back with the rest; rows that
    broke a unique constraint would fail its re-creation, as they would have failed the INSERT."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    uniques = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid = %s::regclass AND NOT indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in uniques:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for name, definition in uniques:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cursor.execute(definition)


def _first_receipt_day(today: date) -> date:
    """The day of the first receipt (where the working-day ordinals start), or `today` when none."""
    first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
    return timezone.localdate(first) if first else today


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
        # The GROUP BY of every dossier's events (two hash tables, ~35 MB at a million dossiers): with the default
        # 4 MB PostgreSQL spills them to disk. (No JIT either, as on every connection: config/settings/base.py.)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{FULL_RECOMPUTE_WORK_MEM}'")
    working_days_rebuild(first_day=_first_receipt_day(today), last_day=today)
    rows = _rewrite(Scope())
    state.watermark = state.last_full_at = now
    state.save(update_fields=["watermark", "last_full_at"])
    pagecache.generation_changed(state)
    logger.info("Statistics recomputed in full: %s rows", rows)
    return rows


def statistics_recompute_period(*, first_day: date, last_day: date, now: datetime | None = None) -> RecomputeResult:
    """Rewrite the rows of the days `first_day`…`last_day` (a command or an administrator asks). On PostgreSQL the
    changes logged so far are applied to the other days in the same statement (one snapshot: each change counted
    once, and no writer waits); when they do not fit the summary, everything is recomputed."""
    if first_day > last_day:
        raise ValueError("first_day is after last_day")
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope = Scope(first_day=first_day, last_day=last_day)
    with transaction.atomic():
        state = _locked_state(wait=True)
        working_days_cover(first_day=min(_first_receipt_day(today), first_day), last_day=today)
        if connection.vendor != "postgresql":
            rows = _rewrite(scope)
        else:
            try:
                with transaction.atomic():
                    _changes, _cells, rows = _apply_logged_changes(today=today, rewriting=scope)
            except IntegrityError:
                logger.warning("Statistics: the logged changes do not fit the summary; recomputing in full")
                return RecomputeResult(rows=_recompute_full(state, now=now))
        state.last_span_at = timezone.now()
        state.save(update_fields=["last_span_at"])
        pagecache.generation_changed(state)
    logger.info("Statistics recomputed from %s to %s: %s rows", first_day, last_day, rows)
    return RecomputeResult(rows=rows)


def statistics_update_incremental(*, now: datetime | None = None) -> RecomputeResult:
    """Add to the summary what the changes logged since the last run make (a full recompute on SQLite, and the first
    run ever). A procedure moved to another field or online level since the last run has its rows relabelled."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        state = _locked_state(wait=False)
        if state is None:
            return RecomputeResult(skipped=True)
        if state.watermark is None or connection.vendor != "postgresql":
            return RecomputeResult(rows=_recompute_full(state, now=now))
        relabelled = relabel_procedures(Procedure.objects.filter(updated_at__gte=state.watermark - WATERMARK_OVERLAP))
        try:
            with transaction.atomic():
                changes, cells, _rewritten = _apply_logged_changes(today=today)
        except IntegrityError:
            # A difference that would make a measure negative: the summary and the log disagree (rows edited by
            # hand, a calendar changed under the processing times). Recomputing in full makes them agree again.
            logger.warning("Statistics: the logged changes do not fit the summary; recomputing in full")
            return RecomputeResult(rows=_recompute_full(state, now=now))
        if changes or relabelled:
            # Stamped only when the summary changed: the stamps name its generation, which the pages' cache keys
            # carry (reporting.pagecache), so a quiet run leaves what they keep alive.
            state.watermark = state.last_incremental_at = now
            state.save(update_fields=["watermark", "last_incremental_at"])
            pagecache.generation_changed(state)
    logger.info("Statistics updated: %s changes, %s cells", changes, cells)
    return RecomputeResult(rows=cells, changes=changes)


def _apply_logged_changes(*, today: date, rewriting: Scope | None = None) -> tuple[int, int, int]:
    """Add the difference the logged changes make to the daily and monthly rows (their days' working-day ordinals
    first, for the processing times); with `rewriting`, to the rows outside that span, whose rows are written again
    from the source. Returns (changes taken, daily cells changed, daily rows rewritten)."""
    first_received = FlowChange.objects.aggregate(first=Min("received_at"))["first"]
    working_days_cover(first_day=timezone.localdate(first_received) if first_received else today, last_day=today)
    if rewriting is not None:
        rewriting.rows().delete()
    with connection.cursor() as cursor, portal_time_zone(cursor):
        cursor.execute(*apply_changes_statement(rewriting=rewriting))
        changes, cells, rewritten = cursor.fetchone()
    if cells or rewriting is not None:
        zero_rows(DailyDossierStat).delete()
        zero_rows(MonthlyDossierStat).delete()
    if rewriting is not None:
        roll_up_months(rewriting)
    return changes, cells, rewritten


def relabel_procedures(procedures) -> int:
    """Give the summary rows of `procedures` their present field and online level (the rows' key carries them, as
    they were when the rows were written); returns the rows changed."""
    return sum(
        model.objects.filter(procedure_id=procedure.pk)
        .exclude(field_id=procedure.field_id, online_level=procedure.online_level)
        .update(field_id=procedure.field_id, online_level=procedure.online_level)
        for procedure in procedures
        for model in (DailyDossierStat, MonthlyDossierStat)
    )
