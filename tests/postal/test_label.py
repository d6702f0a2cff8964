"""The envelope slip: the reception officer prints it from the postal panel once the result is handed over; it
names the sender's one-stop desk, the receiver, the dossier code (with the QR code to its lookup) and the carrier's
tracking number. Nobody else opens it."""

from django.urls import reverse

from dossiers.pdf import lookup_url
from postal import services
from postal.label import label_content
from tests.factories import UserFactory

from .conftest import ADDRESS


def test_the_slip_names_sender_receiver_contents_and_tracking_number(client, postal_dossier):
    dossier, officers = postal_dossier
    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    shipment.tracking_number = "EL100000042VN"

    content = label_content(shipment)

    facts = content.facts()
    assert facts["Số hiệu bưu gửi"] == "EL100000042VN"
    assert facts["Mã hồ sơ"] == dossier.code
    assert facts["Họ và tên"] == dossier.applicant_name
    assert facts["Địa chỉ"] == ADDRESS  # the receiver's, printed after the sender's
    assert dossier.agency.name in facts["Tên"]
    assert content.qr_url == lookup_url(dossier.code)


def test_the_reception_officer_prints_the_slip_and_others_cannot(client, postal_dossier):
    dossier, officers = postal_dossier
    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    url = reverse("postal:label", args=[shipment.pk])

    client.force_login(officers["reception"])
    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()
    response = client.get(url)

    assert url in page
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    for user in (dossier.applicant, officers["processing"], UserFactory(reception_officer=True)):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
