"""Property: for any history of dossiers, incremental updates after each round of changes leave the summary exactly as
a full recompute writes it, and as the per-event projections of a span's recompute write it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers.constants import Channel, Timeliness
from dossiers.constants import DossierStatus as S
from dossiers.deadlines import timeliness_by_date
from dossiers.models import Dossier, SupplementRequest
from payments.constants import PaymentStatus
from payments.models import Payment
from reporting import services
from reporting.constants import RatingLevel, RatingSource
from reporting.models import DailyDossierStat, Rating, ReportingState
from tests.factories import ProcedureFactory, UserFactory

from .builders import age_everything, at, dossier_row, summary

pytestmark = pytest.mark.django_db

START = at(3, 1, hour=0)
FINISHED_STATUSES = [S.RESULT_READY, S.RETURNED, S.REFUSED, S.WITHDRAWN]

dossier_specs = st.fixed_dictionaries(
    {
        "procedure": st.integers(0, 1),
        "channel": st.sampled_from(Channel.values),
        "received": st.one_of(st.none(), st.integers(0, 20)),
        # Any hour of the local day: before 07:00 in Hà Nội it is the day before in UTC, so a day taken in the wrong
        # time zone shows.
        "hour": st.integers(0, 23),
        "due_after": st.integers(0, 8),
        "finished_after": st.one_of(st.none(), st.integers(0, 12)),
        "closing": st.sampled_from(FINISHED_STATUSES),
        "paused": st.booleans(),
        "apologized": st.booleans(),
        "supplements": st.integers(0, 2),
        "paid": st.booleans(),
    }
)
changes = st.lists(
    st.tuples(
        st.sampled_from(["finish", "pause", "resume", "receive", "new", "rate", "pay", "apologize"]),
        st.integers(0, 50),
        dossier_specs,
    ),
    max_size=6,
)


def moment(days: int, hour: int):
    return START + timedelta(days=days, hours=hour)


def build(spec, procedures, officer) -> Dossier:
    procedure = procedures[spec["procedure"]]
    if spec["received"] is None:
        finished = moment(spec["finished_after"], spec["hour"]) if spec["finished_after"] is not None else None
        status = (S.WITHDRAWN if spec["closing"] == S.WITHDRAWN else S.REFUSED) if finished else S.SUBMITTED
        return dossier_row(
            procedure,
            channel=spec["channel"],
            finished=finished,
            status=status,
            timeliness=Timeliness.EARLY if finished else "",
        )
    received = moment(spec["received"], spec["hour"])
    due = received + timedelta(days=spec["due_after"])
    values = {"channel": spec["channel"], "received": received, "due": due}
    if spec["finished_after"] is not None:
        finished = received + timedelta(days=spec["finished_after"], hours=1)
        values |= {
            "finished": finished,
            "status": spec["closing"],
            "timeliness": timeliness_by_date(at=finished, due_at=due),
        }
    elif spec["paused"]:
        values |= {"status": S.SUPPLEMENT_REQUESTED, "paused": received + timedelta(hours=2)}
    if spec["apologized"]:
        values["apologized"] = received + timedelta(days=1)
    dossier = dossier_row(procedure, **values)
    for number in range(spec["supplements"]):
        SupplementRequest.objects.create(
            dossier=dossier, requested_by=officer, requested_at=received + timedelta(hours=number + 1)
        )
    if spec["paid"]:
        pay(dossier, received + timedelta(hours=3))
    return dossier


def pay(dossier, paid_at) -> None:
    Payment.objects.create(
        dossier=dossier,
        amount=10_000,
        provider="vnpay",
        reference=f"P{Payment.objects.count() + 1}-{dossier.pk}",
        status=PaymentStatus.PAID,
        paid_at=paid_at,
    )


def change(kind: str, dossier: Dossier, spec, procedures, officer) -> None:
    """One change as the workflow would make it: every one saves the dossier (its `updated_at` moves)."""
    if kind == "new":
        build(spec, procedures, officer)
    elif kind == "finish" and dossier.finished_at is None:
        dossier.finished_at = (dossier.received_at or dossier.submitted_at) + timedelta(
            days=spec["finished_after"] or 1
        )
        dossier.status = spec["closing"] if dossier.received_at else S.REFUSED
        dossier.timeliness = (
            timeliness_by_date(at=dossier.finished_at, due_at=dossier.due_at) if dossier.due_at else Timeliness.EARLY
        )
        dossier.save()
    elif kind == "pause" and dossier.received_at and dossier.finished_at is None and dossier.paused_at is None:
        dossier.status, dossier.paused_at = S.SUPPLEMENT_REQUESTED, dossier.received_at + timedelta(hours=5)
        dossier.save()
    elif kind == "resume" and dossier.paused_at is not None and dossier.finished_at is None:
        dossier.status, dossier.paused_at = S.PROCESSING, None
        dossier.due_at += timedelta(days=spec["due_after"])
        dossier.save()
    elif kind == "receive" and dossier.received_at is None and dossier.finished_at is None:
        dossier.received_at = dossier.submitted_at + timedelta(hours=1)
        dossier.due_at = dossier.received_at + timedelta(days=spec["due_after"])
        dossier.status = S.RECEIVED
        dossier.save()
    elif kind == "rate" and dossier.finished_at is not None and not Rating.objects.filter(dossier=dossier).exists():
        Rating.objects.create(dossier=dossier, level=RatingLevel.UNSATISFIED, source=RatingSource.KIOSK)
    elif kind == "pay" and dossier.received_at is not None:
        pay(dossier, dossier.received_at + timedelta(hours=4))
    elif kind == "apologize" and dossier.received_at is not None and dossier.apologized_at is None:
        dossier.apologized_at = dossier.received_at + timedelta(days=spec["due_after"], hours=spec["hour"])
        dossier.save()


@pytest.fixture
def world():
    procedures = [ProcedureFactory(), ProcedureFactory()]
    return procedures, UserFactory(reception_officer=True, agency=procedures[0].agency)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=st.lists(dossier_specs, min_size=1, max_size=8), rounds=st.lists(changes, min_size=1, max_size=2))
def test_incremental_updates_agree_with_a_full_recompute(world, history, rounds):
    procedures, officer = world
    for model in (Rating, Payment, SupplementRequest, Dossier, DailyDossierStat, ReportingState):
        model.objects.all().delete()
    for spec in history:
        build(spec, procedures, officer)
    services.statistics_update_incremental()

    for round_of_changes in rounds:
        age_everything()  # so that each run reads only the changes of its round
        dossiers = list(Dossier.objects.order_by("id"))
        for kind, index, spec in round_of_changes:
            change(kind, dossiers[index % len(dossiers)], spec, procedures, officer)
        services.statistics_update_incremental()

    incremental = summary()
    services.statistics_recompute_full()
    assert summary() == incremental
    # And the single pass (full recompute, incremental runs) agrees with the projections a span's recompute runs
    services.statistics_recompute_period(first_day=START.date() - timedelta(days=60), last_day=timezone.localdate())
    assert summary() == incremental
