"""The applicant changes how the result goes back until the result is ready (/ho-so-cua-toi/<id>/nhan-ket-qua/):
to the post with a structured address (quoted by the sandbox carrier over real HTTP), back to the counter; refused
once the result is ready, to another citizen and to officers."""

import pytest
from django.urls import reverse

from dossiers.constants import DeliveryMethod, DossierStatus, PostagePayment, PostageStatus
from dossiers.models import Dossier
from tests.factories import UserFactory, dossier_in_status

from .conftest import POSTAGE_WITHIN_PROVINCE
from .test_postal_application import application

pytestmark = pytest.mark.django_db(transaction=True)


def delivery_url(dossier):
    return reverse("dossiers:my-dossier-delivery", args=[dossier.pk])


def to_post(commune, **overrides):
    fields = ("delivery_method", "address_commune", "address_street", "address_receiver_name")
    data = {name: value for name, value in application(commune).items() if name in fields}
    return {**data, "address_receiver_phone": "0987654321", "postage_payment": PostagePayment.COD, **overrides}


def test_the_applicant_moves_to_the_post_then_back_to_the_counter(client, procedure, commune, carrier):
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, procedure=procedure)
    assert dossier.delivery_method == DeliveryMethod.COUNTER
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    assert delivery_url(dossier) in page

    response = client.post(delivery_url(dossier), to_post(commune))

    assert response.status_code == 302
    dossier = Dossier.objects.select_related("postal_address").get(pk=dossier.pk)
    assert dossier.delivery_method == DeliveryMethod.POSTAL
    assert dossier.postal_address.street == "Số 12 đường Lý Bôn"
    assert (dossier.postage, dossier.postage_payment, dossier.postage_status) == (
        POSTAGE_WITHIN_PROVINCE,
        PostagePayment.COD,
        PostageStatus.NONE,
    )

    client.post(delivery_url(dossier), {"delivery_method": DeliveryMethod.COUNTER})
    dossier.refresh_from_db()
    assert (dossier.delivery_method, dossier.delivery_address, dossier.postage) == (DeliveryMethod.COUNTER, "", 0)


def test_the_post_without_a_commune_is_refused_in_vietnamese(client, procedure, commune):
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, procedure=procedure)
    client.force_login(dossier.applicant)

    response = client.post(delivery_url(dossier), to_post(commune, address_commune=""))

    assert response.status_code == 200
    assert "xã, phường" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.delivery_method == DeliveryMethod.COUNTER and dossier.postal_address_id is None


def test_no_change_once_the_result_is_ready(client, procedure):
    dossier, _officers = dossier_in_status(DossierStatus.RESULT_READY, procedure=procedure)
    client.force_login(dossier.applicant)

    shown = client.get(delivery_url(dossier), follow=True).content.decode()
    client.post(delivery_url(dossier), {"delivery_method": DeliveryMethod.POSTAL})

    assert "Không đổi được cách nhận kết quả nữa" in shown
    assert delivery_url(dossier) not in client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    dossier.refresh_from_db()
    assert dossier.delivery_method == DeliveryMethod.COUNTER


def test_another_citizen_and_officers_get_404(client, procedure):
    dossier, officers = dossier_in_status(DossierStatus.RECEIVED, procedure=procedure)
    for someone in (UserFactory(citizen=True), officers["reception"]):
        client.force_login(someone)
        assert client.get(delivery_url(dossier)).status_code == 404
        assert client.post(delivery_url(dossier), {"delivery_method": DeliveryMethod.COUNTER}).status_code == 404
