"""The desk's daily work on the queues: "mine" and "unassigned" filters, the time left (sortable), claiming from
the queue, the next dossier offered after an action, receiving several online dossiers at once, and the
leader's queue of dossiers at risk of being late."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import Action, Channel, DossierStatus, FeeTiming
from dossiers.deadlines import at_risk_refresh
from dossiers.models import Dossier, DossierEvent
from tests.factories import DossierFactory, ProcedureFactory, UserFactory, dossier_in_status

pytestmark = pytest.mark.django_db

S = DossierStatus
RECEIVE_MANY = reverse("dossiers:officer-receive-many")


def queue_url(name: str) -> str:
    return reverse("dossiers:officer-queue", args=[name])


def row_codes(response) -> list[str]:
    return [row["code"] for row in response.context["rows"]]


def messages_of(client, response) -> list[str]:
    return [str(m) for m in client.get(response.url).context["messages"]]


@pytest.fixture
def procedure(agency):
    return ProcedureFactory(agency=agency, processing_time=10)


@pytest.fixture
def people(reception_officer, processing_officer, approver):
    return {"reception": reception_officer, "processing": processing_officer, "approver": approver}


def in_status(status, procedure, people, **kwargs):
    dossier, _people = dossier_in_status(status, procedure=procedure, officers=people, **kwargs)
    return dossier


# --- filters, time left, sort, claim -----------------------------------------------------------------


def test_mine_and_unassigned_filters(client, procedure, people):
    mine = services.dossier_take(dossier=in_status(S.PROCESSING, procedure, people), officer=people["processing"])
    free = in_status(S.PROCESSING, procedure, people)
    client.force_login(people["processing"])

    assert sorted(row_codes(client.get(queue_url("to_process")))) == sorted([mine.code, free.code])
    assert row_codes(client.get(queue_url("to_process"), {"assigned": "mine"})) == [mine.code]
    assert row_codes(client.get(queue_url("to_process"), {"assigned": "unassigned"})) == [free.code]
    # A made-up value is said, not applied (a made-up order, which only the heading's link sets, is ignored)
    response = client.get(queue_url("to_process"), {"assigned": "of-everyone", "sort": "random"})
    assert response.status_code == 200
    assert "Bộ lọc giao xử lý không hợp lệ." in response.content.decode()
    assert sorted(row_codes(response)) == sorted([mine.code, free.code])


def test_time_left_is_shown_and_sorts_the_queue(client, procedure, people):
    soon = in_status(S.RECEIVED, procedure, people)
    later = in_status(S.RECEIVED, procedure, people)
    Dossier.objects.filter(pk=later.pk).update(due_at=soon.due_at + timedelta(days=7))
    client.force_login(people["reception"])

    ascending = client.get(queue_url("received"), {"sort": "time_left"})
    descending = client.get(queue_url("received"), {"sort": "-time_left"})

    assert row_codes(ascending) == [soon.code, later.code]
    assert row_codes(descending) == [later.code, soon.code]
    assert all(row["time_left"].startswith("còn ") for row in ascending.context["rows"])
    # the heading sorts the other way next
    assert "sort=-time_left" in ascending.context["time_left_sort_query"]
    assert 'aria-sort="ascending"' in ascending.content.decode()


def test_overdue_time_left_and_none_while_paused(client, procedure, people):
    late = in_status(S.RECEIVED, procedure, people)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=3))
    paused = in_status(S.SUPPLEMENT_REQUESTED, procedure, people)
    client.force_login(people["reception"])

    (row,) = client.get(queue_url("received")).context["rows"]
    (waiting,) = client.get(queue_url("waiting_applicant")).context["rows"]

    assert row["time_left"].startswith("quá ")
    assert (waiting["code"], waiting["time_left"]) == (paused.code, "")


def test_a_specialist_claims_from_the_queue(client, procedure, people):
    dossier = in_status(S.PROCESSING, procedure, people)
    client.force_login(people["processing"])

    page = client.get(queue_url("to_process")).content.decode()
    take = reverse("dossiers:officer-action", args=[dossier.pk, Action.TAKE])
    assert f'action="{take}"' in page
    response = client.post(take)

    assert response.url == reverse("dossiers:officer-dossier", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.assignee == people["processing"]
    # taken, the row offers no claim any more
    assert f'action="{take}"' not in client.get(queue_url("to_process")).content.decode()


# --- next dossier ------------------------------------------------------------------------------------


def test_after_an_action_the_page_offers_the_queues_next_dossier(client, procedure, people):
    first = in_status(S.SUBMITTED, procedure, people)
    second = in_status(S.SUBMITTED, procedure, people)
    client.force_login(people["reception"])
    page = client.get(reverse("dossiers:officer-dossier", args=[first.pk]), {"hang-doi": "new"})
    assert page.context["next_id"] == second.pk
    assert 'name="hang-doi" value="new"' in page.content.decode()

    # Received, the officer stays on it (the receipt to print) and is offered the next one
    response = client.post(reverse("dossiers:officer-action", args=[first.pk, Action.RECEIVE]), {"hang-doi": "new"})
    assert response.url == reverse("dossiers:officer-dossier", args=[first.pk]) + "?hang-doi=new"
    after = client.get(response.url)
    assert after.context["next_id"] == second.pk
    assert f'data-next="{second.pk}"' in after.content.decode()

    # The last one offers the way back to the (now empty) queue
    client.post(reverse("dossiers:officer-action", args=[second.pk, Action.RECEIVE]), {"hang-doi": "new"})
    last = client.get(reverse("dossiers:officer-dossier", args=[second.pk]), {"hang-doi": "new"})
    assert last.context["next_id"] is None
    assert "quay lại hàng đợi" in last.content.decode()
    # A queue the officer does not work is ignored
    third = in_status(S.SUBMITTED, procedure, people)
    response = client.post(
        reverse("dossiers:officer-action", args=[third.pk, Action.RECEIVE]), {"hang-doi": "awaiting_approval"}
    )
    assert response.url == reverse("dossiers:officer-dossier", args=[third.pk])


def test_a_refused_action_stays_on_the_dossier_within_its_queue(client, procedure, people):
    dossier = in_status(S.RECEIVED, procedure, people)
    client.force_login(people["reception"])

    response = client.post(reverse("dossiers:officer-action", args=[dossier.pk, Action.RECEIVE]), {"hang-doi": "new"})

    assert response.url == reverse("dossiers:officer-dossier", args=[dossier.pk]) + "?hang-doi=new"


# --- bulk receive ------------------------------------------------------------------------------------


def test_bulk_receive_receives_each_checked_online_dossier_on_its_own(client, agency, procedure, people):
    ready = [in_status(S.SUBMITTED, procedure, people) for _ in range(2)]
    # Paid with the application but not paid yet: refused, without undoing the others
    unpaid = in_status(
        S.SUBMITTED, ProcedureFactory(agency=agency, fee=50_000, fee_timing=FeeTiming.SUBMISSION), people
    )
    foreign = in_status(S.SUBMITTED, ProcedureFactory(), {})
    client.force_login(people["reception"])
    page = client.get(queue_url("new")).content.decode()
    assert 'form="bulk-receive"' in page and f'value="{ready[0].pk}"' in page

    response = client.post(RECEIVE_MANY, {"ho_so": [d.pk for d in [*ready, unpaid, foreign]]})

    told = messages_of(client, response)
    for dossier in ready:
        dossier.refresh_from_db()
        assert dossier.status == S.RECEIVED
        assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1
        assert f"Đã tiếp nhận hồ sơ {dossier.code}." in " ".join(told)
    unpaid.refresh_from_db()
    foreign.refresh_from_db()
    assert (unpaid.status, foreign.status) == (S.SUBMITTED, S.SUBMITTED)
    assert f"{unpaid.code}: Người nộp chưa nộp phí, lệ phí của hồ sơ trực tuyến này nên chưa tiếp nhận được." in told
    assert "1 hồ sơ đã chọn không còn chờ tiếp nhận nên được bỏ qua." in told


def test_bulk_receive_takes_online_dossiers_only_and_needs_one(client, procedure, people):
    postal = DossierFactory(procedure=procedure, channel=Channel.POSTAL, status=S.SUBMITTED)
    client.force_login(people["reception"])

    response = client.post(RECEIVE_MANY, {"ho_so": [postal.pk, "x"]})

    assert messages_of(client, response) == ["Hãy chọn ít nhất một hồ sơ trực tuyến đang chờ tiếp nhận."]
    postal.refresh_from_db()
    assert postal.status == S.SUBMITTED


def test_bulk_receive_is_reception_work(client, procedure, people):
    dossier = in_status(S.SUBMITTED, procedure, people)
    client.force_login(people["processing"])

    assert client.post(RECEIVE_MANY, {"ho_so": [dossier.pk]}).status_code == 403
    client.force_login(UserFactory(citizen=True))
    assert client.post(RECEIVE_MANY, {"ho_so": [dossier.pk]}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED


def test_bulk_receive_leaves_another_agencys_dossiers_alone(client, procedure, people):
    dossier = in_status(S.SUBMITTED, procedure, people)
    client.force_login(UserFactory(reception_officer=True, agency=ProcedureFactory().agency))

    response = client.post(RECEIVE_MANY, {"ho_so": [dossier.pk]})

    assert messages_of(client, response) == ["Hãy chọn ít nhất một hồ sơ trực tuyến đang chờ tiếp nhận."]
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED and not dossier.events.filter(action=Action.RECEIVE).exists()


# --- the risk queue ----------------------------------------------------------------------------------


def _received_days_ago(dossier, days: float, *, due_in: timedelta):
    """Move the dossier's receipt (and its events) back in time, its due date to `due_in` from now. History is
    rewritten behind the services' back, so the moment the dossier becomes at risk is computed anew as after a
    change of the shares (`at_risk_refresh`)."""
    now = timezone.now()
    Dossier.objects.filter(pk=dossier.pk).update(
        received_at=now - timedelta(days=days), due_at=now + due_in, original_due_at=now + due_in
    )
    DossierEvent.objects.filter(dossier=dossier).update(created_at=now - timedelta(days=days))
    at_risk_refresh(Dossier.objects.filter(pk=dossier.pk))


def test_the_leader_sees_dossiers_likely_late_before_their_due_date(client, procedure, people):
    little_left = in_status(S.RECEIVED, procedure, people)
    _received_days_ago(little_left, 10, due_in=timedelta(days=1))  # a tenth of its time left
    comfortable = in_status(S.RECEIVED, procedure, people)
    _received_days_ago(comfortable, 1, due_in=timedelta(days=10))
    stuck = in_status(S.RECEIVED, procedure, people)
    _received_days_ago(stuck, 4, due_in=timedelta(days=6))  # 60 % left, but the desk's tenth is long gone
    overdue = in_status(S.RECEIVED, procedure, people)
    _received_days_ago(overdue, 12, due_in=-timedelta(days=1))  # already late: the overdue queue's
    client.force_login(people["approver"])

    response = client.get(queue_url("at_risk"))

    assert sorted(row_codes(response)) == sorted([little_left.code, stuck.code])
    counts = {queue.name: count for queue, count in response.context["queues"]}
    assert counts["at_risk"] == 2


def test_a_step_begun_lately_is_not_at_risk(client, procedure, people):
    dossier = in_status(S.RECEIVED, procedure, people)
    _received_days_ago(dossier, 4, due_in=timedelta(days=6))
    dossier = services.dossier_forward(dossier=dossier, officer=people["reception"])  # the specialist's step begins
    client.force_login(people["approver"])

    assert row_codes(client.get(queue_url("at_risk"))) == []


def test_the_risk_queue_is_the_leaders(client, people):
    client.force_login(people["reception"])
    assert client.get(queue_url("at_risk")).status_code == 404
