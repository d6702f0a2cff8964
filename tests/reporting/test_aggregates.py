"""The daily summary: each event counted on its day, the periodic report's figures (stocks from flows), the three
ways of recomputing (full, incremental, a span of days), and runs at the same time.

The weeks used: March 2025, Monday 3 to Friday 7 and Monday 10 to Friday 14 are working days; 1-2 and 8-9 are
weekends; 27 and 28 February are Thursday and Friday.
"""

import threading
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from dossiers.constants import Channel, Timeliness
from dossiers.constants import DossierStatus as S
from dossiers.models import Dossier, SupplementRequest
from payments.constants import PaymentStatus
from payments.models import Payment
from reporting import services
from reporting.constants import RatingLevel, RatingSource
from reporting.models import DailyDossierStat, FlowChange, MonthlyDossierStat, Rating, ReportingState, WorkingDay
from reporting.pagecache import generation
from reporting.periods import Period, ReportFilters
from reporting.selectors import figures_by, figures_total
from reporting.tasks import recompute_statistics, update_statistics
from reporting.workdays import working_days_cover, working_days_rebuild
from tests.concurrency import run_at_once
from tests.factories import CalendarDayFactory, ProcedureFactory, UserFactory

from .builders import age_everything, at, dossier_row, row_of, summary

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
MARCH = Period.month(2025, 3)


@pytest.fixture
def procedure():
    return ProcedureFactory(processing_time=5)


@pytest.fixture
def march(procedure):
    """Six dossiers of one procedure (see the module's docstring for the days)."""
    return {
        # received Monday online, due the next Monday, finished Thursday: early, 3 working days
        "early": dossier_row(
            procedure, received=at(3, 3), due=at(3, 10), finished=at(3, 6), timeliness=Timeliness.EARLY
        ),
        # received Monday at the counter, due Wednesday, finished Friday: late, 4 working days
        "late": dossier_row(
            procedure,
            channel=Channel.COUNTER,
            received=at(3, 3),
            due=at(3, 5),
            finished=at(3, 7),
            timeliness=Timeliness.LATE,
        ),
        # received Tuesday online, due Thursday, still in processing: overdue from Friday
        "overdue": dossier_row(procedure, received=at(3, 4), due=at(3, 6)),
        # received Wednesday by post, waiting for the applicant's supplement since Thursday: its clock stands still
        "paused": dossier_row(
            procedure,
            channel=Channel.POSTAL,
            received=at(3, 5),
            due=at(3, 12),
            status=S.SUPPLEMENT_REQUESTED,
            paused=at(3, 6),
        ),
        # refused at reception on Wednesday, never received
        "refused_at_reception": dossier_row(
            procedure, finished=at(3, 5), status=S.REFUSED, timeliness=Timeliness.EARLY
        ),
        # received the Thursday before, due Thursday 6 March, refused on its due date: on time, 5 working days
        "carried_over": dossier_row(
            procedure,
            received=at(2, 27),
            due=at(3, 6),
            finished=at(3, 6),
            status=S.REFUSED,
            timeliness=Timeliness.ON_TIME,
        ),
    }


def test_each_event_is_counted_on_its_day(procedure, march):
    services.statistics_recompute_full()

    online_thursday = row_of(procedure, date(2025, 3, 6))
    assert (online_thursday.finished_early, online_thursday.finished_on_time, online_thursday.refused) == (1, 1, 1)
    assert online_thursday.processing_days == 3 + 5
    assert row_of(procedure, date(2025, 3, 3)).received == 1
    assert row_of(procedure, date(2025, 3, 3), Channel.COUNTER).received == 1
    assert row_of(procedure, date(2025, 3, 5), Channel.POSTAL).received == 1
    assert row_of(procedure, date(2025, 2, 27)).received == 1
    assert row_of(procedure, date(2025, 3, 5)).closed_before_receipt == 1
    # the late one: overdue from the day after its due date to the day it finished
    assert row_of(procedure, date(2025, 3, 6), Channel.COUNTER).due_passed == 1
    counter_friday = row_of(procedure, date(2025, 3, 7), Channel.COUNTER)
    assert (counter_friday.finished_late, counter_friday.due_cleared, counter_friday.processing_days) == (1, 1, 4)
    # the open one is overdue from Friday; the paused one never
    assert row_of(procedure, date(2025, 3, 7)).due_passed == 1
    assert DailyDossierStat.objects.filter(channel=Channel.POSTAL).values_list("due_passed", flat=True).get() == 0
    first = DailyDossierStat.objects.get(procedure=procedure, day=date(2025, 3, 3), channel=Channel.ONLINE)
    assert (first.field_id, first.online_level, first.agency_id) == (
        procedure.field_id,
        procedure.online_level,
        march["early"].agency_id,
    )


