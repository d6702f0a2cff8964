"""The applicant choosing the post: the structured address on the application page (checked, nothing saved when
refused), the carrier's postage quoted over real HTTP by the sandbox carrier (as the page's small fetch asks for it,
and again when the draft is saved), the carrier down while quoting (a clear message; the counter still works), and
the hand-over's side of the postage: a prepaid postage unpaid holds it, a postage paid on delivery is collected by
the carrier."""

import uuid

import pytest
from django.urls import reverse

from dossiers.constants import DeliveryMethod, DossierStatus, PostagePayment, PostageStatus
from dossiers.models import Dossier
from postal import services
from postal.constants import MessageKind, MessageOutcome
from postal.models import CarrierMessage, Shipment
from procedures.models import PostalAddress
from tests.factories import (
    CommuneFactory,
    UserFactory,
    dossier_in_status,
    pdf_upload,
    send_by_post,
)

from .conftest import POSTAGE_WITHIN_PROVINCE

pytestmark = pytest.mark.django_db(transaction=True)


def application(commune, **overrides):
    data = {
        "client_token": str(uuid.uuid4()),
        "action": "save",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 5 Lê Lợi",
        "delivery_method": DeliveryMethod.POSTAL,
        "address_commune": str(commune.pk),
        "address_street": "Số 12 đường Lý Bôn",
        "address_receiver_name": "Trần Thị Bình",
        "address_receiver_phone": "0987 654 321",
        "postage_payment": PostagePayment.PREPAID,
    }
    return {**data, **overrides}


def apply_url(procedure):
    return reverse("dossiers:apply", args=[procedure.code])


def test_the_applicant_chooses_the_post_with_a_structured_address_and_the_carrier_quotes_it(
    client, citizen, procedure, commune, carrier
):
    client.force_login(citizen)

    response = client.post(apply_url(procedure), application(commune))

    assert response.status_code == 302
    dossier = Dossier.objects.select_related("postal_address__commune").get()
    address = dossier.postal_address
    assert (address.commune, address.street, address.receiver_name, address.receiver_phone) == (
        commune,
        "Số 12 đường Lý Bôn",
        "Trần Thị Bình",
        "0987654321",
    )
    assert dossier.delivery_address == "Số 12 đường Lý Bôn, Phường Vũ Phúc, Hưng Yên"
    assert (dossier.postage, dossier.postage_payment, dossier.postage_status) == (
        POSTAGE_WITHIN_PROVINCE,
        PostagePayment.PREPAID,
        PostageStatus.UNPAID,
    )
    # The draft's page shows it again, with the saved address.
    page = client.get(response["Location"]).content.decode()
    assert "20.000 đồng" in page and "Số 12 đường Lý Bôn" in page


def test_saving_again_rewrites_the_drafts_own_address_and_leaving_the_post_clears_the_postage(
    client, citizen, procedure, commune, carrier
):
    client.force_login(citizen)
    data = application(commune)
    client.post(apply_url(procedure), data)
    dossier = Dossier.objects.get()

    client.post(f"{apply_url(procedure)}?ho_so={dossier.pk}", {**data, "address_street": "Số 1 Trần Thủ Độ"})
    client.post(
        f"{apply_url(procedure)}?ho_so={dossier.pk}",
        {**data, "delivery_method": DeliveryMethod.COUNTER, "postage_payment": ""},
    )

    dossier.refresh_from_db()
    assert PostalAddress.objects.get().street == "Số 1 Trần Thủ Độ"
    assert (dossier.delivery_method, dossier.delivery_address, dossier.postage, dossier.postage_status) == (
        DeliveryMethod.COUNTER,
        "",
        0,
        PostageStatus.NONE,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address_commune": "999999"}, "Chọn xã, phường nhận trong danh sách."),
        ({"address_commune": ""}, "Chọn xã, phường nhận trong danh sách."),
        ({"address_receiver_phone": "09123"}, "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ({"address_street": ""}, "Cần nhập số nhà, đường."),
        ({"postage_payment": ""}, "Chọn cách trả cước bưu chính."),
    ],
)
def test_a_bad_address_is_refused_in_vietnamese_and_nothing_is_saved(
    client, citizen, procedure, commune, change, message
):
    client.force_login(citizen)

    response = client.post(apply_url(procedure), application(commune, **change))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Dossier.objects.exists()
    assert not PostalAddress.objects.exists()


def test_an_inactive_commune_is_refused_by_the_service_too(citizen, procedure, commune):
    from django.core.exceptions import ValidationError

    from dossiers import services as dossier_services

    commune.is_active = False
    commune.save()

    with pytest.raises(ValidationError, match="Chọn xã, phường nhận trong danh sách."):
        dossier_services.dossier_apply(
            applicant=citizen,
            procedure=procedure,
            client_token=uuid.uuid4(),
            form_data={},
            delivery_method=DeliveryMethod.POSTAL,
            postal_address={
                "commune_id": commune.pk,
                "street": "Số 5",
                "receiver_name": "An",
                "receiver_phone": "0912345678",
            },
            postage_payment=PostagePayment.COD,
            submit=False,
        )
    assert not Dossier.objects.exists()


