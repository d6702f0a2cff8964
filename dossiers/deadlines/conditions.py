"""Which dossiers are overdue or due soon: one definition, in SQL (`Q`) for the queues, their counts, the API
filter and the deadline watch, and in Python (`due_state`) for the dossiers a page has loaded already.

Only a dossier whose clock runs (CLOCK_RUNNING_STATUSES) has a deadline to watch: one waiting for the
applicant's supplement is paused, one that has finished has no deadline left.
"""

from datetime import datetime

from django.db.models import Q

from procedures.calendar import WorkingCalendar, working_calendar

from ..constants import CLOCK_RUNNING_STATUSES
from ..models import Dossier

OVERDUE = "overdue"
DUE_SOON = "due_soon"


def due_soon_horizon(*, now: datetime, calendar: WorkingCalendar | None = None) -> datetime:
    """The end of the "due soon" window that starts at `now`: one working day of working time. Loading
    the working calendar is a query: compute this once per request and pass it on."""
    calendar = calendar or working_calendar()
    return calendar.add_working_time(now, calendar.working_day_length)


def overdue_condition(*, now: datetime) -> Q:
    """The clock runs and the due date has passed."""
    return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__lt=now)


def due_soon_condition(*, now: datetime, horizon: datetime) -> Q:
    """The clock runs and the due date falls between now and `horizon` (`due_soon_horizon`)."""
    return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__gte=now, due_at__lte=horizon)


def due_state(dossier: Dossier, *, now: datetime, horizon: datetime) -> str:
    """The deadline mark of a loaded dossier by the two conditions above: "overdue", "due_soon" or ""."""
    return due_state_of(dossier.status, dossier.due_at, now=now, horizon=horizon)


def due_state_of(status: str, due_at: datetime | None, *, now: datetime, horizon: datetime) -> str:
    """`due_state` from a dossier's status and due date alone (a row read with `values()`)."""
    if due_at is None or status not in CLOCK_RUNNING_STATUSES:
        return ""
    if due_at < now:
        return OVERDUE
    if due_at <= horizon:
        return DUE_SOON
    return ""