def _daily_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [DailyDossierStat._meta.db_table])
        return {definition for (definition,) in cursor.fetchall()}


def test_a_full_recompute_leaves_the_summary_its_indexes_and_unique_key(procedure, march):
    # (the full recompute drops them while it writes the rows and builds them again after)
    indexes = _daily_indexes()
    services.statistics_recompute_full()

    assert _daily_indexes() == indexes
    row = DailyDossierStat.objects.get(procedure=procedure, day=date(2025, 3, 3), channel=Channel.ONLINE)
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


def test_a_months_figures_follow_the_periodic_report(march):
    services.statistics_recompute_full()

    figures = figures_total(period=MARCH, filters=ReportFilters(), today=TODAY)

    assert (figures.received_online, figures.received_direct, figures.carried_over) == (2, 2, 1)
    assert (figures.early, figures.on_time, figures.late) == (1, 1, 1)
    assert str(figures.on_time_rate) == "66.67"
    assert (figures.in_progress_within, figures.overdue) == (1, 1)  # the paused one is within its deadline
    assert (figures.refused, figures.closed_before_receipt) == (1, 1)
    # what was there and what came in is what was resolved and what is left
    assert figures.received_total == figures.resolved + figures.in_progress
    assert figures.average_processing_days == pytest.approx(4)


def test_stocks_are_reckoned_at_the_end_of_the_periods_last_day(march):
    services.statistics_recompute_full()

    to_thursday = figures_total(
        period=Period.custom(date(2025, 3, 1), date(2025, 3, 6)), filters=ReportFilters(), today=TODAY
    )
    friday = figures_total(
        period=Period.custom(date(2025, 3, 7), date(2025, 3, 7)), filters=ReportFilters(), today=TODAY
    )

    # Thursday evening: the late one (due Wednesday) is overdue; the one due that Thursday not yet
    assert (to_thursday.in_progress, to_thursday.overdue) == (3, 1)
    # Friday starts with what Thursday left, and ends with the late one resolved and the other one overdue
    assert friday.carried_over == 3
    assert (friday.late, friday.in_progress, friday.overdue) == (1, 2, 1)


def test_a_period_still_running_is_reckoned_to_today(procedure):
    today = timezone.localdate()
    dossier_row(procedure, received=timezone.now() - timedelta(days=1), due=timezone.now() + timedelta(days=2))
    services.statistics_recompute_full()

    figures = figures_total(period=Period.year(today.year + 1), filters=ReportFilters(), today=today)

    assert (figures.carried_over, figures.in_progress, figures.overdue) == (1, 1, 0)


def test_filters_and_groups(procedure, march):
    other = ProcedureFactory(agency=procedure.agency)
    dossier_row(other, received=at(3, 10), due=at(3, 14))
    services.statistics_recompute_full()

    by_procedure = figures_by(period=MARCH, filters=ReportFilters(), today=TODAY, group="procedure")
    only_counter = figures_total(period=MARCH, filters=ReportFilters(channel=Channel.COUNTER), today=TODAY)
    by_field = figures_by(period=MARCH, filters=ReportFilters(field_id=other.field_id), today=TODAY, group="field")

    assert {row.code: row.figures.received_new for row in by_procedure} == {procedure.code: 4, other.code: 1}
    assert (only_counter.received_new, only_counter.late) == (1, 1)
    assert [(row.label, row.figures.received_new) for row in by_field] == [(other.field.name, 1)]


def test_supplement_requests_apologies_payments_and_ratings(procedure):
    officer = UserFactory(reception_officer=True, agency=procedure.agency)
    dossier = dossier_row(
        procedure,
        received=at(3, 3),
        due=at(3, 12),
        finished=at(3, 11),
        timeliness=Timeliness.LATE,
        apologized=at(3, 10),
        status=S.RETURNED,
    )
    SupplementRequest.objects.create(dossier=dossier, requested_by=officer, requested_at=at(3, 4))
    paid = {"dossier": dossier, "amount": 50_000, "status": PaymentStatus.PAID, "paid_at": at(3, 5)}
    Payment.objects.create(provider="vnpay", reference="BANK-1", **paid)
    Payment.objects.create(provider="counter", reference="DESK-1", **paid)  # at the desk: not online
    Payment.objects.create(provider="vnpay", reference="BANK-2", dossier=dossier, amount=50_000)  # never paid
    Rating.objects.create(dossier=dossier, level=RatingLevel.SATISFIED, source=RatingSource.DOSSIER_PAGE)

    services.statistics_recompute_full()

    figures = figures_total(period=Period.year(2025), filters=ReportFilters(), today=TODAY)
    rated = figures_total(
        period=Period.year(timezone.localdate().year), filters=ReportFilters(), today=TODAY.replace(year=2099)
    )
    assert (figures.supplement_requests, figures.apologies) == (1, 1)
    assert (figures.paid_online_count, figures.paid_online_amount) == (1, 50_000)
    assert (rated.rated_satisfied, rated.ratings, str(rated.satisfied_share)) == (1, 1, "100.00")


