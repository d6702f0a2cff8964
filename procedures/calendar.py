"""The working calendar: every deadline computation in the portal goes through this module.

A day is a working day unless it is a weekend, a public holiday (the `holidays` package knows
Vietnam's lunar holidays and yearly swaps) or an extra day off an administrator added; a make-up
working day (a swapped Saturday, from the package or added by an administrator) is a working day.
A working day is the office sessions of settings.WORKING_SESSIONS (8 hours by default).

Deadlines (DOMAIN.md):
- working days and working hours run only during office sessions, so "3 working days" from Monday
  09:00 ends Thursday 09:00, and a pause for a supplement is measured in the same working time;
- a dossier received after the cut-off time (by default the closing time) counts from the opening
  of the next working day;
- calendar days skip public holidays and days off but not weekends; a period that ends on a day
  off ends at the next working day (Civil Code 2015, Art. 148).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from time import monotonic

import holidays
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .constants import CalendarDayKind, TimeUnit
from .models import CalendarDay

# Far enough to cover any statutory period; a loop that gets here has a bug or a calendar with
# no working day at all.
MAX_DAYS_SCANNED = 3660


@lru_cache(maxsize=64)
def _public_calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, swapped working weekend days) of one year, from the `holidays` package."""
    vietnam = holidays.country_holidays("VN", years=year)
    workdays = frozenset(day for day in getattr(vietnam, "weekend_workdays", ()) if day.year == year)
    return frozenset(vietnam.keys()), workdays


def public_holidays(year: int) -> dict[date, str]:
    """Public holidays of a year with their names, for display."""
    return dict(holidays.country_holidays("VN", years=year, language="vi"))


