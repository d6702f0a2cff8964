"""The working calendar, on fixed dates: Tết, 30/4–1/5, 2/9, make-up Saturdays, cut-off, lunch.

Office sessions (settings.WORKING_SESSIONS): 07:00–11:30 and 13:30–17:00, so a working day is 8 hours
and "1 working day" from 09:00 ends at 09:00 on the next working day.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from procedures import calendar as calendar_module
from procedures.calendar import (
    KEPT_CALENDAR_SECONDS,
    WorkingCalendar,
    working_calendar,
    working_calendar_for_pages,
)
from procedures.constants import CalendarDayKind, TimeUnit
from procedures.models import CalendarDay
from tests.factories import CalendarDayFactory

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


@pytest.fixture
def calendar() -> WorkingCalendar:
    """Public holidays only, no administrator rows."""
    return WorkingCalendar(sessions=tuple(settings.WORKING_SESSIONS))


# Public holidays from the `holidays` package


def test_tet_2026_weekdays_are_days_off(calendar):
    for day in range(16, 21):  # Mon 16 – Fri 20 February 2026
        assert not calendar.is_working_day(date(2026, 2, day))
    assert calendar.is_working_day(date(2026, 2, 13))
    assert calendar.is_working_day(date(2026, 2, 23))


def test_one_working_day_before_tet_2026_ends_after_tet(calendar):
    # Fri 13/2 09:00–17:00 is 6 h; Mon 23/2 07:00–09:00 the last 2 h.
    assert calendar.add_working_days(at(2026, 2, 13, 9), 1) == at(2026, 2, 23, 9)


def test_tet_2027_days_off(calendar):
    for day in range(4, 11):  # Thu 4 – Wed 10 February 2027
        assert not calendar.is_working_day(date(2027, 2, day))
    # Wed 3/2 09:00–17:00 is 6 h; Thu 11/2 07:00–09:00 the last 2 h.
    assert calendar.add_working_days(at(2027, 2, 3, 9), 1) == at(2027, 2, 11, 9)


def test_reunification_and_labour_day_2026(calendar):
    for day in (date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 3)):
        assert not calendar.is_working_day(day)
    # Wed 29/4 10:00–17:00 = 5 h; Mon 4/5 = 8 h; Tue 5/5 07:00–10:00 = 3 h: 16 h = 2 days.
    assert calendar.add_working_days(at(2026, 4, 29, 10), 2) == at(2026, 5, 5, 10)


def test_national_day_2026_with_swapped_monday(calendar):
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not calendar.is_working_day(day)
    # Fri 28/8 09:00–17:00 = 6 h; then nothing until Thu 3/9 07:00–09:00.
    assert calendar.add_working_days(at(2026, 8, 28, 9), 1) == at(2026, 9, 3, 9)


def test_make_up_saturday_from_the_package_is_a_working_day(calendar):
    assert calendar.is_working_day(date(2026, 8, 22))
    assert not calendar.is_working_day(date(2026, 8, 29))  # an ordinary Saturday
    # Fri 21/8 15:00–17:00 = 2 h; Sat 22/8 07:00–11:30 = 4.5 h, 13:30–15:00 = 1.5 h.
    assert calendar.add_working_days(at(2026, 8, 21, 15), 1) == at(2026, 8, 22, 15)


# Days an administrator adds (CalendarDay rows, read by working_calendar())


@pytest.mark.django_db
def test_added_make_up_saturday_shortens_the_deadline():
    received = at(2026, 3, 6, 15)  # Friday
    assert working_calendar().add_working_days(received, 1) == at(2026, 3, 9, 15)

    CalendarDayFactory(date=date(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY)

    # Fri 15:00–17:00 = 2 h, Sat 07:00–11:30 = 4.5 h, 13:30–15:00 = 1.5 h.
    assert working_calendar().add_working_days(received, 1) == at(2026, 3, 7, 15)


@pytest.mark.django_db
def test_added_day_off_lengthens_the_deadline():
    received = at(2026, 3, 9, 9)  # Monday
    assert working_calendar().add_working_days(received, 1) == at(2026, 3, 10, 9)

    CalendarDayFactory(date=date(2026, 3, 10), kind=CalendarDayKind.DAY_OFF)

    assert working_calendar().add_working_days(received, 1) == at(2026, 3, 11, 9)


@pytest.mark.django_db
def test_administrator_rows_win_over_the_package():
    CalendarDayFactory(date=date(2026, 8, 22), kind=CalendarDayKind.DAY_OFF)  # swap cancelled
    CalendarDayFactory(date=date(2026, 9, 2), kind=CalendarDayKind.WORKING_DAY)

    calendar = working_calendar()

    assert not calendar.is_working_day(date(2026, 8, 22))
    assert calendar.is_working_day(date(2026, 9, 2))


# The copy pages keep (procedures.calendar.working_calendar_for_pages)


@pytest.mark.django_db
def test_pages_see_a_day_saved_or_deleted_once_committed_in_the_process_that_changed_it(
    django_capture_on_commit_callbacks,
):
    assert working_calendar_for_pages().is_working_day(date(2026, 3, 10))

    with django_capture_on_commit_callbacks(execute=True):
        day = CalendarDayFactory(date=date(2026, 3, 10), kind=CalendarDayKind.DAY_OFF)
        # Not before the commit: another thread would read the old days again and keep them.
        assert working_calendar_for_pages().is_working_day(date(2026, 3, 10))
    assert not working_calendar_for_pages().is_working_day(date(2026, 3, 10))

    with django_capture_on_commit_callbacks(execute=True):
        day.delete()
    assert working_calendar_for_pages().is_working_day(date(2026, 3, 10))


@pytest.mark.django_db
def test_other_processes_pages_read_the_calendar_again_after_a_minute(monkeypatch):
    started = 1000.0
    monkeypatch.setattr(calendar_module, "monotonic", lambda: started)
    assert working_calendar_for_pages().is_working_day(date(2026, 3, 10))
    # Another process saves a day: no signal here (bulk_create sends none, as another process's save reaches none).
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 3, 10), kind=CalendarDayKind.DAY_OFF)])

    monkeypatch.setattr(calendar_module, "monotonic", lambda: started + KEPT_CALENDAR_SECONDS - 1)
    assert working_calendar_for_pages().is_working_day(date(2026, 3, 10))
    monkeypatch.setattr(calendar_module, "monotonic", lambda: started + KEPT_CALENDAR_SECONDS)
    assert not working_calendar_for_pages().is_working_day(date(2026, 3, 10))


@pytest.mark.django_db
def test_a_stored_deadline_never_comes_from_the_pages_copy():
    received = at(2026, 3, 9, 9)  # Monday
    assert working_calendar_for_pages().add_working_days(received, 1) == at(2026, 3, 10, 9)
    CalendarDay.objects.bulk_create([CalendarDay(date=date(2026, 3, 10), kind=CalendarDayKind.DAY_OFF)])

    # The pages' copy is still the one read before (within the minute); what services store reads the database.
    assert working_calendar_for_pages().add_working_days(received, 1) == at(2026, 3, 10, 9)
    assert working_calendar().add_working_days(received, 1) == at(2026, 3, 11, 9)


# Receipt time: cut-off, closing, opening


def test_after_the_procedure_cutoff_counts_from_next_morning(calendar):
    monday_1530 = at(2026, 3, 9, 15, 30)

    assert calendar.counting_start(monday_1530, cutoff=time(15, 0)) == at(2026, 3, 10, 7)
    # 8 h from Tue 07:00: 07:00–11:30 and 13:30–17:00.
    assert calendar.add_working_days(monday_1530, 1, cutoff=time(15, 0)) == at(2026, 3, 10, 17)


def test_before_the_cutoff_counts_from_receipt(calendar):
    monday_1430 = at(2026, 3, 9, 14, 30)

    assert calendar.counting_start(monday_1430, cutoff=time(15, 0)) == monday_1430
    assert calendar.add_working_days(monday_1430, 1, cutoff=time(15, 0)) == at(2026, 3, 10, 14, 30)


def test_after_closing_counts_from_next_working_day(calendar):
    friday_1730 = at(2026, 3, 6, 17, 30)

    assert calendar.counting_start(friday_1730) == at(2026, 3, 9, 7)
    assert calendar.add_working_hours(friday_1730, 1) == at(2026, 3, 9, 8)


def test_before_opening_counts_from_opening(calendar):
    monday_0600 = at(2026, 3, 9, 6)

    assert calendar.add_working_hours(monday_0600, 1) == at(2026, 3, 9, 8)
    assert calendar.working_time_between(monday_0600, at(2026, 3, 9, 8)) == timedelta(hours=1)


def test_received_on_a_weekend_counts_from_monday(calendar):
    assert calendar.add_working_hours(at(2026, 3, 7, 10), 1) == at(2026, 3, 9, 8)


def test_aware_datetimes_in_utc_give_the_same_deadline(calendar):
    friday_0900_utc = datetime(2026, 2, 13, 2, 0, tzinfo=ZoneInfo("UTC"))

    assert calendar.add_working_days(friday_0900_utc, 1) == at(2026, 2, 23, 9)


# Office hours


def test_lunch_break_is_not_counted(calendar):
    assert calendar.add_working_hours(at(2026, 3, 9, 11), 1) == at(2026, 3, 9, 14)
    assert calendar.working_time_between(at(2026, 3, 9, 11), at(2026, 3, 9, 14)) == timedelta(hours=1)


def test_four_working_hours_from_ten(calendar):
    # 10:00–11:30 = 1.5 h, 13:30–16:00 = 2.5 h.
    assert calendar.add_working_hours(at(2026, 3, 9, 10), 4) == at(2026, 3, 9, 16)


def test_working_time_across_a_weekend(calendar):
    # Fri 15:00–17:00 and Mon 07:00–09:00.
    assert calendar.working_time_between(at(2026, 3, 6, 15), at(2026, 3, 9, 9)) == timedelta(hours=4)


def test_working_time_across_tet(calendar):
    assert calendar.working_time_between(at(2026, 2, 13, 9), at(2026, 2, 23, 9)) == timedelta(hours=8)


def test_working_time_between_inverts_add_working_days(calendar):
    start = at(2026, 4, 28, 8, 15)

    assert calendar.working_time_between(start, calendar.add_working_days(start, 3)) == timedelta(hours=24)


def test_working_time_with_end_before_start_is_zero(calendar):
    assert calendar.working_time_between(at(2026, 3, 9, 15), at(2026, 3, 9, 9)) == timedelta()


# Calendar days (skip holidays, count weekends)


def test_calendar_days_count_weekends(calendar):
    # Thu 5/3 + 5: Fri 6, Sat 7, Sun 8, Mon 9, Tue 10.
    assert calendar.add_calendar_days(at(2026, 3, 5, 10), 5) == at(2026, 3, 10, 17)


def test_calendar_days_skip_public_holidays(calendar):
    # Wed 29/4 + 3: 30/4 and 1/5 skipped; Sat 2, Sun 3, Mon 4.
    assert calendar.add_calendar_days(at(2026, 4, 29, 10), 3) == at(2026, 5, 4, 17)


def test_calendar_days_ending_on_a_day_off_move_to_next_working_day(calendar):
    # Tue 10/3 + 4 ends on Sat 14/3: the next working day is Mon 16/3.
    assert calendar.add_calendar_days(at(2026, 3, 10, 10), 4) == at(2026, 3, 16, 17)


# due_at: the procedure's unit decides


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (TimeUnit.WORKING_HOURS, at(2026, 3, 6, 11)),  # Fri 10:00 + 1 h
        (TimeUnit.WORKING_DAYS, at(2026, 3, 9, 10)),  # Fri 10:00 + 8 h
        (TimeUnit.CALENDAR_DAYS, at(2026, 3, 9, 17)),  # Sat 7 counted, ends on Sat: Mon closing
    ],
)
def test_due_at_follows_the_time_unit(calendar, unit, expected):
    assert calendar.due_at(at(2026, 3, 6, 10), amount=1, unit=unit) == expected


def test_due_at_applies_the_cutoff(calendar):
    due = calendar.due_at(at(2026, 3, 9, 15, 30), amount=1, unit=TimeUnit.WORKING_HOURS, cutoff=time(15, 0))

    assert due == at(2026, 3, 10, 8)