def test_incremental_update_rewrites_what_changed_and_agrees_with_a_full_recompute(procedure, march):
    services.statistics_update_incremental()  # the first run ever is a full one
    assert ReportingState.objects.get().watermark is not None
    untouched = ProcedureFactory()
    dossier_row(untouched, received=at(3, 3), due=at(3, 10))
    age_everything()
    services.statistics_recompute_full()

    # When the overdue dossier finishes late, the paused one comes back with a later due date, and one is new
    overdue, paused = march["overdue"], march["paused"]
    overdue.finished_at, overdue.timeliness, overdue.status = at(3, 12), Timeliness.LATE, S.RESULT_READY
    overdue.save()
    paused.paused_at, paused.due_at, paused.status = None, at(3, 20), S.PROCESSING
    paused.save()
    dossier_row(procedure, received=at(3, 13), due=at(3, 20))
    untouched_rows = list(DailyDossierStat.objects.filter(procedure=untouched).values_list("id", flat=True))
    result = services.statistics_update_incremental()

    # Then the five logged changes (two saves as before and after, one new dossier) were taken, the other procedure's
    # rows were left alone, and the table is what a full recompute gives
    assert result.changes == 5
    assert not FlowChange.objects.exists()
    assert list(DailyDossierStat.objects.filter(procedure=untouched).values_list("id", flat=True)) == untouched_rows
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental
    assert row_of(procedure, date(2025, 3, 12)).finished_late == 1


def test_a_procedure_moved_to_another_field_moves_all_its_rows(procedure, march):
    services.statistics_recompute_full()
    new_field = ProcedureFactory().field
    procedure.field = new_field
    procedure.save()

    services.statistics_update_incremental()

    assert set(DailyDossierStat.objects.filter(procedure=procedure).values_list("field_id", flat=True)) == {
        new_field.pk
    }


def test_recompute_of_a_span_of_days_touches_only_those_days(procedure, march):
    services.statistics_recompute_full()
    DailyDossierStat.objects.update(received=99)  # as if the rows had gone wrong

    services.statistics_recompute_period(first_day=date(2025, 3, 1), last_day=date(2025, 3, 31))

    assert row_of(procedure, date(2025, 3, 3)).received == 1
    assert row_of(procedure, date(2025, 2, 27)).received == 99


