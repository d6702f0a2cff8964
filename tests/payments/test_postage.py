"""Postage paid online as a second payment (purpose `postage`) beside the fee: the applicant's dossier page offers it
while it is owed, the sandbox bank takes it over real HTTP and the verified notification records it once (a repeat
changes nothing, a forged one nothing at all); a stranger cannot start it, a postage paid on delivery is never
charged online, and a dossier closed before its result went out gets its postage back."""

import pytest
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.constants import Action, DossierStatus, FeeStatus, PostagePayment, PostageStatus
from payments import services
from payments.constants import PaymentPurpose, PaymentStatus, RefundReason
from payments.models import Payment
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status, send_by_post

from .conftest import FEE, bank_result

pytestmark = pytest.mark.django_db
POSTAGE = 20_000


def postal_dossier(postage_payment=PostagePayment.PREPAID, status=DossierStatus.SUBMITTED):
    """A dossier whose applicant chose the post, its fee paid with the application, the postage owed as chosen."""
    procedure = ProcedureFactory(fee=FEE, fee_timing="submission", full_online=True, delivers_by_post=True)
    dossier, people = dossier_in_status(status, procedure=procedure)
    return send_by_post(dossier, postage_payment=postage_payment, postage=POSTAGE), people


def start_postage(dossier):
    return services.payment_start(
        dossier=dossier,
        payer=dossier.applicant,
        provider_name="vnpay",
        return_url="http://testserver/thanh-toan/quay-ve/vnpay/",
        client_ip="127.0.0.1",
        purpose=PaymentPurpose.POSTAGE,
    )


@pytest.mark.django_db(transaction=True)
def test_the_applicant_pays_the_postage_through_the_sandbox_bank_and_the_verified_notification_records_it(client, bank):
    dossier, _people = postal_dossier()
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    assert 'id="cuoc-buu-chinh"' in page and "20.000 đồng" in page and "Chưa trả cước" in page

    response = client.post(reverse("payments:start", args=[dossier.pk]), {"provider": "vnpay", "purpose": "postage"})
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.purpose, payment.amount, response.url) == (PaymentPurpose.POSTAGE, POSTAGE, payment.redirect_url)

    back = bank.pay(payment)  # the bank notifies the portal (IPN, signed) before sending the payer back

    assert back.status == 302
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.status, payment.applied) == (PaymentStatus.PAID, True)
    assert (dossier.postage_status, dossier.fee_status) == (PostageStatus.PAID, FeeStatus.UNPAID)
    assert dossier.events.filter(action=Action.PAY_POSTAGE).count() == 1
    assert payment.receipt.number == 1
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    assert "Đã trả cước" in page and reverse("payments:receipt", args=[payment.reference]) in page


def test_a_repeated_notification_changes_nothing_and_a_forged_one_nothing_at_all(client):
    dossier, _people = postal_dossier()
    forged_payment = start_postage(dossier)

    forged = client.get("/thanh-toan/vnpay/ipn/", bank_result(forged_payment, secret="khong-phai-khoa-that")).json()

    assert forged["RspCode"] == "97"
    dossier.refresh_from_db()
    assert dossier.postage_status == PostageStatus.UNPAID

    first = client.get("/thanh-toan/vnpay/ipn/", bank_result(forged_payment)).json()
    again = client.get("/thanh-toan/vnpay/ipn/", bank_result(forged_payment)).json()

    assert (first["RspCode"], again["RspCode"]) == ("00", "02")
    assert dossier.events.filter(action=Action.PAY_POSTAGE).count() == 1


def test_a_stranger_cannot_start_it_and_an_officer_cannot_pay_it_online(client, api_client):
    dossier, people = postal_dossier()
    client.force_login(UserFactory(citizen=True))

    assert client.post(reverse("payments:start", args=[dossier.pk]), {"purpose": "postage"}).status_code == 404

    api_client.force_authenticate(people["reception"])
    refused = api_client.post("/api/v1/payments/", {"dossier": dossier.code, "purpose": "postage"}, format="json")
    assert refused.status_code == 409
    assert not Payment.objects.exists()


def test_a_postage_paid_on_delivery_is_never_charged_online(client, api_client):
    dossier, _people = postal_dossier(PostagePayment.COD)
    client.force_login(dossier.applicant)

    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    response = client.post(
        reverse("payments:start", args=[dossier.pk]), {"provider": "vnpay", "purpose": "postage"}, follow=True
    )

    assert "Trả tiền mặt cho bưu tá khi nhận" in page and "Thanh toán cước bưu chính" not in page
    assert "Hồ sơ không có cước bưu chính phải trả trực tuyến." in response.content.decode()
    api_client.force_authenticate(dossier.applicant)
    refused = api_client.post("/api/v1/payments/", {"dossier": dossier.code, "purpose": "postage"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "fee_not_due"
    assert not Payment.objects.exists()


def test_a_dossier_withdrawn_before_its_result_went_out_gets_its_postage_back():
    dossier, _people = postal_dossier()
    payment = start_postage(dossier)
    services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(payment))
    dossier_services.dossier_withdraw(dossier=dossier, applicant=dossier.applicant, reason="Không cần nữa")

    counts = services.payments_reconcile(now=payment.created_at)

    payment.refresh_from_db()
    assert counts["refunds_requested"] == 1
    assert (payment.status, payment.refund_reason) == (PaymentStatus.REFUND_PENDING, RefundReason.DOSSIER_CLOSED)
