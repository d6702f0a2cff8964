"""Each step's own deadline, and the dossiers at risk of being late before their deadline passes.

A dossier's allowed time (from receipt to its due date) is shared between its steps by `settings.STEP_TIME_SHARES`
(the desk forwards, the specialist proposes, the leader decides). The control sheet marks each step against its own
deadline: the step's start plus its share, in working time, never later than the dossier's due date then in force.

The risk queue shows the leader, before the due date, the dossiers whose clock runs and that either have less than
`settings.DEADLINE_RISK_SHARE` of their allowed time left, or sit in a step longer than that step's share. For the
queue and its count these shares are taken of the wall-clock time between receipt and due date, and the moment a
dossier becomes at risk so is stored on it (`Dossier.at_risk_after`, `at_risk_after`): each transition that moves
its status, receipt or due date sets it (services/core.py, `write_change`), and the queue is a comparison with now
instead of a look into the dossier's events per row (docs/decisions.md).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from procedures.calendar import WorkingCalendar

from ..constants import CLOCK_RUNNING_STATUSES
from ..models import Dossier, DossierEvent

# Dossiers locked, read and written at a time by `at_risk_refresh`.
_REFRESH_CHUNK = 1000


def step_share(status: str) -> float | None:
    """The share of the allowed time the step in `status` has; None for a status that is no timed step."""
    return settings.STEP_TIME_SHARES.get(status)


def step_due_at(
    *, status: str, started_at: datetime, dossier: Dossier, due_at: datetime | None, calendar: WorkingCalendar
) -> datetime | None:
    """The own deadline of the step the dossier spent in `status` from `started_at`: its share of the allowed
    working time after its start, but no later than `due_at`, the dossier's due date in force then. None for an
    untimed step (before receipt, waiting for the applicant, after the result)."""
    share = step_share(status)
    if share is None or due_at is None or dossier.received_at is None or dossier.original_due_at is None:
        return None
    allowed = calendar.working_time_between(dossier.received_at, dossier.original_due_at)
    return min(calendar.add_working_time(started_at, allowed * share), due_at)


def at_risk_after(
    *, status: str, received_at: datetime | None, due_at: datetime | None, step_started_at: datetime | None
) -> datetime | None:
    """The moment after which a dossier in `status` is at risk while its due date has not passed: the earlier of the
    moment less than DEADLINE_RISK_SHARE of its allowed time is left and the end of its current step's share (the
    step began at `step_started_at`, the last entry into `status` from another status; unknown: at risk from its
    receipt). None while its clock does not run."""
    if status not in CLOCK_RUNNING_STATUSES or received_at is None or due_at is None:
        return None
    allowed = due_at - received_at
    moment = due_at - _share_of(allowed, settings.DEADLINE_RISK_SHARE)
    share = step_share(status)
    if share is not None:
        step_end = received_at if step_started_at is None else step_started_at + _share_of(allowed, share)
        moment = min(moment, step_end)
    return moment


def _share_of(allowed: timedelta, share: float) -> timedelta:
    """`share` of `allowed`, taken in thousandths and rounded to the microsecond (as the queue's SQL did before the
    moment was stored: the same dossiers are at risk)."""
    return allowed * round(share * 1000) / 1000


def at_risk_condition(*, now: datetime) -> Q:
    """The clock runs, the due date has not passed, and the moment the dossier became at risk has (`at_risk_after`).
    The stored moment is null unless the clock runs: with no condition on the status, PostgreSQL estimates the rows
    well and walks the index `dossier_at_risk` by due date (a status condition besides made it expect 2 rows of 700,
    join them all and sort: 13-23 ms instead of 0.5 for the first page at 1,000,000 dossiers)."""
    return Q(due_at__gte=now, at_risk_after__lt=now)


def step_entries(dossier_id: OuterRef | int, status: OuterRef | str) -> QuerySet[DossierEvent]:
    """The dossier's entries into `status` from another status, the last first (a take or an assignment keeps the
    step): the last one began its step in that status."""
    entries = DossierEvent.objects.filter(dossier_id=dossier_id, to_status=status).exclude(from_status=status)
    return entries.order_by("-created_at", "-id")


def at_risk_refresh(dossiers: QuerySet[Dossier] | None = None) -> int:
    """Set `at_risk_after` anew from each dossier's events where it is not what they give, and null where the clock
    does not run: after a change of the shares (settings; `manage.py refresh_at_risk`) and for rows written outside
    the services (bench/generate_dossiers.py's COPY, a test that rewrites history). `dossiers`: those to look at, all
    by default. Returns how many rows changed. 12 s for the 29,000 dossiers in flight of 1,000,000 (loaded machine,
    measured before the chunks were locked).

    Each chunk's rows are locked while they are read and written: a transition at the same time either commits
    before the chunk reads it or waits for the chunk, and never has its moment overwritten by one computed from the
    row as it was."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    running_ids = list(dossiers.filter(status__in=CLOCK_RUNNING_STATUSES).order_by("pk").values_list("pk", flat=True))
    entered_at = Subquery(step_entries(OuterRef("pk"), OuterRef("status")).values("created_at")[:1])
    changed = 0
    for start in range(0, len(running_ids), _REFRESH_CHUNK):
        with transaction.atomic():
            ids = running_ids[start : start + _REFRESH_CHUNK]
            # Locked first, read after: a statement that waited for a lock reads other tables (the events) as they
            # were when it began, so the rows are read by a statement of their own once the locks are held.
            list(Dossier.objects.filter(pk__in=ids).select_for_update().order_by("pk").values_list("pk"))
            chunk = (
                Dossier.objects.filter(pk__in=ids, status__in=CLOCK_RUNNING_STATUSES)
                .annotate(entered_at=entered_at)
                .only("pk", "status", "received_at", "due_at", "at_risk_after")
            )
            stale = []
            for dossier in chunk:
                moment = at_risk_after(
                    status=dossier.status,
                    received_at=dossier.received_at,
                    due_at=dossier.due_at,
                    step_started_at=dossier.entered_at,
                )
                if moment != dossier.at_risk_after:
                    dossier.at_risk_after = moment
                    stale.append(dossier)
            changed += Dossier.objects.bulk_update(stale, ["at_risk_after"])
    # One statement: a row that a transition changes meanwhile is tested again once that commits.
    stopped = dossiers.exclude(status__in=CLOCK_RUNNING_STATUSES).filter(at_risk_after__isnull=False)
    return changed + stopped.update(at_risk_after=None)


def time_left(*, due_at: datetime | None, now: datetime, calendar: WorkingCalendar) -> timedelta | None:
    """Working time from `now` to `due_at`; negative (the working time since) once it has passed."""
    if due_at is None:
        return None
    if due_at >= now:
        return calendar.working_time_between(now, due_at)
    return -calendar.working_time_between(due_at, now)


def time_left_words(left: timedelta, *, day_length: timedelta) -> str:
    """The working time left as a desk reads it: "còn 2 ngày 3 giờ", "còn dưới 1 giờ", "quá 1 ngày"."""
    days, rest = divmod(abs(left), day_length)
    hours = int(rest.total_seconds() // 3600)
    if days and hours:
        amount = _("%(days)d ngày %(hours)d giờ") % {"days": days, "hours": hours}
    elif days:
        amount = _("%(days)d ngày") % {"days": days}
    elif hours:
        amount = _("%(hours)d giờ") % {"hours": hours}
    else:
        amount = _("dưới 1 giờ")
    return (_("còn %(time)s") if left >= timedelta(0) else _("quá %(time)s")) % {"time": amount}
