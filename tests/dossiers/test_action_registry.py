"""The action registry (dossiers/actions.py) run over every workflow action: each has its specification, rule
and service; each officer action shows its form and succeeds through the page with its message; each action
works through the API; two people acting on one dossier at once get one success and one clear refusal, never a
500. A new action needs a scenario below, so it is driven through every surface it claims."""

import inspect
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from dossiers import selectors, services
from dossiers.actions import ACTIONS, OFFICER_ACTIONS, ActionSpec
from dossiers.constants import (
    Action,
    Actor,
    Channel,
    DeliveryMethod,
    DocumentKind,
    DossierStatus,
    FeeTiming,
    Outcome,
)
from dossiers.error_codes import ErrorCode
from dossiers.models import Dossier, DossierEvent
from dossiers.workflow import TRANSITIONS
from tests.concurrency import run_at_once
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status, pdf_upload

S = DossierStatus
OFFICER_ROLES = {Actor.RECEPTION, Actor.PROCESSING, Actor.APPROVER}


def _later(dossier) -> datetime:
    return (dossier.due_at + timedelta(days=3)).replace(second=0, microsecond=0)


def _specialist(dossier) -> int:
    return selectors.processing_officers_for_agency(agency_id=dossier.agency_id).first().pk


@dataclass(frozen=True)
class Scenario:
    """Where an action starts, who performs it, what they send (built per request: uploads are read once),
    and the status it leads to."""

    status: str
    actor: str  # "reception", "processing", "approver" or "applicant"
    data: Callable = field(default=lambda dossier: {})
    api_data: Callable | None = None  # when the API takes other values than the form (a list, an ISO date)
    expected: str | None = None  # None: the status stays
    counter: bool = False  # a counter dossier: its applicant has no account
    taken: bool = False  # taken by the processing officer first
    fee: int = 0  # the procedure's fee, paid after reception when the office asks for it


SCENARIOS: dict[str, Scenario] = {
    Action.RECEIVE: Scenario(S.SUBMITTED, "reception", lambda d: {"note": "Đủ thành phần"}, expected=S.RECEIVED),
    Action.FORWARD: Scenario(S.RECEIVED, "reception", lambda d: {"note": "Chuyển phòng"}, expected=S.PROCESSING),
    Action.TAKE: Scenario(S.PROCESSING, "processing"),
    Action.ASSIGN: Scenario(
        S.PROCESSING,
        "reception",
        lambda d: {"assignee": _specialist(d), "seen_assignee": 0},
        api_data=lambda d: {"assignee": _specialist(d)},
    ),
    Action.PROPOSE: Scenario(
        S.PROCESSING,
        "processing",
        lambda d: {"outcome": Outcome.RESULT, "note": "Đủ điều kiện", "result_file": pdf_upload("ket-qua.pdf")},
        expected=S.AWAITING_APPROVAL,
        taken=True,
    ),
    Action.APPROVE: Scenario(S.AWAITING_APPROVAL, "approver", expected=S.RESULT_READY),
    Action.DELIVER: Scenario(S.RESULT_READY, "reception", lambda d: {"note": "Đã trao"}, expected=S.RETURNED),
    Action.SUPPLEMENT: Scenario(
        S.SUPPLEMENT_REQUESTED,
        "reception",
        lambda d: {"files": [pdf_upload("cccd.pdf")]},
        expected=S.RECEIVED,
        counter=True,
    ),
    Action.REQUEST_SUPPLEMENT: Scenario(
        S.RECEIVED,
        "reception",
        lambda d: {"items": "Bản sao CCCD"},
        api_data=lambda d: {"items": ["Bản sao CCCD"]},
        expected=S.SUPPLEMENT_REQUESTED,
    ),
    Action.SEND_BACK: Scenario(
        S.AWAITING_APPROVAL, "approver", lambda d: {"note": "Bổ sung căn cứ"}, expected=S.PROCESSING
    ),
    Action.APOLOGIZE: Scenario(
        S.RECEIVED,
        "reception",
        lambda d: {"new_due_at": timezone.localtime(_later(d)).strftime("%Y-%m-%dT%H:%M"), "reason": "Chờ xác minh"},
        api_data=lambda d: {"new_due_at": _later(d).isoformat(), "reason": "Chờ xác minh"},
    ),
    Action.REQUEST_PAYMENT: Scenario(
        S.RECEIVED, "reception", lambda d: {"note": "Nộp trước 17 giờ"}, expected=S.PAYMENT_REQUESTED, fee=150_000
    ),
    Action.REFUSE: Scenario(S.SUBMITTED, "reception", lambda d: {"reason": "Sai thẩm quyền"}, expected=S.REFUSED),
    Action.REVOKE_RESULT: Scenario(S.RESULT_READY, "approver", lambda d: {"reason": "Cấp nhầm người"}),
    Action.REPLACE_RESULT: Scenario(
        S.RESULT_READY, "approver", lambda d: {"result_file": pdf_upload("ket-qua-moi.pdf"), "reason": "Sai ngày sinh"}
    ),
    Action.WITHDRAW: Scenario(S.SUBMITTED, "applicant", lambda d: {"reason": "Không cần nữa"}, expected=S.WITHDRAWN),
}
API_ACTIONS = [spec for spec in ACTIONS.values() if spec.api_summary is not None]


