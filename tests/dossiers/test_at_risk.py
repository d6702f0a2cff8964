"""The moment a dossier becomes at risk (`Dossier.at_risk_after`), stored so that the leader's risk queue and its
count compare a column with now: every transition, pause and resumption, and change of due date keeps it current,
and the queue holds the same dossiers as the rule it replaced, which looked into each dossier's events."""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.lookups import Exact, LessThan, LessThanOrEqual
from django.test import override_settings
from django.utils import timezone

from dossiers import services
from dossiers.constants import CLOCK_RUNNING_STATUSES, DossierStatus
from dossiers.deadlines import at_risk_after, at_risk_condition, at_risk_refresh
from dossiers.models import Dossier, DossierEvent
from dossiers.selectors.queues import dossier_queue_for_officer, queue_counts
from tests.concurrency import run_at_once
from tests.factories import ProcedureFactory, dossier_in_status, pdf_upload

pytestmark = pytest.mark.django_db

S = DossierStatus


@pytest.fixture
def procedure(agency):
    return ProcedureFactory(agency=agency, processing_time=10)


@pytest.fixture
def people(reception_officer, processing_officer, approver):
    return {"reception": reception_officer, "processing": processing_officer, "approver": approver}


def in_status(status, procedure, people):
    dossier, _people = dossier_in_status(status, procedure=procedure, officers=people)
    return dossier


def at_risk(dossier, people, *, now) -> bool:
    """Whether the leader's risk queue holds `dossier` at `now`; its count says the same."""
    queue = dossier_queue_for_officer(officer=people["approver"], queue="at_risk", now=now)
    listed = queue.filter(pk=dossier.pk).exists()
    assert queue_counts(officer=people["approver"], now=now)["at_risk"] == queue.count()
    return listed


def entered(dossier, status):
    """The moment of the dossier's last event into `status`."""
    return dossier.events.filter(to_status=status).latest("created_at", "id").created_at


# --- kept current ------------------------------------------------------------------------------------------------


def test_a_transition_starts_the_risk_of_the_new_step(procedure, people):
    dossier = in_status(S.RECEIVED, procedure, people)
    allowed = dossier.due_at - dossier.received_at
    # The desk's tenth runs out: at risk before a twentieth of the time is left.
    assert at_risk(dossier, people, now=dossier.received_at + allowed * 0.15)

    dossier = services.dossier_forward(dossier=dossier, officer=people["reception"])

    # The specialist's step has seven tenths from its start: no longer at risk at that moment, at risk past them.
    forwarded = entered(dossier, S.PROCESSING)
    assert not at_risk(dossier, people, now=dossier.received_at + allowed * 0.15)
    assert not at_risk(dossier, people, now=forwarded + allowed * 0.7 - timedelta(seconds=1))
    assert at_risk(dossier, people, now=forwarded + allowed * 0.7 + timedelta(seconds=1))


def test_a_transition_out_of_the_clock_leaves_the_queue(procedure, people):
    dossier = in_status(S.AWAITING_APPROVAL, procedure, people)
    late_in_its_time = dossier.due_at - timedelta(hours=1)
    assert at_risk(dossier, people, now=late_in_its_time)

    dossier = services.dossier_approve(dossier=dossier, approver=people["approver"])

    assert dossier.status not in CLOCK_RUNNING_STATUSES and dossier.at_risk_after is None
    assert not at_risk(dossier, people, now=late_in_its_time)


def test_a_pause_and_its_end_move_the_risk(procedure, people):
    dossier = services.dossier_take(dossier=in_status(S.PROCESSING, procedure, people), officer=people["processing"])
    allowed, forwarded = dossier.due_at - dossier.received_at, entered(dossier, S.PROCESSING)
    stale = forwarded + allowed * 0.7 + timedelta(hours=1)  # past the step's share as it was before the pause
    assert at_risk(dossier, people, now=stale)

    dossier = services.dossier_request_supplement(dossier=dossier, officer=people["processing"], items=["Bản sao"])
    assert not at_risk(dossier, people, now=stale)  # the clock stands still
    # Three weeks waiting for the applicant: the due date moves by that working time at the resumption.
    Dossier.objects.filter(pk=dossier.pk).update(paused_at=timezone.now() - timedelta(days=21))
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])

    assert dossier.status == S.PROCESSING and dossier.due_at > forwarded + allowed
    resumed, allowed = entered(dossier, S.PROCESSING), dossier.due_at - dossier.received_at
    assert not at_risk(dossier, people, now=stale)  # the step began again at the resumption, with a longer time
    assert not at_risk(dossier, people, now=resumed + allowed * 0.7 - timedelta(seconds=1))
    assert at_risk(dossier, people, now=resumed + allowed * 0.7 + timedelta(seconds=1))


