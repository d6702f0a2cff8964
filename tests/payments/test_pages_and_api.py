"""The fee on the pages and in the API: "Thanh toán" where the fee is due (the review page of an application whose
fee is paid with it, the applicant's dossier page), the officer's payment panel and counter form, the queues' fee
column and filter, and /api/v1/payments/."""

import pytest
from django.conf import settings
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.constants import Action, DossierStatus, FeeStatus, FeeTiming
from payments import services
from payments.constants import CounterMethod, PaymentStatus
from payments.models import Payment
from tests.factories import DossierFactory, ProcedureFactory, UserFactory, dossier_in_status, pdf_upload

from .conftest import FEE, bank_result, start_payment

pytestmark = pytest.mark.django_db


def paid(payment):
    services.payment_handle_notification(provider_name="vnpay", parameters=bank_result(payment))
    payment.refresh_from_db()
    return payment


# --- the applicant -------------------------------------------------------------------------------------------


def test_the_review_page_offers_to_submit_and_pay_a_fee_due_with_the_application(client):
    procedure = ProcedureFactory(fee=FEE, fee_timing=FeeTiming.SUBMISSION, full_online=True)
    draft, _people = dossier_in_status(DossierStatus.DRAFT, procedure=procedure)
    dossier_services.dossier_add_documents(
        dossier=draft,
        applicant=draft.applicant,
        required_document=procedure.documents.get(),
        files=[pdf_upload()],
    )
    client.force_login(draft.applicant)

    page = client.get(reverse("dossiers:apply-review", args=[procedure.code, draft.pk])).content.decode()

    assert "Nộp hồ sơ và thanh toán" in page and "2.200.000 đồng" in page
    response = client.post(reverse("payments:submit-and-pay", args=[draft.pk]), {"provider": "vnpay"})

    draft.refresh_from_db()
    payment = Payment.objects.get(dossier=draft)
    assert (draft.status, payment.status) == (DossierStatus.SUBMITTED, PaymentStatus.PENDING)
    assert response.status_code == 302 and response.url == payment.redirect_url
    assert response.url.startswith(settings.VNPAY["PAYMENT_URL"])


def test_a_free_procedure_shows_no_fee_panel(client):
    draft, _people = dossier_in_status(DossierStatus.DRAFT)
    client.force_login(draft.applicant)
    page = client.get(reverse("dossiers:apply-review", args=[draft.procedure.code, draft.pk])).content.decode()
    assert "Nộp hồ sơ và thanh toán" not in page
    submitted, _people = dossier_in_status(DossierStatus.SUBMITTED)
    client.force_login(submitted.applicant)
    assert 'id="thanh-toan"' not in client.get(reverse("dossiers:my-dossier", args=[submitted.pk])).content.decode()


def test_the_dossier_page_offers_payment_while_the_fee_is_due_then_the_receipt(client, fee_dossier):
    dossier, _people = fee_dossier
    client.force_login(dossier.applicant)
    url = reverse("dossiers:my-dossier", args=[dossier.pk])

    page = client.get(url).content.decode()
    assert 'id="thanh-toan"' in page and "Chưa nộp phí" in page
    assert reverse("payments:start", args=[dossier.pk]) in page

    response = client.post(reverse("payments:start", args=[dossier.pk]), {"provider": "vnpay"})
    payment = Payment.objects.get(dossier=dossier)
    assert response.status_code == 302 and response.url == payment.redirect_url
    assert "đang chờ cổng thanh toán xác nhận" in client.get(url).content.decode()

    paid(payment)
    page = client.get(url).content.decode()
    assert "Đã nộp phí" in page
    assert reverse("payments:start", args=[dossier.pk]) not in page
    assert reverse("payments:receipt", args=[payment.reference]) in page
    # The timeline names the payment
    assert "2.200.000 đồng – VNPay" in page.split('id="timeline-title"')[1]