def test_the_carrier_down_while_quoting_is_said_plainly_and_the_counter_is_still_open(
    client, citizen, procedure, commune, carrier
):
    client.force_login(citizen)
    carrier.switch(down=True)
    data = application(commune)

    refused = client.post(apply_url(procedure), data)

    assert refused.status_code == 200
    assert "Chưa tính được cước bưu chính: dịch vụ của bưu điện đang gián đoạn." in refused.content.decode()
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()

    saved = client.post(apply_url(procedure), {**data, "delivery_method": DeliveryMethod.COUNTER})

    assert saved.status_code == 302
    assert Dossier.objects.get().delivery_method == DeliveryMethod.COUNTER


def test_a_draft_saved_to_the_same_commune_keeps_its_postage_without_the_carrier(
    client, citizen, procedure, commune, carrier
):
    client.force_login(citizen)
    component = procedure.documents.get()
    data = application(commune)
    client.post(apply_url(procedure), {**data, f"doc_{component.pk}": pdf_upload()})
    dossier = Dossier.objects.get()
    document = dossier.documents.get()
    draft_url = f"{apply_url(procedure)}?ho_so={dossier.pk}"
    carrier.switch(down=True)

    removed = client.post(draft_url, {**data, "remove": str(document.pk)})
    saved = client.post(draft_url, {**data, "address_street": "Số 1 Trần Thủ Độ"})

    assert removed.status_code == 302 and saved.status_code == 302
    dossier.refresh_from_db()
    assert not dossier.documents.exists()
    assert (dossier.postage, dossier.delivery_address) == (
        POSTAGE_WITHIN_PROVINCE,
        "Số 1 Trần Thủ Độ, Phường Vũ Phúc, Hưng Yên",
    )
    # Another commune, or the submission, asks the carrier again: refused while it is down, nothing changed.
    moved = client.post(draft_url, {**data, "address_commune": str(CommuneFactory().pk)})
    submitted = client.post(draft_url, {**data, "action": "submit"})
    for refused in (moved, submitted):
        assert refused.status_code == 200
        assert "dịch vụ của bưu điện đang gián đoạn" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.is_draft and dossier.postal_address.commune == commune


def test_the_page_asks_the_postage_as_soon_as_a_commune_is_chosen(client, citizen, procedure, commune, carrier):
    url = reverse("dossiers:postage-quote", args=[procedure.code])
    client.force_login(citizen)

    answer = client.get(url, {"xa": commune.pk})
    assert answer.status_code == 200
    assert "20.000 đồng" in answer.content.decode() and "nội tỉnh" in answer.content.decode()

    assert client.get(url, {"xa": "abc"}).status_code == 400
    assert client.get(url, {"xa": CommuneFactory(is_active=False).pk}).status_code == 400
    carrier.switch(down=True)
    # The same pair of communes is answered from the cache, without the carrier (which is down now).
    kept = client.get(url, {"xa": commune.pk})
    assert kept.status_code == 200 and "20.000 đồng" in kept.content.decode()
    down = client.get(url, {"xa": CommuneFactory().pk})
    assert down.status_code == 503
    assert "dịch vụ của bưu điện đang gián đoạn" in down.content.decode()


def test_the_quote_is_asked_of_the_carrier_when_the_cache_is_down(procedure, commune, carrier, own_redis):
    from dossiers.postage import postage_quote_cached

    own_redis.kill()

    quote = postage_quote_cached(agency=procedure.agency, address=PostalAddress(commune=commune))

    assert quote.amount == POSTAGE_WITHIN_PROVINCE


def test_the_postage_asked_too_often_is_refused_in_vietnamese(client, citizen, procedure, commune, carrier):
    from dossiers.views.postage import QUOTES_PER_WINDOW

    url = reverse("dossiers:postage-quote", args=[procedure.code])
    client.force_login(citizen)
    for _attempt in range(QUOTES_PER_WINDOW):
        assert client.get(url, {"xa": commune.pk}).status_code == 200

    refused = client.get(url, {"xa": commune.pk})

    assert refused.status_code == 429
    assert "Bạn đã hỏi cước quá nhiều lần" in refused.content.decode()
    client.force_login(UserFactory(citizen=True))  # the limit is the user's own
    assert client.get(url, {"xa": commune.pk}).status_code == 200


def test_the_postage_is_asked_only_by_a_signed_in_user(client, procedure, commune):
    response = client.get(reverse("dossiers:postage-quote", args=[procedure.code]), {"xa": commune.pk})

    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_a_different_province_is_priced_in_another_zone(client, citizen, procedure, carrier):
    far = CommuneFactory(province__code="79", province__name="Thành phố Hồ Chí Minh")
    client.force_login(citizen)

    answer = client.get(reverse("dossiers:postage-quote", args=[procedure.code]), {"xa": far.pk})

    assert "33.000 đồng" in answer.content.decode() and "liên tỉnh xa" in answer.content.decode()


