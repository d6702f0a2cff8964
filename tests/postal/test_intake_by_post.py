"""The reception officer's intake of a paper dossier whose result goes back by post: the same structured address as
the application (checked, nothing saved when refused), the carrier's postage quoted over real HTTP by the sandbox
carrier and paid on delivery, the carrier down while quoting (a clear message; counter pickup still works), the
hand-over of such a dossier's result to the post, and the officer of another agency refused."""

import uuid

import pytest
from django.urls import reverse

from dossiers import services as dossier_services
from dossiers.constants import Channel, DeliveryMethod, DossierStatus, Outcome, PostagePayment, PostageStatus
from dossiers.models import Dossier
from postal import services
from postal.constants import MessageKind, MessageOutcome
from postal.models import CarrierMessage
from procedures.models import PostalAddress
from tests.factories import CommuneFactory, UserFactory, pdf_upload

from .conftest import POSTAGE_WITHIN_PROVINCE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officers(procedure):
    return {
        role: UserFactory(**{f"{role}": True}, agency=procedure.agency)
        for role in ("reception_officer", "processing_officer", "approver")
    }


def intake_url(procedure) -> str:
    return f"{reverse('dossiers:officer-intake')}?procedure={procedure.pk}"


def intake(commune, **overrides):
    data = {
        "client_token": str(uuid.uuid4()),
        "channel": Channel.COUNTER,
        "applicant_type": 1,
        "applicant_name": "Hoàng Thị Quầy",
        "applicant_phone": "0912345678",
        "delivery_method": DeliveryMethod.POSTAL,
        "address_commune": str(commune.pk),
        "address_street": "Số 12 đường Lý Bôn",
        "address_receiver_name": "Trần Thị Bình",
        "address_receiver_phone": "0987 654 321",
        "postage_payment": PostagePayment.COD,
    }
    return {**data, **overrides}


def result_ready(dossier, officers):
    """The received dossier taken through processing and approval to its result at reception."""
    dossier = dossier_services.dossier_forward(dossier=dossier, officer=officers["reception_officer"])
    processing = officers["processing_officer"]
    dossier = dossier_services.dossier_propose(
        dossier=dossier_services.dossier_take(dossier=dossier, officer=processing),
        officer=processing,
        outcome=Outcome.RESULT,
        result_file=pdf_upload("ket-qua.pdf"),
    )
    return dossier_services.dossier_approve(dossier=dossier, approver=officers["approver"])


def test_the_counter_takes_a_structured_address_and_the_post_hands_the_result_over(
    client, procedure, commune, officers, carrier, django_assert_max_num_queries
):
    client.force_login(officers["reception_officer"])
    page = client.get(intake_url(procedure)).content.decode()
    # The application's address fields; the postage only on delivery at the counter.
    assert 'name="address_commune"' in page and f'value="{PostagePayment.COD}"' in page
    assert f'value="{PostagePayment.PREPAID}"' not in page

    with django_assert_max_num_queries(32):
        response = client.post(intake_url(procedure), intake(commune))

    assert response.status_code == 302
    dossier = Dossier.objects.select_related("postal_address").get()
    address = dossier.postal_address
    assert (address.commune, address.street, address.receiver_name, address.receiver_phone) == (
        commune,
        "Số 12 đường Lý Bôn",
        "Trần Thị Bình",
        "0987654321",
    )
    assert dossier.delivery_address == "Số 12 đường Lý Bôn, Phường Vũ Phúc, Hưng Yên"
    assert (dossier.status, dossier.postage, dossier.postage_payment, dossier.postage_status) == (
        DossierStatus.RECEIVED,
        POSTAGE_WITHIN_PROVINCE,
        PostagePayment.COD,
        PostageStatus.NONE,
    )

    dossier = result_ready(dossier, officers)
    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception_officer"])
    services.shipment_send(shipment=shipment)

    shipment.refresh_from_db()
    assert (shipment.receiver_name, shipment.receiver_phone, shipment.receiver_address, shipment.cod_amount) == (
        "Trần Thị Bình",
        "0987654321",
        "Số 12 đường Lý Bôn, Phường Vũ Phúc, Hưng Yên",
        POSTAGE_WITHIN_PROVINCE,
    )
    sent = CarrierMessage.objects.get(kind=MessageKind.CREATE, outcome=MessageOutcome.ANSWERED)
    assert sent.parameters["_sent"]["body"]["CodAmount"] == POSTAGE_WITHIN_PROVINCE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"address_commune": "999999"}, "Chọn xã, phường nhận trong danh sách."),
        ({"address_commune": ""}, "Chọn xã, phường nhận trong danh sách."),
        ({"address_receiver_phone": "09123"}, "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ({"address_street": ""}, "Cần nhập số nhà, đường."),
        ({"postage_payment": PostagePayment.PREPAID}, "trả cước bưu chính khi nhận kết quả"),
    ],
)
def test_a_bad_address_is_refused_in_vietnamese_and_nothing_is_saved(
    client, procedure, commune, officers, change, message
):
    client.force_login(officers["reception_officer"])

    response = client.post(intake_url(procedure), intake(commune, **change))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()


def test_the_service_refuses_a_bad_address_too(procedure, commune, officers):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        dossier_services.dossier_record_intake(
            officer=officers["reception_officer"],
            procedure=procedure,
            client_token=uuid.uuid4(),
            channel=Channel.COUNTER,
            applicant_name="Hoàng Thị Quầy",
            delivery_method=DeliveryMethod.POSTAL,
            postal_address={
                "commune_id": CommuneFactory(is_active=False).pk,
                "street": "Số 12 đường Lý Bôn",
                "receiver_name": "Trần Thị Bình",
                "receiver_phone": "0987654321",
            },
        )
    assert "commune" in refused.value.message_dict
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()


def test_the_carrier_down_while_quoting_is_said_plainly_and_counter_pickup_still_works(
    client, procedure, commune, officers, carrier
):
    client.force_login(officers["reception_officer"])
    carrier.switch(down=True)
    data = intake(commune)

    refused = client.post(intake_url(procedure), data)

    assert refused.status_code == 200
    assert "Chưa tính được cước bưu chính: dịch vụ của bưu điện đang gián đoạn." in refused.content.decode()
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()

    taken = client.post(intake_url(procedure), {**data, "delivery_method": DeliveryMethod.COUNTER})

    assert taken.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.delivery_method, dossier.postal_address, dossier.postage) == (DeliveryMethod.COUNTER, None, 0)


def test_an_officer_of_another_agency_is_refused(client, procedure, commune):
    client.force_login(UserFactory(reception_officer=True))

    assert client.get(intake_url(procedure)).status_code == 404
    assert client.post(intake_url(procedure), intake(commune)).status_code == 404
    assert not Dossier.objects.exists() and not PostalAddress.objects.exists()