def test_someone_elses_dossier_cannot_be_paid_from_here(client, fee_dossier):
    dossier, _people = fee_dossier
    client.force_login(UserFactory(citizen=True))
    assert client.post(reverse("payments:start", args=[dossier.pk])).status_code == 404
    assert client.post(reverse("payments:submit-and-pay", args=[dossier.pk])).status_code == 404
    assert not Payment.objects.exists()


def test_a_payment_refused_by_the_workflow_is_told_on_the_dossier_page(client):
    dossier, _people = dossier_in_status(
        DossierStatus.RECEIVED, procedure=ProcedureFactory(fee=FEE, fee_timing=FeeTiming.AFTER_RECEPTION)
    )
    client.force_login(dossier.applicant)

    response = client.post(reverse("payments:start", args=[dossier.pk]), {"provider": "vnpay"})

    assert response.status_code == 302 and response.url == reverse("dossiers:my-dossier", args=[dossier.pk])
    assert [str(m) for m in client.get(response.url).context["messages"]] == [
        "Hồ sơ không có khoản phí, lệ phí phải nộp lúc này."
    ]
    assert not Payment.objects.exists()


def test_a_fee_asked_after_reception_is_paid_and_processing_resumes(client):
    # Given a received dossier whose fee is paid after reception, and reception asking for it from its page
    dossier, people = dossier_in_status(
        DossierStatus.RECEIVED, procedure=ProcedureFactory(fee=FEE, fee_timing=FeeTiming.AFTER_RECEPTION)
    )
    client.force_login(people["reception"])
    response = client.post(
        reverse("dossiers:officer-action", args=[dossier.pk, Action.REQUEST_PAYMENT]),
        {"request_payment-note": "Nộp trong 5 ngày"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PAYMENT_REQUESTED

    # When the applicant pays online
    client.force_login(dossier.applicant)
    assert (
        reverse("payments:start", args=[dossier.pk])
        in client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    )
    paid(start_payment(dossier))

    # Then the dossier is back where it stopped
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_status, dossier.paused_at) == (DossierStatus.RECEIVED, FeeStatus.PAID, None)


# --- the officer ---------------------------------------------------------------------------------------------


def test_the_officer_sees_the_payments_and_records_a_fee_at_the_desk(client):
    procedure = ProcedureFactory(fee=FEE, fee_timing=FeeTiming.HAND_BACK)
    dossier, people = dossier_in_status(DossierStatus.RESULT_READY, procedure=procedure)
    url = reverse("dossiers:officer-dossier", args=[dossier.pk])

    client.force_login(people["processing"])
    page = client.get(url).content.decode()
    assert "Phí, lệ phí" in page and "Ghi nhận thu phí tại quầy" not in page

    client.force_login(people["reception"])
    page = client.get(url).content.decode()
    assert reverse("payments:counter-payment", args=[dossier.pk]) in page
    client.post(reverse("payments:counter-payment", args=[dossier.pk]), {"method": CounterMethod.CARD})
    page = client.get(url).content.decode()
    assert "Đã nộp phí" in page and "Biên lai số 0000001" in page
    assert "Ghi nhận thu phí tại quầy" not in page
    # The result can now be handed back
    assert dossier_services.dossier_deliver(dossier=dossier, officer=people["reception"]).status == "returned"


def test_the_queues_show_and_filter_by_fee(client, reception_officer):
    procedure = ProcedureFactory(agency=reception_officer.agency, fee=FEE)
    unpaid = DossierFactory(procedure=procedure, fee=FEE, fee_status=FeeStatus.UNPAID)
    settled = DossierFactory(procedure=procedure, fee=FEE, fee_status=FeeStatus.PAID)
    free = DossierFactory(procedure=procedure)
    client.force_login(reception_officer)
    queue = reverse("dossiers:officer-queue", args=["new"])

    page = client.get(queue).content.decode()
    assert f'data-fee="{FeeStatus.UNPAID}"' in page and "Chưa nộp phí" in page and "Đã nộp phí" in page

    def codes(**filters):
        return sorted(row["code"] for row in client.get(queue, filters).context["rows"])

    assert codes(fee=FeeStatus.PAID) == [settled.code]
    assert codes(fee=FeeStatus.UNPAID) == [unpaid.code]
    assert codes() == sorted([unpaid.code, settled.code, free.code])
    refused = client.get(queue, {"fee": "mien"})
    assert "Tình trạng nộp phí không hợp lệ." in refused.content.decode()


# --- the API -------------------------------------------------------------------------------------------------


def test_the_api_starts_a_payment_and_shows_it(api_client, fee_dossier):
    dossier, people = fee_dossier
    api_client.force_authenticate(dossier.applicant)

    response = api_client.post("/api/v1/payments/", {"dossier": dossier.code, "provider": "vnpay"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    payment = Payment.objects.get(dossier=dossier)
    assert (body["reference"], body["dossier"], body["amount"], body["status"]) == (
        payment.reference,
        dossier.code,
        FEE,
        "pending",
    )
    assert body["payment_url"] == payment.redirect_url
    assert response["Location"] == f"/api/v1/payments/{payment.reference}/"

    paid(payment)
    body = api_client.get(f"/api/v1/payments/{payment.reference}/").json()
    assert (body["status"], body["payment_url"]) == ("paid", None)
    assert body["receipt"]["number"] == "0000001"
    listed = api_client.get("/api/v1/payments/", {"dossier": dossier.code}).json()
    assert [p["reference"] for p in listed["results"]] == [payment.reference]

    # The officer reads it without the payer's link; another citizen does not find it
    api_client.force_authenticate(people["reception"])
    assert api_client.get(f"/api/v1/payments/{payment.reference}/").json()["payment_url"] is None
    api_client.force_authenticate(UserFactory(citizen=True))
    assert api_client.get(f"/api/v1/payments/{payment.reference}/").status_code == 404
    assert api_client.get("/api/v1/payments/").json()["results"] == []


def test_the_api_refuses_a_fee_not_due_and_a_stranger(api_client, fee_dossier):
    dossier, people = fee_dossier
    api_client.force_authenticate(people["reception"])
    response = api_client.post("/api/v1/payments/", {"dossier": dossier.code}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_permitted"

    api_client.force_authenticate(UserFactory(citizen=True))
    assert api_client.post("/api/v1/payments/", {"dossier": dossier.code}, format="json").status_code == 404
    api_client.force_authenticate(dossier.applicant)
    bad = api_client.post("/api/v1/payments/", {"dossier": dossier.code, "provider": "counter"}, format="json")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert not Payment.objects.exists()

    paid(start_payment(dossier))
    again = api_client.post("/api/v1/payments/", {"dossier": dossier.code}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "fee_not_due"


def test_the_api_records_a_fee_taken_at_the_desk(api_client):
    dossier, people = dossier_in_status(
        DossierStatus.RESULT_READY, procedure=ProcedureFactory(fee=FEE, fee_timing=FeeTiming.HAND_BACK)
    )
    api_client.force_authenticate(dossier.applicant)
    body = {"dossier": dossier.code, "method": CounterMethod.CASH}
    assert api_client.post("/api/v1/payments/counter/", body, format="json").status_code == 404

    api_client.force_authenticate(people["reception"])
    response = api_client.post("/api/v1/payments/counter/", body, format="json")

    assert response.status_code == 201
    assert (response.json()["provider"], response.json()["status"]) == ("counter", "paid")
    assert api_client.post("/api/v1/payments/counter/", body, format="json").status_code == 409


def test_the_schema_documents_the_payment_endpoints(api_client):
    paths = api_client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert {"/api/v1/payments/", "/api/v1/payments/{reference}/", "/api/v1/payments/counter/"} <= set(paths)
    assert {"201", "404", "409"} <= set(paths["/api/v1/payments/"]["post"]["responses"])
