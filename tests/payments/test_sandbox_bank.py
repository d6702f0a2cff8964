"""The VNPay adapter against the sandbox bank over real HTTP (pytest-django's live server; nothing mocked): the
payer's choices on the bank's page, the notification switches (at once, late, twice at once, out of order, never),
the reconciliation job's queries, refunds, and the bank down or refusing."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.constants import Action, FeeStatus
from payments import services
from payments.constants import PaymentStatus, RefundReason
from payments.models import Payment, ProviderMessage, Receipt
from payments.providers import ProviderUnavailable
from payments.tasks import reconcile_payments, send_refund
from portal.models import OutboxMessage
from tests.concurrency import run_at_once

from .conftest import FEE, start_payment

pytestmark = pytest.mark.django_db(transaction=True)

LATER = timedelta(minutes=6)  # past the job's wait before it asks about a pending payment


def refreshed(payment) -> Payment:
    return Payment.objects.get(pk=payment.pk)


def wait_for(condition, *, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def return_page(dossier, answer) -> str:
    """The payer's browser, signed in to the portal, follows the bank's redirect back: the page it lands on."""
    browser = Client()
    browser.force_login(dossier.applicant)
    return browser.get(answer.location, follow=True).content.decode()


def test_a_paid_payment_is_confirmed_by_the_notification_before_the_browser_is_back(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier, return_url=f"{bank.url}{reverse('payments:return', args=['vnpay'])}")

    answer = bank.pay(payment)

    # The bank sends the browser back to the portal's return address with the signed result
    assert answer.status == 302 and answer.location.startswith(f"{bank.url}/thanh-toan/quay-ve/vnpay/?")
    # and has already told the portal, which confirmed
    assert [n["rsp_code"] for n in bank.transaction(payment)["notifications"]] == ["00"]
    payment = refreshed(payment)
    assert (payment.status, payment.applied) == (PaymentStatus.PAID, True)
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.PAID
    page = return_page(dossier, answer)
    assert "Đã thanh toán" in page and "Tải biên lai điện tử số 0000001" in page


def test_without_a_notification_the_page_waits_and_the_reconciliation_job_settles_it(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    answer = bank.pay(payment, notify="none")

    assert bank.transaction(payment)["notifications"] == []
    assert refreshed(payment).status == PaymentStatus.PENDING
    assert "Đang xác nhận thanh toán" in return_page(dossier, answer)

    # The job asks the bank (querydr over HTTP) and settles the payment
    counts = services.payments_reconcile(now=timezone.now() + LATER)

    assert counts["queried"] == 1 and "unreachable" not in counts
    payment = refreshed(payment)
    assert (payment.status, payment.provider_transaction_no) == (
        PaymentStatus.PAID,
        bank.transaction(payment)["transaction_no"],
    )
    query = ProviderMessage.objects.get(payment=payment, kind="query")
    assert (query.direction, query.signature_valid, query.outcome) == ("out", True, "paid")
    assert query.parameters["request"]["vnp_Command"] == "querydr"
    assert dossier.events.filter(action=Action.PAY).count() == 1


def test_a_late_notification_arrives_after_the_browser_and_confirms(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    bank.pay(payment, notify="delayed", delay="1")

    assert refreshed(payment).status == PaymentStatus.PENDING
    wait_for(lambda: refreshed(payment).status == PaymentStatus.PAID)
    wait_for(lambda: [n["rsp_code"] for n in bank.transaction(payment)["notifications"]] == ["00"])


def test_a_notification_sent_twice_at_once_confirms_once(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    bank.pay(payment, notify="duplicate")

    assert sorted(n["rsp_code"] for n in bank.transaction(payment)["notifications"]) == ["00", "02"]
    assert dossier.events.filter(action=Action.PAY).count() == 1
    assert refreshed(payment).status == PaymentStatus.PAID


def test_a_stale_failure_delivered_after_the_success_changes_nothing(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    bank.pay(payment, notify="out_of_order")

    sent = bank.transaction(payment)["notifications"]
    assert [(n["response_code"], n["rsp_code"]) for n in sent] == [("00", "00"), ("51", "02")]
    assert refreshed(payment).status == PaymentStatus.PAID


@pytest.mark.parametrize(
    ("outcome", "status", "code"),
    [("insufficient_funds", PaymentStatus.FAILED, "51"), ("cancel", PaymentStatus.CANCELLED, "24")],
)
def test_a_payment_the_bank_refuses_or_the_payer_cancels_is_closed_unpaid(fee_dossier, bank, outcome, status, code):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    answer = bank.pay(payment, outcome=outcome)

    payment = refreshed(payment)
    assert (payment.status, payment.provider_response_code) == (status, code)
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.UNPAID
    assert "bạn không bị trừ tiền" in return_page(dossier, answer)


def test_when_the_bank_never_answers_the_payment_expires_after_its_time(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    answer = bank.pay(payment, outcome="no_answer")

    assert answer.status == 200 and "Ngân hàng không phản hồi" in answer.text
    # Asked before its expiry, the bank says unfinished: the payment waits
    services.payments_reconcile(now=timezone.now() + LATER)
    assert refreshed(payment).status == PaymentStatus.PENDING
    # Asked after its expiry and the grace, it expires
    services.payments_reconcile(now=payment.expires_at + timedelta(minutes=6))
    assert refreshed(payment).status == PaymentStatus.EXPIRED


def test_a_payment_the_payer_never_took_to_the_bank_expires(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)  # the payer closed the tab before the bank's page

    services.payments_reconcile(now=payment.expires_at + timedelta(minutes=6))

    payment = refreshed(payment)
    assert payment.status == PaymentStatus.EXPIRED
    assert ProviderMessage.objects.get(payment=payment, kind="query").outcome == "not_found"


def test_the_bank_down_during_reconciliation_loses_nothing(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    bank.pay(payment, notify="none")
    bank.switch(api_down=True)

    counts = services.payments_reconcile(now=timezone.now() + LATER)

    assert counts == {"queried": 1, "unreachable": 1}
    assert refreshed(payment).status == PaymentStatus.PENDING
    unreachable = ProviderMessage.objects.get(payment=payment, kind="query")
    assert unreachable.outcome == "unreachable" and "HTTPError" in unreachable.detail

    # The next run, the bank back, settles it
    bank.switch(api_down=False)
    services.payments_reconcile(now=timezone.now() + LATER)
    assert refreshed(payment).status == PaymentStatus.PAID


def test_a_bank_nobody_answers_at_is_unreachable(fee_dossier, bank, settings):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    settings.VNPAY = {**settings.VNPAY, "API_URL": "http://127.0.0.1:9/merchant_webapi/api/transaction"}

    with pytest.raises(ProviderUnavailable):
        services.payment_reconcile(payment=payment)

    assert refreshed(payment).status == PaymentStatus.PENDING


def paid_then_refused(fee_dossier, bank):
    dossier, people = fee_dossier
    payment = start_payment(dossier)
    bank.pay(payment)
    dossier_services.dossier_refuse(dossier=dossier, officer=people["reception"], reason="Sai thẩm quyền")
    return dossier, people, refreshed(payment)


def test_the_fee_of_a_refused_dossier_is_refunded_through_the_bank(fee_dossier, bank):
    dossier, _people, payment = paid_then_refused(fee_dossier, bank)

    counts = services.payments_reconcile(now=timezone.now())

    assert counts["refunds_requested"] == 1 and counts["refunds_sent"] == 1
    payment = refreshed(payment)
    assert (payment.status, payment.refund_reason) == (PaymentStatus.REFUNDED, RefundReason.DOSSIER_CLOSED)
    assert bank.transaction(payment)["refunded_amount"] == FEE * 100
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.REFUNDED
    assert dossier.events.filter(action=Action.REFUND).count() == 1
    refund = ProviderMessage.objects.get(payment=payment, kind="refund")
    assert (refund.outcome, refund.parameters["request"]["vnp_TransactionType"]) == ("accepted", "02")

    # Run again: nothing more is asked or sent
    assert services.payments_reconcile(now=timezone.now()) == {}


def test_a_refund_sent_again_after_a_lost_answer_is_not_recorded_twice(fee_dossier, bank):
    dossier, _people, payment = paid_then_refused(fee_dossier, bank)
    payment = services.payment_request_refund(payment=payment, reason=RefundReason.DOSSIER_CLOSED)
    services.payment_send_refund(payment=payment)
    # As if the first answer had been lost: the payment still waits, the bank has refunded
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUND_PENDING)

    payment = services.payment_send_refund(payment=payment)

    assert payment.status == PaymentStatus.REFUNDED
    assert ProviderMessage.objects.filter(payment=payment, kind="refund").last().detail.startswith("94")
    assert bank.transaction(payment)["refunded_amount"] == FEE * 100


def test_a_refund_the_bank_refuses_is_left_to_the_agency(fee_dossier, bank):
    dossier, people, payment = paid_then_refused(fee_dossier, bank)
    bank.switch(refuse_refunds=True)

    services.payments_reconcile(now=timezone.now())

    payment = refreshed(payment)
    assert (payment.status, payment.refund_note[:2]) == (PaymentStatus.REFUND_REFUSED, "95")
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.PAID
    assert OutboxMessage.objects.filter(recipient=people["reception"].email, subject__contains="từ chối hoàn").exists()
    # and the job does not ask again
    assert services.payments_reconcile(now=timezone.now()) == {}


def test_the_bank_down_during_a_refund_keeps_it_pending_for_the_next_run(fee_dossier, bank):
    _dossier, _people, payment = paid_then_refused(fee_dossier, bank)
    bank.switch(api_down=True)

    counts = services.payments_reconcile(now=timezone.now())

    assert counts["unreachable"] == 1
    assert refreshed(payment).status == PaymentStatus.REFUND_PENDING
    with pytest.raises(ProviderUnavailable):
        send_refund.run(payment.pk)  # the task raises it, so Celery retries it (autoretry_for)
    assert ProviderUnavailable in send_refund.autoretry_for

    bank.switch(api_down=False)
    services.payments_reconcile(now=timezone.now())
    assert refreshed(payment).status == PaymentStatus.REFUNDED


def test_a_free_procedure_or_a_closed_dossier_not_refundable_asks_for_no_refund(fee_dossier, bank):
    dossier, people = fee_dossier
    dossier.__class__.objects.filter(pk=dossier.pk).update(fee_refundable=False)
    payment = start_payment(dossier)
    bank.pay(payment)
    dossier_services.dossier_refuse(dossier=dossier, officer=people["reception"], reason="Sai thẩm quyền")

    assert services.payments_reconcile(now=timezone.now()) == {}
    assert refreshed(payment).status == PaymentStatus.PAID


def test_two_reconciliations_at_once_settle_a_payment_once(fee_dossier, bank):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    bank.pay(payment, notify="none")

    results, errors = run_at_once(2, lambda i: services.payments_reconcile(now=timezone.now() + LATER))

    assert errors == [] and [r["queried"] for r in results] == [1, 1]
    assert refreshed(payment).status == PaymentStatus.PAID
    assert dossier.events.filter(action=Action.PAY).count() == 1
    assert Receipt.objects.filter(payment=payment).count() == 1


def test_the_job_runs_every_15_minutes_through_a_thin_task(fee_dossier, bank, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["payment-reconciliation"]
    assert (schedule["task"], schedule["schedule"]) == ("payments.tasks.reconcile_payments", timedelta(minutes=15))
    assert reconcile_payments.acks_late and send_refund.acks_late
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    bank.pay(payment, notify="none")
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - LATER)

    assert reconcile_payments.run() == {"queried": 1}
    assert refreshed(payment).status == PaymentStatus.PAID
