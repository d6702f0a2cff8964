"""The working-day ordinals the aggregation joins (`WorkingDay`): the working days between two dates is the
difference of their ordinals, counted by `procedures.calendar` (holidays, days off, make-up working days)."""

from datetime import date, timedelta

from django.db.models import Max, Min

from procedures.calendar import working_calendar

from .models import WorkingDay


def working_days_rebuild(*, first_day: date, last_day: date) -> None:
    """Write the ordinals of every day from `first_day` to `last_day` afresh (the calendar may have changed)."""
    calendar = working_calendar()
    rows, ordinal, day = [], 0, first_day
    while day <= last_day:
        ordinal += calendar.is_working_day(day)
        rows.append(WorkingDay(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(rows, batch_size=2000)


def working_days_cover(*, first_day: date, last_day: date) -> None:
    """Make sure the ordinals cover `first_day`…`last_day` (one query when they do). New days after the last covered
    one continue its ordinals, so that the processing times already counted keep theirs (the incremental job takes
    back what it counted with the same ordinals; the nightly full recompute brings a changed calendar to every day).
    Days before the first covered one renumber everything."""
    covered = WorkingDay.objects.aggregate(first=Min("day"), last=Max("day"))
    if covered["first"] is not None and covered["first"] <= first_day and covered["last"] >= last_day:
        return
    if covered["first"] is None or first_day < covered["first"]:
        working_days_rebuild(
            first_day=min(first_day, covered["first"] or first_day), last_day=max(last_day, covered["last"] or last_day)
        )
        return
    calendar = working_calendar()
    ordinal = WorkingDay.objects.get(day=covered["last"]).ordinal
    rows, day = [], covered["last"] + timedelta(days=1)
    while day <= last_day:
        ordinal += calendar.is_working_day(day)
        rows.append(WorkingDay(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    WorkingDay.objects.bulk_create(rows)