def given(action: str):
    """The dossier where `action`'s scenario starts, with the people: reception, processing, approver, applicant."""
    scenario = SCENARIOS[action]
    if scenario.counter:
        dossier, people = dossier_in_status(S.SUBMITTED)
        counter = services.dossier_record_intake(
            officer=people["reception"],
            procedure=dossier.procedure,
            client_token=uuid.uuid4(),
            channel=Channel.COUNTER,
            applicant_name="Phạm Văn Quầy",
            delivery_method=DeliveryMethod.COUNTER,
            files_by_component={dossier.procedure.documents.get().pk: [pdf_upload()]},
        )
        dossier = services.dossier_request_supplement(dossier=counter, officer=people["reception"], items=["CCCD"])
    else:
        procedure = ProcedureFactory(fee=scenario.fee, fee_timing=FeeTiming.AFTER_RECEPTION)
        dossier, people = dossier_in_status(scenario.status, procedure=procedure)
        people["applicant"] = dossier.applicant
    if scenario.taken:
        dossier = services.dossier_take(dossier=dossier, officer=people["processing"])
    assert dossier.status == scenario.status
    return dossier, people


def second_actor(action: str, dossier, people):
    """Who acts at the same moment: another officer of the same role, or the same specialist clicking twice
    (only the assignee proposes)."""
    scenario = SCENARIOS[action]
    if scenario.taken:
        return people[scenario.actor]
    role = {"reception": "reception_officer", "processing": "processing_officer", "approver": "approver"}
    return UserFactory(**{role[scenario.actor]: True}, agency=dossier.agency)


def page_url(dossier) -> str:
    return reverse("dossiers:officer-dossier", args=[dossier.pk])


def page_action_url(dossier, action: str) -> str:
    return reverse("dossiers:officer-action", args=[dossier.pk, action])


def api_action_url(dossier, spec: ActionSpec) -> str:
    return f"/api/v1/dossiers/{dossier.code}/{spec.url_path}/"


def form_data(action: str, dossier) -> dict:
    return {f"{action}-{name}": value for name, value in SCENARIOS[action].data(dossier).items()}


def api_data(action: str, dossier) -> dict:
    scenario = SCENARIOS[action]
    return (scenario.api_data or scenario.data)(dossier)


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def messages_after(client, response) -> list[str]:
    return [str(m) for m in client.get(response.url).context["messages"]]


def assert_done(action: str, dossier, user) -> None:
    dossier.refresh_from_db()
    scenario = SCENARIOS[action]
    assert dossier.status == (scenario.expected or scenario.status)
    event = dossier.events.order_by("-created_at", "-id").first()
    assert (event.action, event.actor) == (action, user)


# --- the registry ----------------------------------------------------------------------------------


def test_every_action_has_a_spec_a_rule_a_service_and_a_scenario():
    assert set(ACTIONS) == set(Action) == set(TRANSITIONS)
    for action, spec in ACTIONS.items():
        assert spec.action == action
        parameters = inspect.signature(spec.service_function).parameters
        assert {"dossier", spec.user_argument} <= set(parameters), action
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), action
        assert issubclass(spec.input_class, serializers.Serializer), action
        if spec.outside:
            # Performed through another app (the fee: payments), which calls the service: no form or endpoint here.
            assert spec.form is None and spec.api_summary is None, action
        else:
            # An officer form exactly for the actions an officer role performs.
            assert (spec.form is not None) == bool(TRANSITIONS[action].actors & OFFICER_ROLES), action
        if spec.form is not None:
            assert issubclass(spec.form_class, forms.Form), action
    # Every action a page or the API performs is driven below.
    assert set(SCENARIOS) == {spec.action for spec in [*OFFICER_ACTIONS, *API_ACTIONS]}
    assert Action.SUBMIT not in SCENARIOS  # submitted by POST /api/v1/dossiers/ and the application pages


