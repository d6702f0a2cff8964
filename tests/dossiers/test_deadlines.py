"""A dossier's clock with fixed dates: due date at receipt (Tết, make-up Saturday, cut-off), the pause
for a supplement, the early / on-time / late class at the first closing status, and the mark of each step
of the control sheet by the same comparison of dates."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers import selectors, services
from dossiers.constants import DossierStatus, Outcome, Timeliness
from dossiers.deadlines import classify, step_timeliness, timeliness_by_date
from dossiers.models import SupplementRequest
from dossiers.workflow import TransitionNotAllowed
from procedures.calendar import working_calendar
from procedures.constants import CalendarDayKind, TimeUnit
from procedures.models import CalendarDay
from tests.factories import ProcedureFactory, dossier_in_status, pdf_upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStatus


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def clock(monkeypatch):
    """Set the time every service reads: `clock.set(at(...))`."""

    class Clock:
        now = timezone.now()

        def set(self, moment):
            self.now = moment

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed


def _submitted(clock, moment, **procedure):
    clock.set(moment - timedelta(minutes=5))
    return dossier_in_status(S.SUBMITTED, procedure=ProcedureFactory(**procedure))


@pytest.mark.django_db
def test_due_date_skips_tet_2026(clock):
    # Given a 3-working-day procedure received on Friday before Tết (16–20/02/2026 off)
    dossier, officers = _submitted(clock, at(2026, 2, 13, 9, 0), processing_time=3)
    clock.set(at(2026, 2, 13, 9, 0))
    # When it is received
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    # Then the appointment is Wednesday 25/02 at 09:00 (Fri 13 counts from 09:00: 23, 24 and 25)
    assert dossier.due_at == at(2026, 2, 25, 9, 0)
    assert dossier.original_due_at == dossier.due_at


@pytest.mark.django_db
def test_due_date_counts_the_make_up_saturday(clock):
    # 22/08/2026 is a make-up working Saturday (the 31/08 swap)
    dossier, officers = _submitted(clock, at(2026, 8, 21, 9, 0), processing_time=1)
    clock.set(at(2026, 8, 21, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    assert dossier.due_at == at(2026, 8, 22, 9, 0)


@pytest.mark.django_db
def test_received_after_cutoff_counts_from_next_working_day(clock):
    dossier, officers = _submitted(
        clock,
        at(2026, 3, 2, 15, 30),
        processing_time=4,
        processing_time_unit=TimeUnit.WORKING_HOURS,
        cutoff_time=time(15, 0),
    )
    clock.set(at(2026, 3, 2, 15, 30))  # Monday, after the 15:00 cut-off
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    assert dossier.due_at == at(2026, 3, 3, 11, 0)  # Tuesday 07:00 + 4 working hours


@pytest.mark.django_db
def test_supplement_pause_pushes_the_due_date_by_the_paused_working_time(clock):
    # Given a dossier received Monday 02/03/2026 09:00 with 5 working days: due Monday 09/03 09:00
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    assert dossier.due_at == at(2026, 3, 9, 9, 0)
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    # When the specialist asks for a supplement on Tuesday 09:00 and it arrives Thursday 09:00
    clock.set(at(2026, 3, 3, 9, 0))
    dossier = services.dossier_request_supplement(
        dossier=dossier, officer=officers["processing"], items=["Bản vẽ hiện trạng"]
    )
    assert dossier.status == S.SUPPLEMENT_REQUESTED and dossier.paused_at == at(2026, 3, 3, 9, 0)
    clock.set(at(2026, 3, 5, 9, 0))
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    # Then it resumes processing and the due date moves two working days: Wednesday 11/03 09:00
    assert dossier.status == S.PROCESSING
    assert dossier.paused_at is None
    assert dossier.due_at == at(2026, 3, 11, 9, 0)
    assert dossier.supplement_requests.get().answered_at == at(2026, 3, 5, 9, 0)


@pytest.mark.django_db
def test_supplement_pause_over_a_weekend_counts_only_working_time(clock):
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    clock.set(at(2026, 3, 6, 16, 0))  # Friday 16:00
    dossier = services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["CCCD"])
    clock.set(at(2026, 3, 9, 8, 0))  # Monday 08:00: 1 h on Friday + 1 h on Monday
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    assert dossier.due_at == at(2026, 3, 9, 11, 0)
    assert working_calendar().working_time_between(at(2026, 3, 6, 16, 0), at(2026, 3, 9, 8, 0)) == timedelta(hours=2)


def _finish(clock, moment, dossier, officers):
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.RESULT, result_file=pdf_upload()
    )
    clock.set(moment)
    return services.dossier_approve(dossier=dossier, approver=officers["approver"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (at(2026, 3, 6, 16, 0), Timeliness.EARLY),
        (at(2026, 3, 9, 16, 30), Timeliness.ON_TIME),  # after 09:00 but on the due date
        (at(2026, 3, 10, 8, 0), Timeliness.LATE),
    ],
)
def test_completion_is_classed_by_comparing_dates(clock, finished, expected):
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    dossier = _finish(clock, finished, dossier, officers)
    assert dossier.status == S.RESULT_READY
    assert dossier.finished_at == finished
    assert dossier.timeliness == expected
    # Handing the result back later does not change the class
    clock.set(finished + timedelta(days=10))
    dossier = services.dossier_deliver(dossier=dossier, officer=officers["reception"])
    assert dossier.timeliness == expected and dossier.finished_at == finished


@pytest.mark.django_db
def test_apology_sets_a_new_date_once_and_the_dossier_still_counts_late(clock):
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    clock.set(at(2026, 3, 6, 9, 0))
    with pytest.raises(ValidationError, match="sau ngày hẹn"):
        services.dossier_apologize(
            dossier=dossier, officer=officers["reception"], new_due_at=at(2026, 3, 5, 9, 0), reason="Chờ xác minh"
        )
    dossier = services.dossier_apologize(
        dossier=dossier, officer=officers["reception"], new_due_at=at(2026, 3, 12, 9, 0), reason="Chờ xác minh"
    )
    assert dossier.due_at == at(2026, 3, 12, 9, 0) and dossier.original_due_at == at(2026, 3, 9, 9, 0)
    with pytest.raises(TransitionNotAllowed, match="một lần"):
        services.dossier_apologize(
            dossier=dossier, officer=officers["reception"], new_due_at=at(2026, 3, 13, 9, 0), reason="Lần hai"
        )
    dossier = _finish(clock, at(2026, 3, 11, 9, 0), dossier, officers)  # before the new date
    assert dossier.timeliness == Timeliness.LATE


def test_more_than_one_supplement_request_counts_late():
    due = at(2026, 3, 9, 9, 0)
    assert classify(finished_at=at(2026, 3, 3, 9, 0), due_at=due, supplement_count=1, apologized=False) == (
        Timeliness.EARLY
    )
    assert classify(finished_at=at(2026, 3, 3, 9, 0), due_at=due, supplement_count=2, apologized=False) == (
        Timeliness.LATE
    )


@pytest.mark.django_db
def test_refusal_before_receipt_has_no_clock_and_is_not_late(clock):
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    dossier = services.dossier_refuse(dossier=dossier, officer=officers["reception"], reason="Sai thẩm quyền")
    assert dossier.status == S.REFUSED and dossier.due_at is None
    assert dossier.timeliness == Timeliness.EARLY


def _supplement(clock, moment, dossier, officer, answered):
    clock.set(moment)
    dossier = services.dossier_request_supplement(dossier=dossier, officer=officer, items=["Bản sao CCCD"])
    clock.set(answered)
    return services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])


def _propose_and_approve(clock, moment, dossier, officers):
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.RESULT, result_file=pdf_upload()
    )
    clock.set(moment)
    return services.dossier_approve(dossier=dossier, approver=officers["approver"])


@pytest.mark.django_db
def test_a_supplement_asked_before_receipt_does_not_count_toward_lateness(clock):
    # Given a dossier asked for a supplement at the desk before it was received (no clock yet)
    dossier, officers = _submitted(clock, at(2026, 3, 2, 8, 0))
    clock.set(at(2026, 3, 2, 8, 0))
    dossier = services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["CCCD"])
    assert dossier.paused_at is None and dossier.supplement_count == 0
    clock.set(at(2026, 3, 2, 8, 30))
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    assert dossier.status == S.SUBMITTED
    # and received at 09:00 Monday: due Monday 09/03 09:00
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    # The desk's one request is spent: it cannot ask again after receipt
    with pytest.raises(TransitionNotAllowed, match="một lần"):
        services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["Giấy khác"])
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])

    # When the specialist asks once during processing (Tue 09:00, answered Wed 09:00: one day paused)
    dossier = _supplement(clock, at(2026, 3, 3, 9, 0), dossier, officers["processing"], at(2026, 3, 4, 9, 0))
    assert dossier.status == S.PROCESSING and dossier.due_at == at(2026, 3, 10, 9, 0)
    dossier = _propose_and_approve(clock, at(2026, 3, 6, 9, 0), dossier, officers)

    # Then one request counts (the one on the clock), and the dossier finished before its date is early
    assert dossier.supplement_count == 1
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 2
    assert dossier.timeliness == Timeliness.EARLY


@pytest.mark.django_db
def test_two_supplements_asked_while_the_clock_runs_count_late(clock):
    dossier, officers = _submitted(clock, at(2026, 3, 2, 9, 0))
    clock.set(at(2026, 3, 2, 9, 0))
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    # Once at the desk after receipt, once in processing
    dossier = _supplement(clock, at(2026, 3, 2, 10, 0), dossier, officers["reception"], at(2026, 3, 2, 11, 0))
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = _supplement(clock, at(2026, 3, 3, 9, 0), dossier, officers["processing"], at(2026, 3, 3, 10, 0))
    dossier = _propose_and_approve(clock, at(2026, 3, 4, 9, 0), dossier, officers)

    assert dossier.supplement_count == 2
    assert dossier.timeliness == Timeliness.LATE


# --- one rule for the dossier's class and each step's mark ----------------------------------------
#
# Tết 2027: Thursday 04/02 to Wednesday 10/02 are days off. 22/08/2026 is a make-up working Saturday.

UTC = ZoneInfo("UTC")
TET_2027_DUE = at(2027, 2, 12, 9, 0)  # 2 working days from Wednesday 03/02/2027 09:00 (6 h + Tết + 8 h + 2 h)
MAKE_UP_SATURDAY_DUE = at(2026, 8, 22, 9, 0)


@pytest.mark.parametrize(
    ("moment", "due", "expected"),
    [
        (at(2027, 2, 3, 16, 0), TET_2027_DUE, Timeliness.EARLY),  # before Tết
        (at(2027, 2, 11, 16, 59), TET_2027_DUE, Timeliness.EARLY),  # the first day after Tết
        (at(2027, 2, 12, 7, 0), TET_2027_DUE, Timeliness.ON_TIME),  # before the hour, on the day
        (at(2027, 2, 12, 16, 59), TET_2027_DUE, Timeliness.ON_TIME),  # after the hour, on the day
        (at(2027, 2, 12, 6, 30), TET_2027_DUE, Timeliness.ON_TIME),  # 11/02 in UTC: local dates count
        (datetime(2027, 2, 12, 17, 30, tzinfo=UTC), TET_2027_DUE, Timeliness.LATE),  # 00:30 on 13/02 here
        (at(2027, 2, 15, 8, 0), TET_2027_DUE, Timeliness.LATE),  # the next working day
        (at(2026, 8, 21, 16, 0), MAKE_UP_SATURDAY_DUE, Timeliness.EARLY),
        (at(2026, 8, 22, 16, 0), MAKE_UP_SATURDAY_DUE, Timeliness.ON_TIME),  # the working Saturday itself
        (at(2026, 8, 24, 8, 0), MAKE_UP_SATURDAY_DUE, Timeliness.LATE),
    ],
)
def test_a_step_and_a_finished_dossier_are_marked_by_the_same_comparison_of_dates(moment, due, expected):
    assert timeliness_by_date(at=moment, due_at=due) == expected
    assert step_timeliness(at=moment, due_at=due) == expected
    assert classify(finished_at=moment, due_at=due, supplement_count=0, apologized=False) == expected


def test_before_the_clock_starts_a_step_has_no_mark_and_a_closing_is_early():
    assert step_timeliness(at=at(2027, 2, 3, 9, 0), due_at=None) == ""
    assert classify(finished_at=at(2027, 2, 3, 9, 0), due_at=None, supplement_count=0, apologized=False) == (
        Timeliness.EARLY
    )


def _walk_to_approval(clock, dossier, officers, *, steps, approved_at):
    """Receive, forward, take and propose at the moments of `steps`, then approve at `approved_at`."""
    received, forwarded, taken, proposed = steps
    clock.set(received)
    dossier = services.dossier_receive(dossier=dossier, officer=officers["reception"])
    clock.set(forwarded)
    dossier = services.dossier_forward(dossier=dossier, officer=officers["reception"])
    clock.set(taken)
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    clock.set(proposed)
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.RESULT, result_file=pdf_upload()
    )
    clock.set(approved_at)
    return services.dossier_approve(dossier=dossier, approver=officers["approver"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("approved_at", "expected"),
    [
        (at(2027, 2, 11, 15, 0), Timeliness.EARLY),
        (at(2027, 2, 12, 16, 30), Timeliness.ON_TIME),
        (at(2027, 2, 15, 8, 0), Timeliness.LATE),
    ],
)
def test_the_control_sheet_marks_each_step_around_tet_2027_as_the_dossier_is_classed(clock, approved_at, expected):
    # Given a 2-working-day dossier received the day before Tết 2027: due Friday 12/02 09:00
    dossier, officers = _submitted(clock, at(2027, 2, 3, 9, 0), processing_time=2)
    steps = (at(2027, 2, 3, 9, 0), at(2027, 2, 3, 10, 0), at(2027, 2, 11, 7, 30), at(2027, 2, 11, 8, 0))

    # When it is handled before Tết and just after, and approved at `approved_at`
    dossier = _walk_to_approval(clock, dossier, officers, steps=steps, approved_at=approved_at)

    # Then every step after receipt is marked against that date, and the last one as the dossier is classed
    assert dossier.due_at == TET_2027_DUE
    rows = selectors.dossier_control_sheet(dossier=dossier)
    early = Timeliness.EARLY
    assert [row.mark for row in rows] == ["", early, early, early, early, expected]
    assert all(row.due_at == TET_2027_DUE for row in rows[1:])
    assert dossier.timeliness == expected == rows[-1].mark


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("approved_at", "expected"),
    [(at(2027, 2, 13, 15, 0), Timeliness.ON_TIME), (at(2027, 2, 15, 8, 0), Timeliness.LATE)],
)
def test_a_make_up_saturday_added_after_tet_2027_is_the_due_date_and_marks_on_time(clock, approved_at, expected):
    # Given Saturday 13/02/2027 added as a make-up working day and a 3-working-day dossier received 03/02 09:00
    CalendarDay.objects.create(date=date(2027, 2, 13), kind=CalendarDayKind.WORKING_DAY, note="Làm bù Tết")
    dossier, officers = _submitted(clock, at(2027, 2, 3, 9, 0), processing_time=3)
    steps = (at(2027, 2, 3, 9, 0), at(2027, 2, 3, 10, 0), at(2027, 2, 11, 7, 30), at(2027, 2, 12, 9, 0))

    dossier = _walk_to_approval(clock, dossier, officers, steps=steps, approved_at=approved_at)

    # Then the due date is that Saturday (6 h + Tết + 8 h + 8 h + 2 h), approving on it is on time, the
    # Monday after is late, for the dossier and for its last step alike
    assert dossier.due_at == at(2027, 2, 13, 9, 0)
    rows = selectors.dossier_control_sheet(dossier=dossier)
    assert [row.mark for row in rows][-2:] == [Timeliness.EARLY, expected]
    assert dossier.timeliness == expected
