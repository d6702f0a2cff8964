"""The state machine: every transition allowed from its sources only, by its actors only, with an
event per step; concurrent actions and submissions on PostgreSQL."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from dossiers import services
from dossiers.constants import Action, DossierStatus, Outcome
from dossiers.error_codes import ErrorCode
from dossiers.models import Dossier, DossierEvent
from dossiers.workflow import TRANSITIONS, TransitionNotAllowed, allowed_actions, check_transition
from portal.models import OutboxMessage
from tests.concurrency import run_at_once
from tests.factories import (
    ProcedureFactory,
    RequiredDocumentFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
)

S = DossierStatus
BUILDABLE = [
    S.DRAFT,
    S.SUBMITTED,
    S.RECEIVED,
    S.SUPPLEMENT_REQUESTED,
    S.PROCESSING,
    S.AWAITING_APPROVAL,
    S.RESULT_READY,
    S.RETURNED,
]
# The capacity in which each action is tried: the applicant or one of the agency's officers.
ACTOR_FOR = {
    Action.SUBMIT: "applicant",
    Action.RECEIVE: "reception",
    Action.REFUSE: "reception",
    Action.REQUEST_SUPPLEMENT: "reception",
    Action.SUPPLEMENT: "applicant",
    Action.FORWARD: "reception",
    Action.TAKE: "processing",
    Action.ASSIGN: "reception",
    Action.PROPOSE: "processing",
    Action.APPROVE: "approver",
    Action.SEND_BACK: "approver",
    Action.DELIVER: "reception",
    Action.WITHDRAW: "applicant",
    Action.APOLOGIZE: "reception",
    Action.REQUEST_PAYMENT: "reception",
    Action.PAY: "applicant",
    Action.PAY_POSTAGE: "applicant",
    Action.REFUND: "applicant",  # refused to everyone: a refund is reported by the payments app, no one's action
    Action.REVOKE_RESULT: "approver",
    Action.REPLACE_RESULT: "approver",
}


def _actor(name, dossier, officers):
    return dossier.applicant if name == "applicant" else officers[name]


# Allowed by status and role, but refused by a guard of check_transition in these states of the fixture:
# reception cannot ask a supplement of a dossier in processing (only the assignee can), and the processing
# officer has already taken the dossier it would take again.
GUARDED = {(S.PROCESSING, Action.REQUEST_SUPPLEMENT), (S.PROCESSING, Action.TAKE)}
# The fixture's procedure is free: no payment is asked or made in any status (tests/payments cover the fee).
GUARDED |= {(S.RECEIVED, Action.REQUEST_PAYMENT), (S.PROCESSING, Action.REQUEST_PAYMENT)}
GUARDED |= {(status, Action.PAY) for status in TRANSITIONS[Action.PAY].sources}
# Nor was the result chosen by post: no postage is owed.
GUARDED |= {(status, Action.PAY_POSTAGE) for status in TRANSITIONS[Action.PAY_POSTAGE].sources}


def _dossier_in(status):
    if status in (S.REFUSED, S.WITHDRAWN):
        dossier, officers = dossier_in_status(S.SUBMITTED)
        if status == S.REFUSED:
            return services.dossier_refuse(dossier=dossier, officer=officers["reception"], reason="Sai"), officers
        return services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Nhầm"), officers
    dossier, officers = dossier_in_status(status)
    if status == S.PROCESSING:
        # the processing officer proposes only what it has taken
        dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    return dossier, officers


@pytest.mark.django_db
@pytest.mark.parametrize("status", [*BUILDABLE, S.REFUSED, S.WITHDRAWN])
def test_each_action_is_allowed_exactly_from_its_source_statuses(status):
    # Given a dossier in `status` and the people of its agency
    dossier, officers = _dossier_in(status)
    for action, transition in TRANSITIONS.items():
        user = _actor(ACTOR_FOR[action], dossier, officers)
        # When the right person tries each action, Then the table decides by status alone
        if not transition.actors:
            with pytest.raises(TransitionNotAllowed) as refused:
                check_transition(dossier=dossier, user=user, action=action)
            assert refused.value.code == ErrorCode.NOT_PERMITTED
        elif status not in transition.sources:
            with pytest.raises(TransitionNotAllowed, match="Không thể") as refused:
                check_transition(dossier=dossier, user=user, action=action)
            assert refused.value.code == ErrorCode.NOT_IN_STATUS
        elif (status, action) in GUARDED:
            with pytest.raises(TransitionNotAllowed):
                check_transition(dossier=dossier, user=user, action=action)
        else:
            assert check_transition(dossier=dossier, user=user, action=action) is transition


@pytest.mark.django_db
def test_allowed_actions_follow_role_and_status():
    dossier, officers = dossier_in_status(S.SUBMITTED)
    assert set(allowed_actions(dossier=dossier, user=officers["reception"])) == {
        Action.RECEIVE,
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
    }
    assert allowed_actions(dossier=dossier, user=dossier.applicant) == [Action.WITHDRAW]
    assert allowed_actions(dossier=dossier, user=officers["approver"]) == []
    assert allowed_actions(dossier=dossier, user=officers["processing"]) == []


@pytest.mark.django_db
def test_officer_of_another_agency_and_other_citizen_are_refused():
    dossier, _officers = dossier_in_status(S.SUBMITTED)
    stranger_officer = UserFactory(reception_officer=True)  # another agency
    other_citizen = UserFactory(citizen=True)
    with pytest.raises(TransitionNotAllowed, match="không có quyền") as refused:
        services.dossier_receive(dossier=dossier, officer=stranger_officer)
    assert refused.value.code == ErrorCode.NOT_PERMITTED
    with pytest.raises(TransitionNotAllowed):
        services.dossier_withdraw(dossier=dossier, applicant=other_citizen, reason="Không cần nữa")
    dossier.refresh_from_db()
    assert dossier.status == S.SUBMITTED
    assert not dossier.events.filter(action=Action.RECEIVE).exists()


@pytest.mark.django_db
def test_wrong_status_gives_a_clear_message_and_changes_nothing():
    dossier, officers = dossier_in_status(S.RECEIVED)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_approve(dossier=dossier, approver=officers["approver"])
    assert "Đã tiếp nhận" in refused.value.message
    dossier.refresh_from_db()
    assert dossier.status == S.RECEIVED


@pytest.mark.django_db
def test_full_walk_appends_one_event_per_step_with_actor_and_statuses():
    dossier, officers = dossier_in_status(S.RETURNED)
    events = list(dossier.events.order_by("created_at", "id"))
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        (Action.SUBMIT, S.DRAFT, S.SUBMITTED),
        (Action.RECEIVE, S.SUBMITTED, S.RECEIVED),
        (Action.FORWARD, S.RECEIVED, S.PROCESSING),
        (Action.TAKE, S.PROCESSING, S.PROCESSING),
        (Action.PROPOSE, S.PROCESSING, S.AWAITING_APPROVAL),
        (Action.APPROVE, S.AWAITING_APPROVAL, S.RESULT_READY),
        (Action.DELIVER, S.RESULT_READY, S.RETURNED),
    ]
    assert events[1].actor == officers["reception"]
    assert events[3].receiver == officers["processing"]
    assert events[5].actor == officers["approver"]
    dossier.refresh_from_db()
    assert dossier.finished_at is not None and dossier.returned_at is not None
    assert dossier.timeliness  # classed at the first closing status


@pytest.mark.django_db
def test_proposed_refusal_approved_ends_refused():
    dossier, officers = dossier_in_status(S.PROCESSING)
    dossier = services.dossier_take(dossier=dossier, officer=officers["processing"])
    dossier = services.dossier_propose(
        dossier=dossier, officer=officers["processing"], outcome=Outcome.REFUSAL, note="Không đủ điều kiện"
    )
    dossier = services.dossier_approve(dossier=dossier, approver=officers["approver"])
    assert dossier.status == S.REFUSED
    assert dossier.finished_at is not None


@pytest.mark.django_db
def test_send_back_returns_to_processing_with_the_note():
    dossier, officers = dossier_in_status(S.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="ý kiến"):
        services.dossier_send_back(dossier=dossier, approver=officers["approver"], note="  ")
    dossier = services.dossier_send_back(dossier=dossier, approver=officers["approver"], note="Bổ sung căn cứ")
    assert dossier.status == S.PROCESSING
    assert dossier.events.last().note == "Bổ sung căn cứ"


@pytest.mark.django_db
def test_only_the_assignee_proposes():
    dossier, officers = dossier_in_status(S.PROCESSING)
    colleague = UserFactory(processing_officer=True, agency=dossier.agency)
    services.dossier_take(dossier=dossier, officer=officers["processing"])
    with pytest.raises(TransitionNotAllowed, match="được giao") as refused:
        services.dossier_propose(dossier=dossier, officer=colleague, outcome=Outcome.RESULT, result_file=pdf_upload())
    assert refused.value.code == ErrorCode.NOT_ASSIGNEE


@pytest.mark.django_db
def test_supplement_is_requested_at_most_once_at_reception():
    dossier, officers = dossier_in_status(S.SUPPLEMENT_REQUESTED)
    dossier = services.dossier_supplement(dossier=dossier, user=dossier.applicant, files=[pdf_upload()])
    assert dossier.status == S.RECEIVED
    with pytest.raises(TransitionNotAllowed, match="một lần") as refused:
        services.dossier_request_supplement(dossier=dossier, officer=officers["reception"], items=["Giấy khác"])
    assert refused.value.code == ErrorCode.ONCE_ONLY


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_closes_the_dossier():
    dossier, _officers = dossier_in_status(S.PROCESSING)
    with pytest.raises(ValidationError, match="lý do"):
        services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="")
    dossier = services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Nộp nhầm thủ tục")
    assert dossier.status == S.WITHDRAWN
    assert dossier.finished_at is not None


@pytest.mark.django_db
def test_submit_is_idempotent_and_notifies_once():
    dossier, _officers = dossier_in_status(S.DRAFT)
    component = dossier.procedure.documents.get()
    services.dossier_add_documents(
        dossier=dossier, applicant=dossier.applicant, required_document=component, files=[pdf_upload()]
    )
    first = services.dossier_submit(dossier=dossier, applicant=dossier.applicant)
    second = services.dossier_submit(dossier=dossier, applicant=dossier.applicant)
    assert first.pk == second.pk and first.code == second.code
    assert Dossier.objects.filter(applicant=dossier.applicant).count() == 1
    assert dossier.events.filter(action=Action.SUBMIT).count() == 1
    assert OutboxMessage.objects.filter(recipient=dossier.applicant_email).count() == 1


@pytest.mark.django_db
def test_submit_refuses_missing_required_document_and_stays_draft():
    dossier, _officers = dossier_in_status(S.DRAFT)
    with pytest.raises(ValidationError, match="Còn thiếu thành phần hồ sơ"):
        services.dossier_submit(dossier=dossier, applicant=dossier.applicant)
    dossier.refresh_from_db()
    assert dossier.status == S.DRAFT and dossier.code is None


@pytest.mark.django_db
def test_procedure_edit_does_not_change_a_dossier_in_flight():
    dossier, _officers = dossier_in_status(S.RECEIVED)
    due = dossier.due_at
    procedure = dossier.procedure
    procedure.processing_time = 30
    procedure.fee = 999_000
    procedure.save()
    dossier.refresh_from_db()
    assert dossier.processing_time == 5 and dossier.fee == 0 and dossier.due_at == due


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_sequential_codes():
    # Given eight citizens with complete drafts for procedures of one agency
    procedure = ProcedureFactory()
    component = RequiredDocumentFactory(procedure=procedure, accepted_file_types=["pdf"])
    drafts = []
    for _ in range(8):
        applicant = UserFactory(citizen=True)
        draft = services.dossier_start_draft(applicant=applicant, procedure=procedure, client_token=uuid.uuid4())
        services.dossier_add_documents(
            dossier=draft, applicant=applicant, required_document=component, files=[pdf_upload()]
        )
        drafts.append((draft, applicant))

    # When all submit at the same moment
    results, errors = run_at_once(
        8, lambda i: services.dossier_submit(dossier=drafts[i][0], applicant=drafts[i][1]).code
    )

    # Then every code is distinct and the day's sequence is 0001..0008
    assert errors == []
    assert sorted(code.rsplit("-", 1)[1] for code in results) == [f"{n:04d}" for n in range(1, 9)]
    assert all(code.startswith(procedure.agency.code + "-") for code in results)


@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_once_one_wins_the_other_is_told():
    dossier, officers = dossier_in_status(S.SUBMITTED)
    second = UserFactory(reception_officer=True, agency=dossier.agency)
    actors = [officers["reception"], second]

    results, errors = run_at_once(2, lambda i: services.dossier_receive(dossier=dossier, officer=actors[i]))

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], TransitionNotAllowed)
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.RECEIVE).count() == 1
