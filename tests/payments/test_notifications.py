"""Starting an online payment and the bank's answers to it: the payment URL the VNPay adapter builds, the browser's
return (which never pays by itself) and the server-to-server notification (IPN), with every bad message it must
refuse. The messages are signed the bank's way (sandboxes/bank/protocol.py); the live HTTP exchange with the sandbox
bank is tests/payments/test_sandbox_bank.py."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from dossiers.constants import Action, DossierStatus, FeeStatus
from dossiers.error_codes import ErrorCode
from dossiers.workflow import TransitionNotAllowed
from payments import services
from payments.constants import NotificationOutcome, PaymentStatus, RefundReason
from payments.models import Payment, ProviderMessage, Receipt
from portal.models import OutboxMessage
from sandboxes.bank import protocol as bank_protocol
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .conftest import FEE, bank_result, start_payment, url_parameters

pytestmark = pytest.mark.django_db
IPN = "/thanh-toan/vnpay/ipn/"


def ipn(client, parameters) -> dict:
    response = client.get(IPN, parameters)
    assert response.status_code == 200
    return response.json()


# --- starting ------------------------------------------------------------------------------------------------


def test_the_payment_url_carries_the_fee_times_100_signed_as_the_bank_checks_it(fee_dossier):
    dossier, _people = fee_dossier

    payment = start_payment(dossier)

    assert (payment.status, payment.amount, payment.payer) == (PaymentStatus.PENDING, FEE, dossier.applicant)
    assert payment.redirect_url.startswith(settings.VNPAY["PAYMENT_URL"] + "?")
    sent = url_parameters(payment.redirect_url)
    assert sent["vnp_Amount"] == str(FEE * 100)
    assert (sent["vnp_Version"], sent["vnp_Command"], sent["vnp_CurrCode"]) == ("2.1.0", "pay", "VND")
    assert (sent["vnp_TxnRef"], sent["vnp_TmnCode"]) == (payment.reference, settings.VNPAY["TMN_CODE"])
    assert sent["vnp_ReturnUrl"] == "http://testserver/thanh-toan/quay-ve/vnpay/"
    assert len(sent["vnp_CreateDate"]) == len(sent["vnp_ExpireDate"]) == 14
    # The bank's own check of the signature (its code, not the adapter's) accepts it
    secret = bank_protocol.merchant(sent["vnp_TmnCode"])["SECRET"]
    assert bank_protocol.valid(bank_protocol.query_string_hash(secret, sent), sent["vnp_SecureHash"])
    # And the start is logged with the signature masked
    logged = ProviderMessage.objects.get(payment=payment, kind="start")
    assert logged.parameters["vnp_TxnRef"] == payment.reference
    assert "vnp_SecureHash" not in logged.parameters


def test_a_second_click_gives_the_open_attempt_again(fee_dossier):
    dossier, _people = fee_dossier
    first = start_payment(dossier)

    again = start_payment(dossier)

    assert again.pk == first.pk
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_only_the_applicant_pays_online_and_only_a_fee_that_is_due(fee_dossier):
    dossier, people = fee_dossier
    for stranger in (UserFactory(citizen=True), people["reception"]):
        with pytest.raises(TransitionNotAllowed):
            services.payment_start(
                dossier=dossier, payer=stranger, provider_name="vnpay", return_url="http://x/", client_ip="127.0.0.1"
            )
    payment = start_payment(dossier)
    ipn_apply(payment)
    with pytest.raises(TransitionNotAllowed) as refused:
        start_payment(dossier)
    assert refused.value.code == ErrorCode.FEE_NOT_DUE
    assert Payment.objects.filter(dossier=dossier).count() == 1


def ipn_apply(payment, **result) -> str:
    return services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(payment, **result))


# --- the notification ------------------------------------------------------------------------------------------


def test_a_verified_notification_pays_the_fee_once_with_its_receipt(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    answer = ipn(client, bank_result(payment))

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.status, payment.applied, payment.provider_transaction_no) == (PaymentStatus.PAID, True, "14000001")
    assert payment.method_detail == "NCB ATM"
    assert dossier.fee_status == FeeStatus.PAID
    event = dossier.events.get(action=Action.PAY)
    assert (event.actor, event.extra_data["reference"], event.extra_data["amount"]) == (
        dossier.applicant,
        payment.reference,
        FEE,
    )
    receipt = Receipt.objects.get(payment=payment)
    assert (receipt.agency, receipt.number, receipt.series) == (dossier.agency, 1, f"BL{receipt.year % 100:02d}E")
    logged = ProviderMessage.objects.get(payment=payment, kind="notification")
    assert (logged.direction, logged.signature_valid, logged.outcome) == ("in", True, NotificationOutcome.CONFIRMED)
    assert logged.parameters["vnp_SecureHash"].endswith("…") and len(logged.parameters["vnp_SecureHash"]) == 9

    # The same notification again changes nothing and says so
    assert ipn(client, bank_result(payment)) == {"RspCode": "02", "Message": "Order already confirmed"}
    assert dossier.events.filter(action=Action.PAY).count() == 1
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        pytest.param({"secret": "not-the-merchant-secret"}, "97", id="forged signature"),
        pytest.param({"vnp_Amount": str(FEE * 100 - 100)}, "04", id="wrong amount"),
        pytest.param({"vnp_TmnCode": "KHACBANK"}, "99", id="another merchant"),
        pytest.param({"vnp_TxnRef": "TT261125FFFFFFFFFF"}, "01", id="unknown reference"),
    ],
)
def test_a_notification_changes_nothing_unless_signature_merchant_reference_and_amount_match(
    client, fee_dossier, tamper, expected
):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    answer = ipn(client, bank_result(payment, **tamper))

    assert answer["RspCode"] == expected
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.status, dossier.fee_status) == (PaymentStatus.PENDING, FeeStatus.UNPAID)
    assert not dossier.events.filter(action=Action.PAY).exists()
    logged = ProviderMessage.objects.filter(kind="notification").get()
    assert logged.signature_valid is (expected != "97")


def test_a_forged_signature_on_a_tampered_amount_is_refused_before_the_amount_is_read(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    parameters = bank_result(payment)
    parameters["vnp_Amount"] = "100"  # changed after signing

    assert ipn(client, parameters)["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_amount_that_differs_alerts_the_agency(client, fee_dossier):
    dossier, people = fee_dossier
    payment = start_payment(dossier)

    ipn(client, bank_result(payment, vnp_Amount=str(FEE * 100 + 100)))

    alert = OutboxMessage.objects.get(recipient=people["reception"].email, subject__contains="số tiền khác")
    assert payment.reference in alert.body and "2200001" in alert.body


def test_a_failure_closes_the_payment_and_a_later_verified_success_still_pays(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    assert ipn(client, bank_result(payment, response_code="51", transaction_status="02"))["RspCode"] == "00"
    payment.refresh_from_db()
    assert (payment.status, payment.provider_response_code) == (PaymentStatus.FAILED, "51")

    assert ipn(client, bank_result(payment))["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_a_stale_failure_after_the_success_changes_nothing(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    ipn(client, bank_result(payment))

    answer = ipn(client, bank_result(payment, response_code="51", transaction_status="02"))

    assert answer["RspCode"] == "02"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_a_cancelled_payment_is_closed_and_the_fee_can_be_paid_again(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)

    ipn(client, bank_result(payment, response_code="24", transaction_status="02"))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    second = start_payment(dossier)
    assert second.pk != payment.pk and second.status == PaymentStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_the_same_notification_twice_at_once_pays_once(fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    parameters = bank_result(payment)

    outcomes, errors = run_at_once(
        2, lambda i: services.payment_handle_notification(provider_name="vnpay", parameters=parameters)
    )

    assert errors == []
    assert sorted(outcomes) == sorted([NotificationOutcome.CONFIRMED, NotificationOutcome.ALREADY_CONFIRMED])
    assert dossier.events.filter(action=Action.PAY).count() == 1
    assert Receipt.objects.filter(payment=payment).count() == 1


def test_a_second_attempt_paid_too_is_refunded_and_the_fee_counts_once(fee_dossier):
    # Given two attempts, the first expired at the bank's page, the second paid
    dossier, _people = fee_dossier
    first = start_payment(dossier)
    Payment.objects.filter(pk=first.pk).update(expires_at=first.created_at)
    second = start_payment(dossier)
    assert second.pk != first.pk
    ipn_apply(second)

    # When the first one's success arrives after all (the payer paid in another tab)
    assert ipn_apply(first) == NotificationOutcome.CONFIRMED

    # Then the fee counts once and the extra money goes back
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, second.applied) == (PaymentStatus.PAID, True)
    assert (first.status, first.applied, first.refund_reason) == (
        PaymentStatus.REFUND_PENDING,
        False,
        RefundReason.DUPLICATE,
    )
    assert dossier.events.filter(action=Action.PAY).count() == 1
    assert not Receipt.objects.filter(payment=first).exists()


def test_money_arriving_for_a_withdrawn_dossier_is_refunded(fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    from dossiers import services as dossier_services

    dossier_services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Không cần nữa")

    ipn_apply(payment)

    payment.refresh_from_db()
    assert (payment.status, payment.refund_reason) == (PaymentStatus.REFUND_PENDING, RefundReason.DOSSIER_CLOSED)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_status) == (DossierStatus.WITHDRAWN, FeeStatus.UNPAID)


# --- the browser's return -----------------------------------------------------------------------------------


def test_the_return_never_pays_and_the_page_confirms_once_the_notification_came(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    client.force_login(dossier.applicant)

    # The browser comes back with a success before any notification
    response = client.get(reverse("payments:return", args=["vnpay"]), bank_result(payment))

    page_url = reverse("payments:payment", args=[payment.reference])
    assert response.status_code == 302 and response.url == page_url
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    page = client.get(page_url)
    assert "Đang xác nhận thanh toán" in page.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()

    # Once the bank's notification is applied, the same page says paid and offers the receipt
    ipn(client, bank_result(payment))
    page = client.get(page_url).content.decode()
    assert "Đã thanh toán" in page and "Đang xác nhận" not in page
    assert reverse("payments:receipt", args=[payment.reference]) in page
    assert 'http-equiv="refresh"' not in page


def test_a_return_with_a_forged_signature_shows_nothing_and_is_logged(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = start_payment(dossier)
    client.force_login(dossier.applicant)

    response = client.get(reverse("payments:return", args=["vnpay"]), bank_result(payment, secret="forged"))

    assert response.status_code == 400
    assert "không xác thực được" in response.content.decode()
    logged = ProviderMessage.objects.get(kind="return")
    assert (logged.signature_valid, logged.outcome, logged.payment) == (False, "invalid_signature", None)


def test_a_payment_page_is_its_dossiers_people_only(client, fee_dossier):
    dossier, people = fee_dossier
    payment = start_payment(dossier)
    url = reverse("payments:payment", args=[payment.reference])

    client.force_login(UserFactory(citizen=True))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(reception_officer=True))  # another agency
    assert client.get(url).status_code == 404
    client.force_login(people["reception"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_an_unknown_provider_answers_404(client):
    assert client.get("/thanh-toan/khong-co/ipn/").status_code == 404
    assert client.get("/thanh-toan/counter/ipn/").status_code == 404


def test_secrets_never_reach_the_logs(client, fee_dossier, caplog):
    dossier, _people = fee_dossier
    caplog.set_level(logging.DEBUG)
    payment = start_payment(dossier)
    result = bank_result(payment)

    ipn(client, result)
    ipn(client, bank_result(payment, secret="forged"))

    secret = settings.VNPAY["HASH_SECRET"]
    assert secret not in caplog.text and result["vnp_SecureHash"] not in caplog.text
    for message in ProviderMessage.objects.all():
        assert secret not in str(message.parameters) and result["vnp_SecureHash"] not in str(message.parameters)