@dataclass(frozen=True)
class WorkingCalendar:
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    sessions: tuple[tuple[time, time], ...] = ()

    @property
    def opening_time(self) -> time:
        return self.sessions[0][0]

    @property
    def closing_time(self) -> time:
        return self.sessions[-1][1]

    @cached_property
    def working_day_length(self) -> timedelta:
        return sum((_duration(start, end) for start, end in self.sessions), timedelta())

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        public_days_off, swapped_workdays = _public_calendar(day.year)
        if day in public_days_off:
            return False
        if day in swapped_workdays:
            return True
        return day.weekday() < 5

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for offset in range(1, MAX_DAYS_SCANNED):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day in the calendar after {day}")

    def _sessions_from(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Office sessions as aware datetimes, from `day` onwards, skipping days off."""
        tz = timezone.get_current_timezone()
        for offset in range(MAX_DAYS_SCANNED):
            current = day + timedelta(days=offset)
            if not self.is_working_day(current):
                continue
            for start, end in self.sessions:
                yield (
                    datetime.combine(current, start, tzinfo=tz),
                    datetime.combine(current, end, tzinfo=tz),
                )
        raise ValueError(f"No working time in the calendar after {day}")

    def counting_start(self, received_at: datetime, cutoff: time | None = None) -> datetime:
        """When the clock starts for something received at `received_at`."""
        local = timezone.localtime(received_at)
        if self.is_working_day(local.date()) and local.time() >= (cutoff or self.closing_time):
            opening = self.next_working_day(local.date())
            return datetime.combine(opening, self.opening_time, tzinfo=local.tzinfo)
        return local

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when `duration` of office time has passed since `start`."""
        remaining = duration
        local = timezone.localtime(start)
        if remaining <= timedelta():
            return local
        for session_start, session_end in self._sessions_from(local.date()):
            if session_end <= local:
                continue
            begin = max(session_start, local)
            available = session_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        raise AssertionError("unreachable: _sessions_from raises first")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two moments (zero if `end` is not after `start`).

        Every working day between the first and the last counts a whole `working_day_length`, so a span costs one
        `is_working_day` per day instead of building each session's datetimes (a queue page asks this for each row).
        """
        tz = timezone.get_current_timezone()
        start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
        if end <= start:
            return timedelta()
        first, last = start.date(), end.date()
        if (last - first).days >= MAX_DAYS_SCANNED:
            raise ValueError(f"No working time in the calendar after {first}")
        if first == last:
            return self._office_time_on(first, start, end, tz)
        whole_days = sum(self.is_working_day(first + timedelta(days=n)) for n in range(1, (last - first).days))
        return (
            self._office_time_on(first, start, None, tz)
            + self.working_day_length * whole_days
            + self._office_time_on(last, None, end, tz)
        )

    def _office_time_on(self, day: date, after: datetime | None, before: datetime | None, tz) -> timedelta:
        """The office time of `day` after `after` and before `before` (None: from its opening, to its closing)."""
        total = timedelta()
        if not self.is_working_day(day):
            return total
        for start, end in self.sessions:
            session_start, session_end = datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz)
            overlap = min(session_end, before or session_end) - max(session_start, after or session_start)
            if overlap > timedelta():
                total += overlap
        return total

    def add_working_days(self, start: datetime, days: int, cutoff: time | None = None) -> datetime:
        return self.add_working_time(self.counting_start(start, cutoff), self.working_day_length * days)

    def add_working_hours(self, start: datetime, hours: int, cutoff: time | None = None) -> datetime:
        return self.add_working_time(self.counting_start(start, cutoff), timedelta(hours=hours))

    def add_calendar_days(self, start: datetime, days: int, cutoff: time | None = None) -> datetime:
        """Days that skip public holidays and days off but count weekends; ends at closing time."""
        tz = timezone.get_current_timezone()
        day = self.counting_start(start, cutoff).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if not self._is_holiday_or_day_off(day):
                counted += 1
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return datetime.combine(day, self.closing_time, tzinfo=tz)

    def _is_holiday_or_day_off(self, day: date) -> bool:
        if day in self.extra_working_days:
            return False
        return day in self.extra_days_off or day in _public_calendar(day.year)[0]

    def due_at(self, received_at: datetime, *, amount: int, unit: str, cutoff: time | None = None) -> datetime:
        """The appointment ("ngày hẹn trả") for a procedure's processing time."""
        if unit == TimeUnit.WORKING_HOURS:
            return self.add_working_hours(received_at, amount, cutoff)
        if unit == TimeUnit.CALENDAR_DAYS:
            return self.add_calendar_days(received_at, amount, cutoff)
        return self.add_working_days(received_at, amount, cutoff)


def _duration(start: time, end: time) -> timedelta:
    anchor = date(2000, 1, 1)
    return datetime.combine(anchor, end) - datetime.combine(anchor, start)


def working_calendar() -> WorkingCalendar:
    """The calendar in force: public holidays plus what administrators added (one query). Whatever is stored (a
    due date at receipt, after a pause, an extension) is computed with this one."""
    extra_days_off, extra_working_days = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (extra_days_off if kind == CalendarDayKind.DAY_OFF else extra_working_days).add(day)
    return WorkingCalendar(
        extra_days_off=frozenset(extra_days_off),
        extra_working_days=frozenset(extra_working_days),
        sessions=tuple(settings.WORKING_SESSIONS),
    )


# Pages (a queue's time left and due-soon marks) read the calendar from each process's memory, read again from the
# database after this many seconds, and at once in the process that saved or deleted a day: an administrator's
# change shows on other processes' pages within a minute, and no stored date ever comes from this copy
# (docs/decisions.md, "The working calendar kept per process for pages").
KEPT_CALENDAR_SECONDS = 60
_kept_calendar: tuple[float, WorkingCalendar] | None = None


def working_calendar_for_pages() -> WorkingCalendar:
    """`working_calendar()` as this process last read it, at most KEPT_CALENDAR_SECONDS ago: for what a page shows,
    never for a date that is stored."""
    global _kept_calendar
    kept = _kept_calendar
    if (
        kept is None
        or monotonic() - kept[0] >= KEPT_CALENDAR_SECONDS
        or kept[1].sessions != tuple(settings.WORKING_SESSIONS)
    ):
        kept = _kept_calendar = (monotonic(), working_calendar())
    return kept[1]


def forget_kept_calendar() -> None:
    """Read the calendar again on the next page."""
    global _kept_calendar
    _kept_calendar = None


def forget_kept_calendar_on_commit(**_signal_kwargs) -> None:
    """A day was saved or deleted (procedures.apps connects it): forget the kept calendar once the change is
    committed (forgotten before, another thread could read the old days again and keep them)."""
    transaction.on_commit(forget_kept_calendar)
