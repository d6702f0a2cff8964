"""A dossier's clock: due date at receipt, the pause for a supplement, the class of a step and of the dossier.

All arithmetic is delegated to procedures.calendar (working days, hours, holidays, cut-off).
Rules (DOMAIN.md): the due date counts from receipt; while a supplement is awaited the clock stops
and the due date moves by the working time between request and resubmission; a moment is classed
against a due date by comparing dates in the portal's time zone (`timeliness_by_date`: before the due
date early, on it on time, after it late). The dossier is classed so at the first closing status, except
that more than one supplement request, or an apology with a new date, counts late; each step of the
control sheet is classed so against the due date in force when it was taken.
"""

from datetime import datetime

from django.utils import timezone

from procedures.calendar import WorkingCalendar

from ..constants import Timeliness
from ..models import Dossier


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


def timeliness_by_date(*, at: datetime, due_at: datetime) -> Timeliness:
    """`at` against `due_at`, day against day in the portal's time zone: any hour of the due date is on time."""
    day, due_day = timezone.localdate(at), timezone.localdate(due_at)
    if day < due_day:
        return Timeliness.EARLY
    if day == due_day:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def classify(*, finished_at: datetime, due_at: datetime | None, supplement_count: int, apologized: bool) -> str:
    """The class of a dossier at its first closing status."""
    if due_at is None:
        # Closed before the clock started (refused or withdrawn before receipt): nothing was late.
        return Timeliness.EARLY
    if supplement_count > 1 or apologized:
        return Timeliness.LATE
    return timeliness_by_date(at=finished_at, due_at=due_at)


def step_timeliness(*, at: datetime, due_at: datetime | None) -> str:
    """The mark of one step of the control sheet: the hand-off at `at` against the due date in force then;
    "" when no clock was running yet."""
    if due_at is None:
        return ""
    return timeliness_by_date(at=at, due_at=due_at)