def test_a_new_due_date_moves_the_risk(procedure, people):
    dossier = services.dossier_take(dossier=in_status(S.PROCESSING, procedure, people), officer=people["processing"])
    forwarded = entered(dossier, S.PROCESSING)
    little_left = dossier.due_at - timedelta(hours=1)
    assert at_risk(dossier, people, now=little_left)

    dossier = services.dossier_apologize(
        dossier=dossier, officer=people["processing"], new_due_at=dossier.due_at + timedelta(days=30), reason="Chậm"
    )

    # The step keeps its start (an apology is no new step) and its share of the longer time.
    allowed = dossier.due_at - dossier.received_at
    assert not at_risk(dossier, people, now=little_left)
    assert not at_risk(dossier, people, now=forwarded + allowed * 0.7 - timedelta(seconds=1))
    assert at_risk(dossier, people, now=forwarded + allowed * 0.7 + timedelta(seconds=1))


def test_the_refresh_follows_a_change_of_the_shares(procedure, people):
    dossier = in_status(S.RECEIVED, procedure, people)
    past_the_desks_tenth = dossier.received_at + (dossier.due_at - dossier.received_at) * 0.2
    Dossier.objects.filter(pk=dossier.pk).update(at_risk_after=dossier.due_at)  # as if computed under other shares
    assert not at_risk(dossier, people, now=past_the_desks_tenth)

    out = StringIO()
    call_command("refresh_at_risk", stdout=out)  # what an operator runs after changing the shares
    assert "1 hồ sơ" in out.getvalue()
    assert at_risk(dossier, people, now=past_the_desks_tenth)
    with override_settings(STEP_TIME_SHARES={**settings.STEP_TIME_SHARES, S.RECEIVED: 0.5}):
        assert at_risk_refresh() == 1
        assert not at_risk(dossier, people, now=past_the_desks_tenth)
    assert at_risk_refresh() == 1  # back under the shares in force
    assert at_risk(dossier, people, now=past_the_desks_tenth)
    assert at_risk_refresh() == 0


# --- the same dossiers as the rule it replaced -------------------------------------------------------------------


def old_at_risk_condition(*, now) -> Q:
    """The risk queue's condition before the moment was stored: little time left, or no entry into the current status
    within its share, looked up in the events of each row."""

    def allowed_share(thousandths, ref=F):
        return (ref("due_at") - ref("received_at")) * thousandths / Value(1000)

    moment = Value(now, output_field=DateTimeField())
    little_left = Q(LessThan(F("due_at") - moment, allowed_share(Value(round(settings.DEADLINE_RISK_SHARE * 1000)))))
    shares = {status: share for status, share in settings.STEP_TIME_SHARES.items() if status in CLOCK_RUNNING_STATUSES}
    step_share = Case(
        *[When(Exact(OuterRef("status"), Value(s)), then=Value(round(share * 1000))) for s, share in shares.items()],
        output_field=IntegerField(),
    )
    entered_lately = DossierEvent.objects.filter(
        LessThanOrEqual(moment - F("created_at"), allowed_share(step_share, OuterRef)),
        dossier_id=OuterRef("pk"),
        to_status=OuterRef("status"),
    ).exclude(from_status=OuterRef("status"))
    step_overran = Q(status__in=list(shares)) & ~Exists(entered_lately)
    return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__gte=now, received_at__isnull=False) & (
        little_left | step_overran
    )


