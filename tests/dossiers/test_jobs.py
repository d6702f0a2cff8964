"""The deadline watch (dossiers.deadlines.watch.deadline_watch and the Celery task around it), with fixed dates.

The week used: Tuesday 10/03/2026 and Friday 13/03/2026 are ordinary working days (Tết 2026 ended in
February, the Hùng Kings' day is 26/04). A working day is 07:00-11:30 and 13:30-17:00 (8 hours).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dossiers import services
from dossiers.constants import DossierStatus as S
from dossiers.deadlines.watch import deadline_watch
from dossiers.models import Dossier
from dossiers.tasks import watch_deadlines
from portal.models import OutboxMessage
from tests.concurrency import run_at_once
from tests.factories import AgencyFactory, DossierFactory, ProcedureFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY_9 = datetime(2026, 3, 10, 9, 0, tzinfo=HCM)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=HCM)


@pytest.fixture
def procedure(agency):
    return ProcedureFactory(agency=agency)


def running_dossier(procedure, *, due_at, status=S.PROCESSING, assignee=None, **extra) -> Dossier:
    return DossierFactory(
        procedure=procedure,
        status=status,
        received_at=due_at - timedelta(days=7),
        due_at=due_at,
        assignee=assignee,
        **extra,
    )


def messages(prefix: str = "") -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dedupe_key__startswith=prefix).order_by("recipient"))


# --- due soon -----------------------------------------------------------------------------------


def test_due_soon_reminds_the_assignee_once(procedure, processing_officer, reception_officer):
    # Given a dossier in processing, assigned, due tomorrow at 08:00 (within one working day)
    dossier = running_dossier(procedure, due_at=at(11, 8), assignee=processing_officer)

    # When the watch runs
    counts = deadline_watch(now=TUESDAY_9)

    # Then the assignee alone gets one e-mail and the dossier is marked
    assert counts == {"due_soon": 1, "overdue": 0}
    [message] = messages("due-soon:")
    assert message.channel == OutboxMessage.Channel.EMAIL
    assert message.recipient == processing_officer.email
    assert message.dedupe_key == f"due-soon:{dossier.pk}:{processing_officer.pk}"
    assert dossier.code in message.subject
    assert "sắp đến hạn" in message.subject
    assert "08:00 11/03/2026" in message.body
    dossier.refresh_from_db()
    assert dossier.due_soon_alerted_at == TUESDAY_9
    assert dossier.overdue_flagged_at is None


def test_running_twice_still_sends_one_reminder(procedure, processing_officer):
    running_dossier(procedure, due_at=at(11, 8), assignee=processing_officer)

    first = deadline_watch(now=TUESDAY_9)
    second = deadline_watch(now=TUESDAY_9)
    later = deadline_watch(now=TUESDAY_9 + timedelta(minutes=15))

    assert first["due_soon"] == 1
    assert second == later == {"due_soon": 0, "overdue": 0}
    assert len(messages("due-soon:")) == 1


def test_without_assignee_the_agency_reception_officers_are_reminded(procedure, agency):
    # Given a received dossier (no assignee yet), two reception officers of the agency and one elsewhere
    first = UserFactory(reception_officer=True, agency=agency)
    second = UserFactory(reception_officer=True, agency=agency)
    UserFactory(reception_officer=True, agency=AgencyFactory())
    UserFactory(reception_officer=True, agency=agency, is_active=False)
    UserFactory(processing_officer=True, agency=agency)
    running_dossier(procedure, due_at=at(10, 16), status=S.RECEIVED)

    deadline_watch(now=TUESDAY_9)

    assert [m.recipient for m in messages("due-soon:")] == sorted([first.email, second.email])


def test_the_horizon_is_one_working_day_not_24_hours(procedure, processing_officer):
    # Friday 16:00 + 8 working hours = Monday 16:00 (1 h on Friday, 7 h on Monday).
    friday_16 = at(13, 16)
    inside = running_dossier(procedure, due_at=at(16, 15, 30), assignee=processing_officer)
    outside = running_dossier(procedure, due_at=at(16, 16, 30), assignee=processing_officer)

    deadline_watch(now=friday_16)

    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.due_soon_alerted_at == friday_16
    assert outside.due_soon_alerted_at is None
    assert len(messages("due-soon:")) == 1


def test_a_dossier_due_later_is_left_for_a_later_run(procedure, processing_officer):
    dossier = running_dossier(procedure, due_at=at(12, 9), assignee=processing_officer)

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 0, "overdue": 0}
    # A day later it is due within one working day.
    assert deadline_watch(now=at(11, 9, 15))["due_soon"] == 1

    dossier.refresh_from_db()
    assert dossier.due_soon_alerted_at == at(11, 9, 15)


# --- overdue ------------------------------------------------------------------------------------


def test_overdue_is_flagged_once_and_the_approvers_told_once(procedure, agency, processing_officer):
    # Given two approvers of the agency, one of another agency, and a dossier due yesterday
    approvers = [UserFactory(approver=True, agency=agency), UserFactory(approver=True, agency=agency)]
    UserFactory(approver=True, agency=AgencyFactory())
    dossier = running_dossier(procedure, due_at=at(9, 16), assignee=processing_officer)

    # When the watch runs twice
    first = deadline_watch(now=TUESDAY_9)
    second = deadline_watch(now=TUESDAY_9 + timedelta(minutes=15))

    # Then the dossier is flagged at the first run, and each approver got one e-mail
    assert first == {"due_soon": 0, "overdue": 1}
    assert second == {"due_soon": 0, "overdue": 0}
    dossier.refresh_from_db()
    assert dossier.overdue_flagged_at == TUESDAY_9
    sent = messages("overdue:")
    assert [m.recipient for m in sent] == sorted(a.email for a in approvers)
    assert all("quá hạn" in m.subject and dossier.code in m.subject for m in sent)
    assert processing_officer.full_name in sent[0].body
    # The assignee is not reminded of a deadline that has already passed.
    assert messages("due-soon:") == []


def test_a_reminded_dossier_that_runs_late_is_still_flagged(procedure, agency, processing_officer):
    UserFactory(approver=True, agency=agency)
    dossier = running_dossier(procedure, due_at=at(10, 15), assignee=processing_officer)

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 1, "overdue": 0}
    assert deadline_watch(now=at(10, 15, 15)) == {"due_soon": 0, "overdue": 1}

    dossier.refresh_from_db()
    assert dossier.due_soon_alerted_at == TUESDAY_9
    assert dossier.overdue_flagged_at == at(10, 15, 15)
    assert len(messages("due-soon:")) == 1
    assert len(messages("overdue:")) == 1


# --- what the watch leaves alone ----------------------------------------------------------------


@pytest.mark.parametrize("status", [S.RESULT_READY, S.RETURNED, S.REFUSED, S.WITHDRAWN])
def test_finished_dossiers_are_ignored(procedure, agency, processing_officer, status):
    UserFactory(approver=True, agency=agency)
    running_dossier(procedure, due_at=at(9, 16), status=status, assignee=processing_officer, finished_at=at(9, 10))
    running_dossier(procedure, due_at=at(10, 16), status=status, assignee=processing_officer, finished_at=at(9, 10))

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 0, "overdue": 0}
    assert OutboxMessage.objects.count() == 0
    assert not Dossier.objects.filter(due_soon_alerted_at__isnull=False).exists()
    assert not Dossier.objects.filter(overdue_flagged_at__isnull=False).exists()


def test_paused_dossiers_are_ignored(procedure, agency, processing_officer):
    # A dossier waiting for the applicant's supplement: its clock stands still, whatever the old due date.
    UserFactory(approver=True, agency=agency)
    running_dossier(
        procedure, due_at=at(9, 16), status=S.SUPPLEMENT_REQUESTED, assignee=processing_officer, paused_at=at(9, 9)
    )
    running_dossier(
        procedure, due_at=at(10, 16), status=S.SUPPLEMENT_REQUESTED, assignee=processing_officer, paused_at=at(9, 9)
    )

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 0, "overdue": 0}
    assert OutboxMessage.objects.count() == 0


def test_a_dossier_paused_through_the_services_is_ignored_until_it_resumes(procedure):
    # Given a dossier the reception asked to supplement (paused by the service), whose due date then passed
    dossier, officers = dossier_in_status(S.SUPPLEMENT_REQUESTED, procedure=procedure)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at(9, 16))
    baseline = OutboxMessage.objects.count()  # the applicant's own notifications

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 0, "overdue": 0}
    assert OutboxMessage.objects.count() == baseline

    # When the applicant supplements, the clock runs again and the watch sees the dossier.
    from tests.factories import pdf_upload

    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    assert dossier.status == S.RECEIVED
    Dossier.objects.filter(pk=dossier.pk).update(due_at=at(10, 16))
    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 1, "overdue": 0}
    assert [m.recipient for m in messages("due-soon:")] == [officers["reception"].email]


def test_dossiers_without_a_running_clock_are_ignored(procedure, reception_officer):
    # Submitted (not received yet): no due date.
    DossierFactory(procedure=procedure, status=S.SUBMITTED)

    assert deadline_watch(now=TUESDAY_9) == {"due_soon": 0, "overdue": 0}
    assert OutboxMessage.objects.count() == 0


# --- batches and the task -----------------------------------------------------------------------


def test_batches_cover_every_dossier(procedure, agency, processing_officer):
    UserFactory(approver=True, agency=agency)
    soon = [running_dossier(procedure, due_at=at(10, 16), assignee=processing_officer) for _ in range(5)]
    late = [running_dossier(procedure, due_at=at(9, 16), assignee=processing_officer) for _ in range(4)]

    counts = deadline_watch(now=TUESDAY_9, batch_size=2)

    assert counts == {"due_soon": 5, "overdue": 4}
    assert {m.dedupe_key for m in messages("due-soon:")} == {f"due-soon:{d.pk}:{processing_officer.pk}" for d in soon}
    assert len(messages("overdue:")) == len(late)


def test_the_task_calls_the_watch_with_the_current_time(procedure, processing_officer, monkeypatch):
    calls = []
    monkeypatch.setattr("dossiers.tasks.deadline_watch", lambda *, now: calls.append(now) or {"due_soon": 0})

    assert watch_deadlines.apply().get() == {"due_soon": 0}
    assert len(calls) == 1
    assert calls[0].tzinfo is not None
    assert watch_deadlines.acks_late is True


def test_the_task_is_in_the_beat_schedule(settings):
    entries = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert entries["dossiers.tasks.watch_deadlines"] == timedelta(minutes=15)


# --- two watches at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_watches_at_once_alert_each_dossier_exactly_once(monkeypatch):
    # The outbox asks a worker to deliver after commit; no worker here, so the request is dropped.
    monkeypatch.setattr("portal.tasks.relay_outbox.apply_async", lambda *a, **kw: None)
    agency = AgencyFactory()
    procedure = ProcedureFactory(agency=agency)
    officer = UserFactory(processing_officer=True, agency=agency)
    approver = UserFactory(approver=True, agency=agency)
    soon = [running_dossier(procedure, due_at=at(10, 16), assignee=officer) for _ in range(30)]
    late = [running_dossier(procedure, due_at=at(9, 16), assignee=officer) for _ in range(30)]

    results, errors = run_at_once(2, lambda _i: deadline_watch(now=TUESDAY_9, batch_size=7))

    assert errors == []
    assert sum(r["due_soon"] for r in results) == len(soon)
    assert sum(r["overdue"] for r in results) == len(late)
    due_soon = messages("due-soon:")
    overdue = messages("overdue:")
    assert sorted(m.dedupe_key for m in due_soon) == sorted(f"due-soon:{d.pk}:{officer.pk}" for d in soon)
    assert sorted(m.dedupe_key for m in overdue) == sorted(f"overdue:{d.pk}:{approver.pk}" for d in late)
    assert not Dossier.objects.filter(pk__in=[d.pk for d in soon], due_soon_alerted_at__isnull=True).exists()
    assert not Dossier.objects.filter(pk__in=[d.pk for d in late], overdue_flagged_at__isnull=True).exists()


# --- the benchmark's data generator (bench/generate_dossiers.py) --------------------------------
# Not a job of the portal, but run on purpose against the real schema: this keeps it in step with it.


def test_the_bench_generator_makes_consistent_dossiers():
    import io
    import re

    from bench.generate_dossiers import generate
    from dossiers.constants import CLOCK_RUNNING_STATUSES, CLOSING_STATUSES
    from dossiers.models import DossierCodeSequence, DossierEvent
    from procedures.constants import TimeUnit

    agencies = [AgencyFactory(), AgencyFactory()]
    for agency in agencies:
        ProcedureFactory(agency=agency, processing_time=3)
        ProcedureFactory(agency=agency, processing_time=15, processing_time_unit=TimeUnit.WORKING_HOURS)
    end = at(13, 16)

    report = generate(count=300, days=20, end=end, seed=7, vacuum=False, out=io.StringIO())

    assert report["dossiers"] == 300
    dossiers = list(Dossier.objects.select_related("agency"))
    assert len(dossiers) == 300
    assert len({d.code for d in dossiers}) == 300
    for d in dossiers:
        local = d.submitted_at.astimezone(HCM)
        assert re.fullmatch(rf"{re.escape(d.agency.code)}-{local:%y%m%d}-\d{{4,}}", d.code)
        assert d.submitted_at < end
        if d.status in CLOCK_RUNNING_STATUSES:
            assert d.due_at is not None and d.received_at is not None and d.finished_at is None
            assert d.at_risk_after is not None  # the approver's risk queue reads it
        else:
            assert d.at_risk_after is None
        if d.status in CLOSING_STATUSES or d.status == S.RETURNED:
            assert d.finished_at is not None and d.timeliness
        if d.status == S.SUPPLEMENT_REQUESTED:
            assert d.paused_at is not None and d.resume_status
        if d.status == S.SUBMITTED:
            assert d.received_at is None and d.due_at is None
    assert {d.status for d in dossiers} >= {S.RETURNED, S.PROCESSING}
    # Every dossier starts with its submission; the code sequences continue after the generated numbers.
    first_actions = set(
        DossierEvent.objects.filter(
            pk__in=[d.events.order_by("created_at", "id").first().pk for d in dossiers[:20]]
        ).values_list("action", flat=True)
    )
    assert first_actions == {"submit"}
    for d in dossiers[:20]:
        number = int(d.code.rsplit("-", 1)[1])
        sequence = DossierCodeSequence.objects.get(agency=d.agency, day=d.submitted_at.astimezone(HCM).date())
        assert sequence.last_number >= number