def test_an_officer_action_without_a_success_message_is_refused_at_import():
    with pytest.raises(ImproperlyConfigured, match="success message"):
        ActionSpec(
            action=Action.RECEIVE,
            service="dossier_receive",
            user_argument="officer",
            who=Actor.RECEPTION,
            public_note=True,
            receiver=Actor.RECEPTION,
            form="ReceiveForm",
        )
    for spec in OFFICER_ACTIONS:
        assert spec.success_message, spec.action


# --- the officer page ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action", [spec.action for spec in OFFICER_ACTIONS])
def test_each_officer_action_shows_its_form_and_succeeds_through_the_page(client, action):
    # Given a dossier where the action is allowed, and the officer who performs it
    dossier, people = given(action)
    officer = people[SCENARIOS[action].actor]
    client.force_login(officer)

    # The page offers the action's form, posting to the action's address
    page = client.get(page_url(dossier))
    offered = [form for form in page.context["action_forms"] if form.action == action]
    assert len(offered) == 1
    assert page_action_url(dossier, action) in page.content.decode()
    assert str(offered[0].submit_label) in page.content.decode()

    # When the officer posts it
    response = client.post(page_action_url(dossier, action), form_data(action, dossier))

    # Then the dossier moved, and the officer reads the action's message
    assert response.status_code == 302
    assert_done(action, dossier, officer)
    assert messages_after(client, response) == [ACTIONS[action].message_for(dossier)]


@pytest.mark.django_db
def test_the_page_opens_the_first_form_and_marks_refusal_as_dangerous(client):
    dossier, people = given(Action.RECEIVE)
    client.force_login(people["reception"])

    body = client.get(page_url(dossier)).content.decode()

    receive = body.split("action-form--receive")[1].split("</form>")[0]
    refuse = body.split("action-form--refuse")[1].split("</form>")[0]
    assert '<details class="action-form__details" open>' in receive
    assert "button--danger" in refuse and "button--danger" not in receive


# --- the API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("action", [spec.action for spec in API_ACTIONS])
def test_each_action_works_through_the_api(action):
    dossier, people = given(action)
    user = people[SCENARIOS[action].actor]

    response = api_client_for(user).post(api_action_url(dossier, ACTIONS[action]), api_data(action, dossier))

    assert response.status_code == 200, response.content
    assert response.json()["code"] == dossier.code
    assert_done(action, dossier, user)


def test_the_schema_documents_one_operation_per_action(api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]

    for spec in API_ACTIONS:
        operation = paths[f"/api/v1/dossiers/{{code}}/{spec.url_path}/"]["post"]
        assert operation["summary"] == spec.api_summary
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"])
    assert "/api/v1/dossiers/{code}/submit/" not in paths


# --- two people at once ----------------------------------------------------------------------------
#
# The loser waits for the row lock, then reads the dossier as the winner left it and is refused with the
# guard's or the status's reason. (Before the lock helper joined nothing, the loser of two TAKEs read the
# new assignee id beside the old, empty, assignee row and answered 500.)