def _dossiers_of_every_kind(procedure, people):
    """Dossiers along every path that moves the moment: each step, a take, a send-back, a pause at reception and one
    in processing (resumed after weeks), an apology, one paused still, one done; and two whose history was rewritten
    (received long ago) and refreshed."""
    processing, approver = people["processing"], people["approver"]
    made = [in_status(status, procedure, people) for status in (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED)]
    taken = services.dossier_take(dossier=in_status(S.PROCESSING, procedure, people), officer=processing)
    made += [taken, in_status(S.AWAITING_APPROVAL, procedure, people), in_status(S.RESULT_READY, procedure, people)]
    sent_back = services.dossier_send_back(
        dossier=in_status(S.AWAITING_APPROVAL, procedure, people), approver=approver, note="Bổ sung căn cứ"
    )
    apologized = services.dossier_take(dossier=in_status(S.PROCESSING, procedure, people), officer=processing)
    apologized = services.dossier_apologize(
        dossier=apologized, officer=processing, new_due_at=apologized.due_at + timedelta(days=9), reason="Chậm"
    )
    for paused_in in (S.RECEIVED, S.PROCESSING):
        dossier = in_status(paused_in, procedure, people)
        if paused_in == S.PROCESSING:
            dossier = services.dossier_take(dossier=dossier, officer=processing)
        officer = people["reception"] if paused_in == S.RECEIVED else processing
        dossier = services.dossier_request_supplement(dossier=dossier, officer=officer, items=["Bản sao"])
        Dossier.objects.filter(pk=dossier.pk).update(paused_at=timezone.now() - timedelta(days=12))
        made.append(services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()]))
    made += [sent_back, apologized]
    for days_ago, due_in in ((4, timedelta(days=6)), (9, timedelta(days=2))):
        rewritten = in_status(S.PROCESSING, procedure, people)
        now = timezone.now()
        Dossier.objects.filter(pk=rewritten.pk).update(received_at=now - timedelta(days=days_ago), due_at=now + due_in)
        DossierEvent.objects.filter(dossier=rewritten).update(created_at=now - timedelta(days=days_ago / 2))
        at_risk_refresh(Dossier.objects.filter(pk=rewritten.pk))
        made.append(rewritten)
    return [Dossier.objects.get(pk=dossier.pk) for dossier in made]


def test_the_queue_holds_the_dossiers_the_old_rule_did(procedure, people):
    dossiers = _dossiers_of_every_kind(procedure, people)
    running = [d for d in dossiers if d.status in CLOCK_RUNNING_STATUSES]
    start = min(d.received_at for d in running) - timedelta(days=1)
    end = max(d.due_at for d in running) + timedelta(days=1)
    # A moment every few hours over the dossiers' whole time, and a microsecond each side of every moment that
    # changes the answer: each dossier's moment of risk and its due date.
    instants = [start + (end - start) * step / 200 for step in range(201)]
    for d in running:
        for edge in (d.at_risk_after, d.due_at):
            instants += [edge - timedelta(microseconds=1), edge, edge + timedelta(microseconds=1)]
    ids = Dossier.objects.filter(pk__in=[d.pk for d in dossiers])

    members = {}
    for now in instants:
        old = set(ids.filter(old_at_risk_condition(now=now)).values_list("pk", flat=True))
        new = set(ids.filter(at_risk_condition(now=now)).values_list("pk", flat=True))
        assert new == old, f"at {now.isoformat()}"
        members[now] = new
    # The cases are not vacuous: over time every dossier whose clock runs is at risk once, and each leaves it again.
    assert {pk for new in members.values() for pk in new} == {d.pk for d in running}
    assert members[end] == set()


@pytest.mark.django_db(transaction=True)
def test_a_refresh_never_puts_back_the_moment_of_a_step_left_meanwhile(procedure, people):
    """An operator's refresh runs while the desk forwards a dossier: the refresh waits for the forwarding and keeps
    the moment of the specialist's new step, not the one it would compute from the row as it was."""
    dossier = in_status(S.RECEIVED, procedure, people)
    forwarding, committed = threading.Event(), threading.Event()

    def forward(_index):
        with transaction.atomic():
            services.dossier_forward(dossier=Dossier.objects.get(pk=dossier.pk), officer=people["reception"])
            forwarding.set()
            committed.wait(timeout=10)  # held open until the refresh waits for the row

    def refresh(_index):
        forwarding.wait(timeout=10)
        return at_risk_refresh()

    def release_once_the_refresh_waits(_index):
        forwarding.wait(timeout=10)
        try:
            for _attempt in range(200):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = "
                        "current_database()"
                    )
                    if cursor.fetchone()[0]:
                        return "waited"
                time.sleep(0.05)
            return "never waited"
        finally:
            committed.set()

    results, errors = run_at_once(3, lambda index: (forward, refresh, release_once_the_refresh_waits)[index](index))

    assert errors == []
    assert "waited" in results  # the refresh met the forwarding's lock, as the race needs
    dossier.refresh_from_db()
    assert dossier.status == S.PROCESSING
    assert dossier.at_risk_after == at_risk_after(
        status=S.PROCESSING,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        step_started_at=entered(dossier, S.PROCESSING),
    )
