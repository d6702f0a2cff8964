"""Money taken at the one-stop desk, and the electronic receipt of every applied payment: its number series per
agency and year, what it prints (amount in figures and words), who may download it."""

import uuid

import pytest
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.constants import Action, Channel, DeliveryMethod, DossierStatus, FeeStatus, FeeTiming, Outcome
from payments import services
from payments.constants import CounterMethod, PaymentStatus, RefundReason
from payments.models import Payment, Receipt
from payments.money import amount_in_words
from payments.pdf import receipt_content
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status, pdf_upload

from .conftest import FEE, bank_result

pytestmark = pytest.mark.django_db


def counter_dossier(*, fee=FEE, timing=FeeTiming.SUBMISSION, agency=None):
    """A paper dossier taken at the counter of a procedure with a fee; its reception officer."""
    procedure = ProcedureFactory(fee=fee, fee_timing=timing, **({"agency": agency} if agency else {}))
    _online, people = dossier_in_status(DossierStatus.SUBMITTED, procedure=procedure)
    dossier = dossier_services.dossier_record_intake(
        officer=people["reception"],
        procedure=procedure,
        client_token=uuid.uuid4(),
        channel=Channel.COUNTER,
        applicant_name="Phạm Văn Quầy",
        applicant_id_number="034085000123",
        delivery_method=DeliveryMethod.COUNTER,
        files_by_component={procedure.documents.get().pk: [pdf_upload()]},
    )
    return dossier, people


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (150_000, "Một trăm năm mươi nghìn đồng"),
        (1_005_000, "Một triệu không trăm lẻ năm nghìn đồng"),
        (2_200_000, "Hai triệu hai trăm nghìn đồng"),
        (3_000_000_000, "Ba tỷ đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_reception_records_a_fee_taken_at_the_desk_with_its_receipt(client):
    dossier, people = counter_dossier()
    client.force_login(people["reception"])

    response = client.post(reverse("payments:counter-payment", args=[dossier.pk]), {"method": CounterMethod.CASH})

    assert response.status_code == 302
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.provider, payment.status, payment.applied, payment.recorded_by) == (
        "counter",
        PaymentStatus.PAID,
        True,
        people["reception"],
    )
    dossier.refresh_from_db()
    assert dossier.fee_status == FeeStatus.PAID
    assert dossier.events.get(action=Action.PAY).actor == people["reception"]
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == [f"Đã ghi nhận thu phí, lệ phí hồ sơ {dossier.code}: biên lai số 0000001."]

    # A second post (a double click) records nothing and says why
    response = client.post(reverse("payments:counter-payment", args=[dossier.pk]), {"method": CounterMethod.CASH})
    assert [str(m) for m in client.get(response.url).context["messages"]] == ["Phí, lệ phí của hồ sơ đã được nộp."]
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_a_counter_payment_needs_a_method_and_a_reception_officer_of_the_agency(client):
    dossier, people = counter_dossier()
    url = reverse("payments:counter-payment", args=[dossier.pk])

    client.force_login(people["reception"])
    response = client.post(url, {"method": "vang"})
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        "Hãy chọn hình thức thu: tiền mặt hoặc thẻ."
    ]
    client.force_login(people["processing"])
    response = client.post(url, {"method": CounterMethod.CARD})
    assert "Bạn không có quyền" in str(list(client.get(response.url).context["messages"])[0])
    client.force_login(UserFactory(reception_officer=True))  # another agency's
    assert client.post(url, {"method": CounterMethod.CARD}).status_code == 404
    client.force_login(UserFactory(citizen=True))
    assert client.post(url, {"method": CounterMethod.CARD}).status_code == 403
    assert not Payment.objects.exists()


def test_receipts_are_numbered_per_agency_and_year():
    first, people = counter_dossier()
    second, _ = counter_dossier(agency=first.agency)
    other, other_people = counter_dossier()

    numbers = [
        services.payment_record_counter(dossier=d, officer=p["reception"], method=CounterMethod.CASH).receipt.number
        for d, p in ((first, people), (second, people), (other, other_people))
    ]

    assert numbers == [1, 2, 1]


def test_the_receipt_prints_the_payment_and_is_downloaded_by_its_dossiers_people(client, fee_dossier):
    dossier, people = fee_dossier
    payment = services.payment_start(
        dossier=dossier, payer=dossier.applicant, provider_name="vnpay", return_url="http://x/", client_ip="1.2.3.4"
    )
    services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(payment))
    receipt = Receipt.objects.get(payment=payment)

    facts = receipt_content(receipt).facts()
    assert facts["Số"] == "0000001"
    assert facts["Số tiền"] == "2.200.000 đồng"
    assert facts["Bằng chữ"] == "Hai triệu hai trăm nghìn đồng"
    assert facts["Mã hồ sơ"] == dossier.code
    assert facts["Mã giao dịch"] == f"{payment.reference} (14000001)"
    assert facts["Hình thức thanh toán"].startswith("VNPay")

    url = reverse("payments:receipt", args=[payment.reference])
    for user in (dossier.applicant, people["reception"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert f"bien-lai-{receipt.series}-0000001.pdf" in response["Content-Disposition"]
    client.force_login(UserFactory(citizen=True))
    assert client.get(url).status_code == 404


def test_a_payment_without_receipt_has_no_download(client, fee_dossier):
    dossier, _people = fee_dossier
    payment = services.payment_start(
        dossier=dossier, payer=dossier.applicant, provider_name="vnpay", return_url="http://x/", client_ip="1.2.3.4"
    )
    client.force_login(dossier.applicant)
    assert client.get(reverse("payments:receipt", args=[payment.reference])).status_code == 404


def test_a_counter_refund_is_handed_back_at_the_desk_and_recorded(client):
    # Given a fee taken at the desk for a dossier then refused, whose procedure refunds it
    dossier, people = counter_dossier()
    payment = services.payment_record_counter(dossier=dossier, officer=people["reception"], method=CounterMethod.CASH)
    # (received at the counter, it is refused on the specialist's proposal, approved: no longer at the desk)
    dossier = dossier_services.dossier_forward(
        dossier=dossier, officer=people["reception"], assignee=people["processing"]
    )
    dossier = dossier_services.dossier_propose(
        dossier=dossier, officer=people["processing"], outcome=Outcome.REFUSAL, note="Sai thẩm quyền"
    )
    dossier_services.dossier_approve(dossier=dossier, approver=people["approver"])
    payment = services.payment_request_refund(payment=payment, reason=RefundReason.DOSSIER_CLOSED)

    # When the refund is sent, the desk is told to hand the money back
    payment = services.payment_send_refund(payment=payment)
    assert payment.status == PaymentStatus.REFUND_PENDING

    # And when the officer records it, the payment and the dossier say refunded
    client.force_login(people["reception"])
    response = client.post(reverse("payments:counter-refund", args=[payment.reference]))
    assert response.status_code == 302
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.status, dossier.fee_status) == (PaymentStatus.REFUNDED, FeeStatus.REFUNDED)
    assert dossier.events.get(action=Action.REFUND).actor == people["reception"]
