"""The fee as the dossier's workflow knows it (dossiers/workflow.py, dossiers/services/fees.py): when it is due
(with the online application, after reception when the office asks for it, at hand-back), what waits for it,
the clock that stops while the office waits for it, and the facts the payments app reports (paid, refunded)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dossiers import selectors, services
from dossiers.constants import Action, Channel, DeliveryMethod, DossierStatus, FeeStatus, FeeTiming
from dossiers.error_codes import ErrorCode
from dossiers.workflow import TransitionNotAllowed, allowed_actions, fee_payable_now
from portal.models import OutboxMessage
from tests.factories import ProcedureFactory, dossier_in_status, pdf_upload

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStatus
FEE = 2_200_000

pytestmark = pytest.mark.django_db


def _dossier(status, *, timing, fee=FEE, **procedure):
    return dossier_in_status(status, procedure=ProcedureFactory(fee=fee, fee_timing=timing, **procedure))


def _pay(dossier, user, *, amount=FEE, reference="TT261125ABCDEF", method="VNPay"):
    return services.dossier_record_payment(
        dossier=dossier, user=user, amount=amount, reference=reference, method=method
    )


def test_a_dossier_keeps_the_fee_terms_of_its_procedure_and_starts_owing_its_fee():
    paid, _people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION, fee_refundable=True)
    free, _people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION, fee=0)

    assert (paid.fee, paid.fee_timing, paid.fee_refundable, paid.fee_status) == (
        FEE,
        FeeTiming.SUBMISSION,
        True,
        FeeStatus.UNPAID,
    )
    assert free.fee_status == FeeStatus.NONE
    assert not fee_payable_now(free)


def test_a_fee_due_with_the_online_application_is_paid_before_reception():
    # Given an online dossier whose fee is paid with the application
    dossier, people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION)
    assert Action.PAY in allowed_actions(dossier=dossier, user=dossier.applicant)

    # Reception cannot receive it unpaid
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_receive(dossier=dossier, officer=people["reception"])
    assert refused.value.code == ErrorCode.FEE_UNPAID
    assert Action.RECEIVE not in allowed_actions(dossier=dossier, user=people["reception"])

    # When the payments app reports it paid online by the applicant
    dossier = _pay(dossier, dossier.applicant)

    # Then the fee is paid, the status stays, the event keeps the facts, and reception receives it
    assert (dossier.status, dossier.fee_status) == (S.SUBMITTED, FeeStatus.PAID)
    event = dossier.events.get(action=Action.PAY)
    assert (event.actor, event.from_status, event.to_status) == (dossier.applicant, S.SUBMITTED, S.SUBMITTED)
    assert event.extra_data == {"amount": FEE, "reference": "TT261125ABCDEF", "method": "VNPay"}
    assert Action.PAY not in allowed_actions(dossier=dossier, user=dossier.applicant)
    assert services.dossier_receive(dossier=dossier, officer=people["reception"]).status == S.RECEIVED


def test_a_counter_dossier_whose_fee_is_due_at_submission_is_received_and_paid_at_the_desk():
    import uuid

    procedure = ProcedureFactory(fee=FEE, fee_timing=FeeTiming.SUBMISSION)
    _free, people = dossier_in_status(S.SUBMITTED, procedure=procedure)
    dossier = services.dossier_record_intake(
        officer=people["reception"],
        procedure=procedure,
        client_token=uuid.uuid4(),
        channel=Channel.COUNTER,
        applicant_name="Phạm Văn Quầy",
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={procedure.documents.get().pk: [pdf_upload()]},
    )

    assert (dossier.status, dossier.fee_status) == (S.RECEIVED, FeeStatus.UNPAID)
    assert Action.PAY in allowed_actions(dossier=dossier, user=people["reception"])
    dossier = _pay(dossier, people["reception"], method="Tiền mặt tại quầy")
    assert dossier.fee_status == FeeStatus.PAID
    assert dossier.events.get(action=Action.PAY).actor == people["reception"]


def test_the_office_asks_for_a_fee_due_after_reception_and_the_clock_stops_until_it_is_paid(monkeypatch):
    # Given a received dossier whose fee is paid after reception, on Monday 23/11/2026 at 09:00
    now = datetime(2026, 11, 23, 9, 0, tzinfo=VN)
    monkeypatch.setattr(timezone, "now", lambda: now)
    dossier, people = _dossier(S.RECEIVED, timing=FeeTiming.AFTER_RECEPTION)
    assert Action.PAY not in allowed_actions(dossier=dossier, user=dossier.applicant)  # not asked yet
    due = dossier.due_at

    # When reception asks for it
    dossier = services.dossier_request_payment(dossier=dossier, officer=people["reception"], note="Nộp trong tuần")

    # Then the dossier waits for the fee (status 6) with its clock stopped, and the applicant is told how much
    assert (dossier.status, dossier.paused_at, dossier.resume_status) == (S.PAYMENT_REQUESTED, now, S.RECEIVED)
    assert fee_payable_now(dossier)
    told = OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL, subject__contains="nộp phí").get()
    assert "2.200.000 đồng" in told.body and "Nộp trong tuần" in told.body
    assert selectors.due_state(dossier, now=now, horizon=now) == ""  # paused: neither due soon nor overdue

    # When it is paid on Wednesday at 09:00
    now = datetime(2026, 11, 25, 9, 0, tzinfo=VN)
    dossier = _pay(dossier, dossier.applicant)

    # Then processing resumes where it stopped, the due date moved by the one working day the clock stood still
    # (Tuesday 24/11 is Vietnamese Culture Day, a day off from 2026)
    assert (dossier.status, dossier.fee_status, dossier.paused_at, dossier.resume_status) == (
        S.RECEIVED,
        FeeStatus.PAID,
        None,
        "",
    )
    assert dossier.due_at == due + timedelta(days=1)
    assert dossier.events.get(action=Action.PAY).extra_data["new_due_at"] is not None


def test_a_payment_is_asked_only_for_an_unpaid_fee_due_after_reception():
    free, people = _dossier(S.RECEIVED, timing=FeeTiming.AFTER_RECEPTION, fee=0)
    at_submission, people_2 = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION)
    at_submission = _pay(at_submission, at_submission.applicant)
    at_submission = services.dossier_receive(dossier=at_submission, officer=people_2["reception"])

    for dossier, officer in ((free, people["reception"]), (at_submission, people_2["reception"])):
        with pytest.raises(TransitionNotAllowed) as refused:
            services.dossier_request_payment(dossier=dossier, officer=officer)
        assert refused.value.code == ErrorCode.FEE_NOT_DUE
        dossier.refresh_from_db()
        assert dossier.status == S.RECEIVED
        assert not dossier.events.filter(action=Action.REQUEST_PAYMENT).exists()


def test_during_processing_only_the_assignee_asks_for_the_fee():
    dossier, people = _dossier(S.PROCESSING, timing=FeeTiming.AFTER_RECEPTION)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_request_payment(dossier=dossier, officer=people["processing"])
    assert refused.value.code == ErrorCode.NOT_ASSIGNEE

    dossier = services.dossier_take(dossier=dossier, officer=people["processing"])
    dossier = services.dossier_request_payment(dossier=dossier, officer=people["processing"])
    dossier = _pay(dossier, dossier.applicant)
    assert dossier.status == S.PROCESSING


def test_a_fee_due_at_hand_back_is_taken_before_the_result_is_handed_back():
    dossier, people = _dossier(S.RESULT_READY, timing=FeeTiming.HAND_BACK)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.dossier_deliver(dossier=dossier, officer=people["reception"])
    assert refused.value.code == ErrorCode.FEE_UNPAID

    dossier = _pay(dossier, people["reception"], method="Thẻ ngân hàng tại quầy")
    assert services.dossier_deliver(dossier=dossier, officer=people["reception"]).status == S.RETURNED


def test_a_fee_is_paid_once_and_only_its_own_amount():
    dossier, _people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION)

    with pytest.raises(ValidationError, match="khác phí, lệ phí"):
        _pay(dossier, dossier.applicant, amount=FEE - 1)
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.UNPAID
    assert not dossier.events.filter(action=Action.PAY).exists()

    _pay(dossier, dossier.applicant)
    with pytest.raises(TransitionNotAllowed, match="đã được nộp") as refused:
        _pay(dossier, dossier.applicant, reference="TT261125SECOND")
    assert refused.value.code == ErrorCode.FEE_NOT_DUE
    assert dossier.events.filter(action=Action.PAY).count() == 1


def test_a_withdrawn_dossier_is_not_paid_and_its_pause_ends():
    dossier, people = _dossier(S.RECEIVED, timing=FeeTiming.AFTER_RECEPTION)
    dossier = services.dossier_request_payment(dossier=dossier, officer=people["reception"])

    dossier = services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Không cần nữa")

    assert (dossier.status, dossier.paused_at, dossier.resume_status) == (S.WITHDRAWN, None, "")
    with pytest.raises(TransitionNotAllowed):
        _pay(dossier, dossier.applicant)


def test_a_refund_is_recorded_without_changing_the_status_and_is_no_hand_off():
    # Given a paid dossier the office then refused
    dossier, people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION)
    dossier = _pay(dossier, dossier.applicant)
    dossier = services.dossier_refuse(dossier=dossier, officer=people["reception"], reason="Sai thẩm quyền")

    # When the payments app reports the fee refunded by the provider
    dossier = services.dossier_record_refund(
        dossier=dossier, amount=FEE, reference="TT261125ABCDEF", method="VNPay", whole_fee=True
    )

    # Then the fee is refunded, the status stays, and the event names no officer
    assert (dossier.status, dossier.fee_status) == (S.REFUSED, FeeStatus.REFUNDED)
    event = dossier.events.get(action=Action.REFUND)
    assert (event.actor, event.from_status, event.to_status) == (None, S.REFUSED, S.REFUSED)
    assert event.extra_data["amount"] == FEE
    # The applicant reads both on its timeline; the control sheet lists hand-offs only
    timeline = selectors.dossier_timeline_for(dossier=dossier, user=dossier.applicant)
    assert [entry.action for entry in timeline] == [Action.SUBMIT, Action.PAY, Action.REFUSE, Action.REFUND]
    assert "2.200.000 đồng – VNPay, mã giao dịch TT261125ABCDEF" in timeline[1].note
    assert [row.action for row in selectors.dossier_control_sheet(dossier=dossier)] == [
        "Nộp hồ sơ",
        "Từ chối tiếp nhận",
    ]


def test_a_second_payment_refunded_leaves_the_fee_paid():
    dossier, _people = _dossier(S.SUBMITTED, timing=FeeTiming.SUBMISSION)
    dossier = _pay(dossier, dossier.applicant)

    dossier = services.dossier_record_refund(
        dossier=dossier, amount=FEE, reference="TT261125SECOND", method="VNPay", whole_fee=False
    )

    assert dossier.fee_status == FeeStatus.PAID
    assert dossier.events.filter(action=Action.REFUND).count() == 1
