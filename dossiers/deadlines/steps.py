"""Each step's own deadline, and the dossiers at risk of being late before their deadline passes.

A dossier's allowed time (from receipt to its due date) is shared between its steps by `settings.STEP_TIME_SHARES`
(the desk forwards, the specialist proposes, the leader decides). The control sheet marks each step against its own
deadline: the step's start plus its share, in working time, never later than the dossier's due date then in force.

The risk queue shows the leader, before the due date, the dossiers whose clock runs and that either have less than
`settings.DEADLINE_RISK_SHARE` of their allowed time left, or sit in a step longer than that step's share. In SQL,
for the queue and its count, these shares are taken of the wall-clock time between receipt and due date (a
working-time measure per row is not a column PostgreSQL or SQLite can compute); the page marks a row by the same rule.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, DateTimeField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.lookups import Exact, LessThan, LessThanOrEqual
from django.utils.translation import gettext as _

from procedures.calendar import WorkingCalendar

from ..constants import CLOCK_RUNNING_STATUSES
from ..models import Dossier, DossierEvent


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


def _allowed_time_share(share, *, outer: bool = False):
    """`share` of the wall-clock time from receipt to the due date, of the row (or of the outer query's row), as a
    duration. `share`: a number, or an expression giving thousandths. In thousandths, whole numbers, and compared
    with durations only (never added to a moment): SQLite computes no other duration arithmetic."""
    ref = OuterRef if outer else F
    thousandths = Value(round(share * 1000)) if isinstance(share, int | float) else share
    return (ref("due_at") - ref("received_at")) * thousandths / Value(1000)


def at_risk_condition(*, now: datetime) -> Q:
    """The clock runs, the due date has not passed, and little time is left or the current step overran its share."""
    moment = Value(now, output_field=DateTimeField())
    little_left = Q(LessThan(F("due_at") - moment, _allowed_time_share(settings.DEADLINE_RISK_SHARE)))
    shares = {status: share for status, share in settings.STEP_TIME_SHARES.items() if status in CLOCK_RUNNING_STATUSES}
    # The share of the outer row's step, in thousandths: one subquery for every step instead of one per step (1.6 ms
    # less of building and compiling on each approver's page, whose counts hold this queue's).
    step_share_thousandths = Case(
        *[
            When(Exact(OuterRef("status"), Value(status)), then=Value(round(share * 1000)))
            for status, share in shares.items()
        ],
        output_field=IntegerField(),
    )
    # Entered its current step within its share: an event into the status that changed it (a take or an assignment
    # keeps the step), less than the share ago.
    entered_lately = DossierEvent.objects.filter(
        LessThanOrEqual(moment - F("created_at"), _allowed_time_share(step_share_thousandths, outer=True)),
        dossier_id=OuterRef("pk"),
        to_status=OuterRef("status"),
    ).exclude(from_status=OuterRef("status"))
    step_overran = Q(status__in=list(shares)) & ~Exists(entered_lately)
    return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__gte=now, received_at__isnull=False) & (
        little_left | step_overran
    )


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