def _postal_result(procedure, commune, postage_payment):
    dossier, officers = dossier_in_status(DossierStatus.RESULT_READY, procedure=procedure)
    return send_by_post(dossier, postage_payment=postage_payment, commune=commune), officers


def test_a_prepaid_postage_still_unpaid_holds_the_hand_over(procedure, commune):
    from django.core.exceptions import ValidationError

    dossier, officers = _postal_result(procedure, commune, PostagePayment.PREPAID)

    with pytest.raises(ValidationError, match="chưa trả cước bưu chính"):
        services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    assert not Shipment.objects.exists()


def test_a_postage_paid_on_delivery_is_collected_by_the_carrier_from_the_structured_receiver(
    procedure, commune, carrier
):
    dossier, officers = _postal_result(procedure, commune, PostagePayment.COD)

    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    services.shipment_send(shipment=shipment)

    shipment.refresh_from_db()
    assert (shipment.receiver_name, shipment.receiver_phone, shipment.cod_amount) == (
        "Trần Thị Bình",
        "0987654321",
        POSTAGE_WITHIN_PROVINCE,
    )
    assert shipment.receiver_address == "Số 12 đường Lý Bôn, Phường Vũ Phúc, Hưng Yên"
    sent = CarrierMessage.objects.get(kind=MessageKind.CREATE, outcome=MessageOutcome.ANSWERED)
    assert sent.parameters["_sent"]["body"]["CodAmount"] == POSTAGE_WITHIN_PROVINCE


def _api_submission(procedure, commune_code: str, **overrides):
    data = {
        "procedure": procedure.code,
        "form_data": "{}",
        "delivery_method": DeliveryMethod.POSTAL,
        "postal_commune": commune_code,
        "postal_street": "Số 3 Lý Bôn",
        "postal_receiver_name": "Trần Thị Bình",
        "postal_receiver_phone": "0987654321",
        "postage_payment": PostagePayment.COD,
    }
    return {**data, **overrides}


def test_the_api_takes_the_structured_address_and_quotes_the_postage(api_client, citizen, procedure, commune, carrier):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/dossiers/",
        _api_submission(procedure, commune.code),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 201, response.json()
    dossier = Dossier.objects.get()
    assert (dossier.postage, dossier.postage_payment, dossier.postage_status) == (
        POSTAGE_WITHIN_PROVINCE,
        PostagePayment.COD,
        PostageStatus.NONE,
    )
    assert dossier.delivery_address == "Số 3 Lý Bôn, Phường Vũ Phúc, Hưng Yên"


def test_the_api_with_the_carrier_down_refuses_a_new_submission_but_answers_a_retried_one(
    api_client, citizen, procedure, commune, carrier
):
    api_client.force_authenticate(citizen)
    key = str(uuid.uuid4())
    created = api_client.post(
        "/api/v1/dossiers/", _api_submission(procedure, commune.code), format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )
    carrier.switch(down=True)

    retried = api_client.post(
        "/api/v1/dossiers/", _api_submission(procedure, commune.code), format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )
    new = api_client.post(
        "/api/v1/dossiers/",
        _api_submission(procedure, commune.code),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert (created.status_code, retried.status_code) == (201, 200)
    assert retried.json()["code"] == created.json()["code"]
    assert new.status_code >= 400 and "gián đoạn" in str(new.json())
    assert Dossier.objects.count() == 1 and PostalAddress.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"postal_commune": "00000"}, "Không có xã, phường đang áp dụng với mã “00000”."),
        ({"postal_receiver_phone": "123"}, "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
    ],
)
def test_the_api_refuses_a_bad_address_in_vietnamese(api_client, citizen, procedure, commune, change, message):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/dossiers/",
        _api_submission(procedure, commune.code, **change),
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    assert response.status_code == 400
    assert message in str(response.json())
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()


def test_reception_sees_the_postage_and_how_it_is_paid_before_handing_over(client, procedure, commune):
    dossier, officers = _postal_result(procedure, commune, PostagePayment.COD)
    client.force_login(officers["reception"])

    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()

    panel = page.split('class="panel postal-panel"')[1]
    assert "20.000 đồng – Trả tiền mặt cho bưu tá khi nhận" in panel
    assert "Số 12 đường Lý Bôn, Phường Vũ Phúc, Hưng Yên" in panel


def test_the_quote_reads_the_commune_and_the_agency_in_a_few_queries(
    client, citizen, procedure, commune, carrier, django_assert_max_num_queries
):
    client.force_login(citizen)
    url = reverse("dossiers:postage-quote", args=[procedure.code])

    # session, user and roles; the procedure with its agency and documents; the commune and the agency's, each with
    # its province
    with django_assert_max_num_queries(7):
        assert client.get(url, {"xa": commune.pk}).status_code == 200