RACE_REFUSAL = {
    Action.TAKE: ErrorCode.ALREADY_ASSIGNED,
    Action.ASSIGN: ErrorCode.ALREADY_ASSIGNED,  # both gave it to the same specialist
    Action.APOLOGIZE: ErrorCode.ONCE_ONLY,
    Action.REVOKE_RESULT: ErrorCode.NO_ISSUED_RESULT,
}
# Two replacements at once both stand, one after the other, each replacing the result then in force
# (tests/dossiers/test_results.py): no refusal to race for.
RACED_ACTIONS = [spec.action for spec in OFFICER_ACTIONS if spec.action != Action.REPLACE_RESULT]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", RACED_ACTIONS)
def test_two_officers_acting_at_once_through_the_api_one_wins_the_other_gets_409(action):
    dossier, people = given(action)
    actors = [people[SCENARIOS[action].actor], second_actor(action, dossier, people)]
    clients = [api_client_for(actor) for actor in actors]
    payloads = [api_data(action, dossier) for _ in actors]
    url = api_action_url(dossier, ACTIONS[action])

    responses, errors = run_at_once(2, lambda i: clients[i].post(url, payloads[i]))

    assert errors == []
    assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()
    assert refused["code"] == RACE_REFUSAL.get(action, ErrorCode.NOT_IN_STATUS)
    assert refused["detail"]
    assert DossierEvent.objects.filter(dossier=dossier, action=action).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_specialists_taking_one_dossier_through_the_page_one_is_told_who_has_it():
    dossier, people = given(Action.TAKE)
    specialists = [people["processing"], second_actor(Action.TAKE, dossier, people)]
    clients = [Client() for _ in specialists]
    for client, specialist in zip(clients, specialists, strict=True):
        client.force_login(specialist)
    url = page_action_url(dossier, Action.TAKE)

    responses, errors = run_at_once(2, lambda i: (i, clients[i].post(url)))

    assert errors == []
    told = {i: messages_after(clients[i], response) for i, response in responses}
    dossier.refresh_from_db()
    winner = specialists.index(dossier.assignee)
    loser = 1 - winner
    assert told[winner] == [f"Bạn đã nhận xử lý hồ sơ {dossier.code}."]
    assert told[loser] == [f"Hồ sơ đang do {dossier.assignee.full_name} xử lý."]
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.TAKE).count() == 1


# --- the facts an event keeps as data ------------------------------------------------------------


@pytest.mark.django_db
def test_events_keep_due_dates_assignees_and_the_tracking_number_as_data(client):
    dossier, people = dossier_in_status(S.SUBMITTED)
    reception, processing = people["reception"], people["processing"]

    def facts(action):
        """The event's data, its due dates read back as moments."""
        data = dossier.events.filter(action=action).order_by("-id").first().extra_data
        return {k: datetime.fromisoformat(v) if k.endswith("_due_at") and v else v for k, v in data.items()}

    dossier = services.dossier_receive(dossier=dossier, officer=reception)
    assert facts(Action.RECEIVE) == {"old_due_at": None, "new_due_at": dossier.due_at}

    received_due = dossier.due_at
    dossier = services.dossier_apologize(
        dossier=dossier, officer=reception, new_due_at=_later(dossier), reason="Chờ xác minh"
    )
    assert facts(Action.APOLOGIZE) == {"old_due_at": received_due, "new_due_at": dossier.due_at}

    dossier = services.dossier_forward(dossier=dossier, officer=reception, assignee=processing)
    assert facts(Action.FORWARD) == {"old_assignee_id": None, "new_assignee_id": processing.pk}

    dossier = services.dossier_request_supplement(dossier=dossier, officer=processing, items=["Bản sao CCCD"])
    assert facts(Action.REQUEST_SUPPLEMENT) == {}
    # Paused a week ago, so the answer moves the due date by working days whatever the hour the test runs
    Dossier.objects.filter(pk=dossier.pk).update(paused_at=timezone.now() - timedelta(days=7))
    dossier.refresh_from_db()
    paused_due = dossier.due_at
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    resumed = facts(Action.SUPPLEMENT)
    assert resumed["old_due_at"] == paused_due
    assert resumed["new_due_at"] == dossier.due_at > paused_due

    dossier = services.dossier_propose(
        dossier=dossier, officer=processing, outcome=Outcome.RESULT, result_file=pdf_upload("ket-qua.pdf")
    )
    dossier = services.dossier_approve(dossier=dossier, approver=people["approver"])
    dossier.delivery_method = DeliveryMethod.POSTAL
    dossier.save(update_fields=["delivery_method"])
    dossier = services.dossier_deliver(
        dossier=dossier, officer=reception, note="Gửi EMS", postal_tracking_number=" EL123456789VN "
    )
    delivered = dossier.events.get(action=Action.DELIVER)
    assert (delivered.note, delivered.extra_data) == ("Gửi EMS", {"postal_tracking_number": "EL123456789VN"})

    # The applicant reads the number in its timeline, where the note of a hand-back is shown
    entry = selectors.dossier_timeline_for(dossier=dossier, user=dossier.applicant)[-1]
    assert (entry.action, entry.note, entry.postal_tracking_number) == (Action.DELIVER, "Gửi EMS", "EL123456789VN")
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    assert "Số hiệu bưu gửi: EL123456789VN" in page.split('id="timeline-title"')[1]
    assert dossier.documents.filter(kind=DocumentKind.SUPPLEMENT).count() == 1