def test_the_command_recomputes_everything_or_a_span(procedure, march, capsys):
    call_command("recompute_statistics")
    assert "Đã tính lại toàn bộ" in capsys.readouterr().out
    DailyDossierStat.objects.update(received=99)

    call_command("recompute_statistics", "--from", "2025-03-03", "--to", "2025-03-03")

    assert "từ 03/03/2025 đến 03/03/2025" in capsys.readouterr().out
    assert row_of(procedure, date(2025, 3, 3)).received == 1
    assert row_of(procedure, date(2025, 3, 4)).received == 99


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2025-03-03"], "Cần cả --from và --to"),
        (["--from", "2025-03-05", "--to", "2025-03-03"], "Ngày đầu phải trước"),
        (["--from", "05/03/2025", "--to", "2025-03-06"], "Ngày không hợp lệ"),
    ],
)
def test_the_command_refuses_a_bad_span(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_statistics", *arguments)

    assert not DailyDossierStat.objects.exists()


def test_the_tasks_call_the_services(procedure, march):
    assert recompute_statistics()["rows"] > 0
    age_everything()
    assert update_statistics() == {"rows": 0, "changes": 0, "skipped": False}


def test_the_admin_action_recomputes_the_selected_days(client, procedure, march):
    services.statistics_recompute_full()
    DailyDossierStat.objects.update(received=99)
    admin = UserFactory(superuser=True)
    client.force_login(admin)
    march_rows = DailyDossierStat.objects.filter(day__month=3)

    response = client.post(
        "/quan-tri/reporting/dailydossierstat/",
        {"action": "recompute_days", "_selected_action": [row.pk for row in march_rows]},
        follow=True,
    )

    assert "Đã tính lại 5 ngày (từ 03/03/2025 đến 07/03/2025)" in response.content.decode()
    assert row_of(procedure, date(2025, 3, 3)).received == 1
    assert row_of(procedure, date(2025, 2, 27)).received == 99


def test_an_officer_cannot_open_the_summary_in_the_admin(client, agency_admin):
    client.force_login(agency_admin)

    assert client.get("/quan-tri/reporting/dailydossierstat/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_runs_at_the_same_time_write_the_table_once():
    procedure = ProcedureFactory()
    for day in range(3, 8):
        dossier_row(procedure, received=at(3, day), due=at(3, day + 5), finished=at(3, day + 1), timeliness="early")
    services.statistics_recompute_full()
    Dossier.objects.filter(received_at__day=3).update(apologized_at=at(3, 4))  # a change logged for the runs
    runs = [services.statistics_recompute_full, services.statistics_update_incremental] * 2

    results, errors = run_at_once(len(runs), lambda index: runs[index]())

    assert errors == []
    assert len(results) == len(runs)
    assert not FlowChange.objects.exists()
    after_the_runs = summary()
    services.statistics_recompute_full()
    assert summary() == after_the_runs
    assert row_of(procedure, date(2025, 3, 4)).apologies == 1


def test_a_run_with_nothing_to_apply_leaves_the_generation_the_pages_keep(procedure, march):
    services.statistics_recompute_full()
    first = generation()

    services.statistics_update_incremental()
    assert generation() == first

    march["overdue"].apologized_at = at(3, 7)
    march["overdue"].save()
    services.statistics_update_incremental()
    second = generation()
    assert second != first

    services.statistics_recompute_period(first_day=date(2025, 3, 1), last_day=date(2025, 3, 31))
    assert generation() not in (first, second)


@pytest.mark.django_db(transaction=True)
def test_an_incremental_run_skips_while_another_run_holds_the_lock():
    services.statistics_recompute_full()
    with transaction.atomic():
        ReportingState.objects.select_for_update().get(pk=1)
        results, errors = run_at_once(1, lambda index: services.statistics_update_incremental())

    assert errors == []
    assert results[0].skipped


def test_only_a_change_of_what_the_flows_read_is_logged(procedure, march):
    services.statistics_recompute_full()
    dossier = march["overdue"]

    dossier.applicant_name, dossier.status = "Trần Thị B", S.AWAITING_APPROVAL  # neither counted
    dossier.save()
    age_everything()
    assert not FlowChange.objects.exists()

    dossier.status = S.REFUSED  # the flows tell a refusal apart
    dossier.save()
    assert FlowChange.objects.filter(source=FlowChange.Source.DOSSIER).count() == 2


def test_a_refund_a_deletion_and_a_rating_reach_the_summary_as_a_full_recompute_counts_them(procedure, march):
    dossier = march["overdue"]
    payment = Payment.objects.create(
        dossier=dossier, amount=20_000, provider="vnpay", reference="R-1", status=PaymentStatus.PAID, paid_at=at(3, 4)
    )
    services.statistics_recompute_full()

    payment.status = PaymentStatus.REFUNDED  # still money taken online: counted as before
    payment.save()
    Rating.objects.create(dossier=march["early"], level=RatingLevel.SATISFIED, source=RatingSource.DOSSIER_PAGE)
    march["late"].delete()
    result = services.statistics_update_incremental()

    assert result.changes == 4  # the payment as it was and as it is, the rating, the deleted dossier
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental
    assert (
        MonthlyDossierStat.objects.get(
            procedure=procedure, month=date(2025, 3, 1), channel=Channel.ONLINE
        ).paid_online_amount
        == 20_000
    )


def test_when_the_log_does_not_fit_the_summary_the_run_recomputes_in_full(procedure, march):
    services.statistics_recompute_full()
    DailyDossierStat.objects.update(received=0)  # as if the rows had gone wrong
    march["early"].delete()  # its receipt cannot be taken from a day that counts none

    services.statistics_update_incremental()

    assert not FlowChange.objects.exists()
    assert row_of(procedure, date(2025, 3, 3), Channel.COUNTER).received == 1  # recomputed from the dossiers


def test_a_span_recompute_first_counts_the_logged_changes(procedure, march):
    services.statistics_recompute_full()
    early = march["early"]
    early.apologized_at = at(4, 2)  # a day outside the span recomputed below
    early.save()

    services.statistics_recompute_period(first_day=date(2025, 3, 1), last_day=date(2025, 3, 31))

    assert not FlowChange.objects.exists()
    assert row_of(procedure, date(2025, 4, 2)).apologies == 1
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_full_recompute_is_counted_once():
    procedure = ProcedureFactory()
    dossier = dossier_row(procedure, received=at(3, 3), due=at(3, 10))
    services.statistics_recompute_full()
    changed, committed = threading.Event(), threading.Event()

    def finish_late(_index):
        with transaction.atomic():
            Dossier.objects.filter(pk=dossier.pk).update(
                finished_at=at(3, 12), timeliness=Timeliness.LATE, status=S.RESULT_READY
            )
            changed.set()
            committed.wait(timeout=10)  # still uncommitted while the recompute reads and clears the log

    def recompute_meanwhile(_index):
        changed.wait(timeout=10)
        try:
            return services.statistics_recompute_full()
        finally:
            committed.set()

    results, errors = run_at_once(2, lambda index: (finish_late, recompute_meanwhile)[index](index))
    assert errors == []
    assert FlowChange.objects.count() == 2  # the change, left for the next run

    services.statistics_update_incremental()

    assert row_of(procedure, date(2025, 3, 12)).finished_late == 1
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental


def test_a_dossier_moved_to_another_procedure_takes_its_payments_requests_and_ratings_along(procedure, march):
    dossier = march["early"]
    Rating.objects.create(dossier=dossier, level=RatingLevel.SATISFIED, source=RatingSource.DOSSIER_PAGE)
    SupplementRequest.objects.create(dossier=dossier, requested_by=UserFactory(), requested_at=at(3, 4))
    Payment.objects.create(
        dossier=dossier, amount=5_000, provider="vnpay", reference="M-1", status=PaymentStatus.PAID, paid_at=at(3, 3)
    )
    services.statistics_recompute_full()
    other = ProcedureFactory()

    Dossier.objects.filter(pk=dossier.pk).update(procedure=other, agency=other.agency)  # a data fix
    services.statistics_update_incremental()

    def events_of(of):
        return DailyDossierStat.objects.filter(procedure=of).aggregate(
            requests=Sum("supplement_requests"), paid=Sum("paid_online_count"), rated=Sum("rated_satisfied")
        )

    assert events_of(other) == {"requests": 1, "paid": 1, "rated": 1}
    assert events_of(procedure) == {"requests": 0, "paid": 0, "rated": 0}
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental


def test_when_the_log_does_not_fit_a_span_recompute_recomputes_everything(procedure, march):
    services.statistics_recompute_full()
    DailyDossierStat.objects.update(received=0)  # as if the rows had gone wrong
    march["early"].delete()

    services.statistics_recompute_period(first_day=date(2025, 4, 1), last_day=date(2025, 4, 30))

    assert not FlowChange.objects.exists()
    assert row_of(procedure, date(2025, 3, 3), Channel.COUNTER).received == 1


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_during_a_span_recompute_is_counted_once():
    procedure = ProcedureFactory()
    dossier = dossier_row(procedure, received=at(3, 3), due=at(3, 10))
    services.statistics_recompute_full()
    changed, recomputed, writer_done = threading.Event(), threading.Event(), threading.Event()

    def apologise(_index):
        with transaction.atomic():
            Dossier.objects.filter(pk=dossier.pk).update(apologized_at=at(3, 4))
            changed.set()
            recomputed.wait(timeout=10)  # uncommitted while the span is rewritten
        writer_done.set()

    def recompute_meanwhile(_index):
        changed.wait(timeout=10)
        try:
            services.statistics_recompute_period(first_day=date(2025, 3, 1), last_day=date(2025, 3, 31))
            return "waited" if writer_done.is_set() else "done before the writer committed"
        finally:
            recomputed.set()

    results, errors = run_at_once(2, lambda index: (apologise, recompute_meanwhile)[index](index))
    assert errors == []
    assert "done before the writer committed" in results  # no writer waits for a recompute, nor it for them
    services.statistics_update_incremental()

    assert row_of(procedure, date(2025, 3, 4)).apologies == 1
    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental


def test_new_days_continue_the_working_day_ordinals_and_keep_the_counted_ones():
    working_days_rebuild(first_day=date(2025, 3, 3), last_day=date(2025, 3, 9))
    counted = dict(WorkingDay.objects.values_list("day", "ordinal"))
    CalendarDayFactory(date=date(2025, 3, 5))  # a day off added after those days were counted

    working_days_cover(first_day=date(2025, 3, 3), last_day=date(2025, 3, 11))

    ordinals = dict(WorkingDay.objects.values_list("day", "ordinal"))
    assert {day: ordinals[day] for day in counted} == counted
    assert (ordinals[date(2025, 3, 10)], ordinals[date(2025, 3, 11)]) == (6, 7)  # Monday and Tuesday after a week of 5
