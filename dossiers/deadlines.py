"""A dossier's clock: due date at receipt, the pause for a supplement, the class at completion.

All arithmetic is delegated to procedures.calendar (working days, hours, holidays, cut-off).
Rules (DOMAIN.md): the due date counts from receipt; while a supplement is awaited the clock stops
and the due date moves by the working time between request and resubmission; at the first closing
status the dossier is classed by comparing dates: before the due date early, on it on time, after it
late; more than one supplement request, or an apology with a new date, counts late.
"""

from datetime import datetime

from django.utils import timezone

from procedures.calendar import WorkingCalendar

from .constants import Timeliness
from .models import Dossier


def due_at_for(*, dossier: Dossier, received_at: datetime, calendar: WorkingCalendar) -> datetime:
    return calendar.due_at(
        received_at,
        amount=dossier.processing_time,
        unit=dossier.processing_time_unit,
        cutoff=dossier.cutoff_time,
    )


def due_at_after_pause(
    *, due_at: datetime, paused_at: datetime, resumed_at: datetime, calendar: WorkingCalendar
) -> datetime:
    """The due date pushed back by the working time the clock stood still."""
    return calendar.add_working_time(due_at, calendar.working_time_between(paused_at, resumed_at))


def classify(*, finished_at: datetime, due_at: datetime | None, supplement_count: int, apologized: bool) -> str:
    if due_at is None:
        # Closed before the clock started (refused or withdrawn before receipt): nothing was late.
        return Timeliness.EARLY
    if supplement_count > 1 or apologized:
        return Timeliness.LATE
    finished_day = timezone.localdate(finished_at)
    due_day = timezone.localdate(due_at)
    if finished_day < due_day:
        return Timeliness.EARLY
    if finished_day == due_day:
        return Timeliness.ON_TIME
    return Timeliness.LATE
