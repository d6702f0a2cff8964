"""A result sent by post through the sandbox carrier over real HTTP: the reception officer hands it over from the
officer dossier page, the shipment is ordered from the carrier (retried while the carrier is down, one parcel
whatever happens), the dossier is handed back with the carrier's tracking number, and the carrier's signed
notifications follow the parcel, on the officer's and the applicant's pages, until delivered or returned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.constants import Action, DeliveryMethod, DossierStatus
from dossiers.models import DossierEvent
from postal import services
from postal.carriers import CarrierUnavailable, registry
from postal.constants import MessageOutcome, ShipmentStatus
from postal.models import CarrierMessage, Shipment
from sandboxes.carrier.models import Parcel
from tests.factories import UserFactory


def hand_over(client, dossier, officer):
    client.force_login(officer)
    return client.post(reverse("postal:hand-over", args=[dossier.pk]))


def sent_shipment(client, dossier, officer) -> Shipment:
    """Handed over on the page, then ordered from the carrier as the worker does."""
    hand_over(client, dossier, officer)
    return services.shipment_send(shipment=Shipment.objects.get(dossier=dossier))


def test_the_officer_hands_the_result_to_the_post_and_the_carrier_delivers_it(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    client.force_login(officers["reception"])
    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk]))
    assert "Giao kết quả cho bưu điện" in page.content.decode()

    response = hand_over(client, dossier, officers["reception"])

    assert response.status_code == 302
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.status == ShipmentStatus.REQUESTED and not shipment.tracking_number
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY  # not handed back until the carrier has the parcel

    shipment = services.shipment_send(shipment=shipment)

    assert shipment.status == ShipmentStatus.ACCEPTED
    assert shipment.tracking_number.startswith("EL") and shipment.tracking_number.endswith("VN")
    assert carrier.parcel(shipment.tracking_number)["OrderCode"] == shipment.reference
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.postal_tracking_number == shipment.tracking_number
    deliver = DossierEvent.objects.get(dossier=dossier, action=Action.DELIVER)
    assert deliver.extra_data["postal_tracking_number"] == shipment.tracking_number
    assert deliver.actor == officers["reception"]

    for _ in range(4):  # picked up, in transit, out for delivery, delivered
        assert carrier.move(shipment.tracking_number, "advance") == 200  # back on the control page

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED and shipment.delivered_at
    assert list(shipment.events.values_list("status", flat=True)) == [
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELIVERED,
    ]
    assert all(
        answers == [200] for answers in (e["answers"] for e in carrier.parcel(shipment.tracking_number)["events"][1:])
    )
    client.force_login(dossier.applicant)
    page = client.get(reverse("dossiers:my-dossier", args=[dossier.pk])).content.decode()
    assert shipment.tracking_number in page and "Đã giao" in page and "Đang vận chuyển" in page


def test_a_second_hand_over_is_refused(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    hand_over(client, dossier, officers["reception"])

    response = hand_over(client, dossier, officers["reception"])

    assert response.status_code == 302
    assert Shipment.objects.filter(dossier=dossier).count() == 1
    page = client.get(response.url).content.decode()
    assert "đã được giao cho bưu điện" in page


def test_the_carrier_down_at_hand_over_is_retried_and_makes_one_parcel(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    carrier.switch(down=True)

    hand_over(client, dossier, officers["reception"])
    shipment = Shipment.objects.get(dossier=dossier)
    with pytest.raises(CarrierUnavailable):
        services.shipment_send(shipment=shipment)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.REQUESTED and shipment.send_attempts == 1
    assert "503" in shipment.last_error
    assert CarrierMessage.objects.get(shipment=shipment).outcome == MessageOutcome.UNAVAILABLE
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RESULT_READY
    assert services.shipments_send_pending(now=timezone.now() + timedelta(minutes=3)) == {"sent": 0, "unreachable": 1}

    carrier.switch(down=False)
    # The carrier took an order whose answer was lost on the way back: the retry gets the same parcel.
    lost = registry.get("vnpost").create(shipment=shipment)
    counts = services.shipments_send_pending(now=timezone.now() + timedelta(minutes=3))

    assert counts == {"sent": 1, "unreachable": 0}
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ACCEPTED and shipment.tracking_number == lost.tracking_number
    assert Parcel.objects.filter(order_code=shipment.reference).count() == 1
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.DELIVER).count() == 1
    # Sent again (a late task run): nothing more.
    services.shipment_send(shipment=shipment)
    assert Parcel.objects.count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.DELIVER).count() == 1


def test_a_failed_delivery_returns_the_work_to_reception(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    shipment = sent_shipment(client, dossier, officers["reception"])
    for step in ("advance", "advance", "advance", "fail"):
        carrier.move(shipment.tracking_number, step)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.FAILED_ATTEMPT

    carrier.move(shipment.tracking_number, "return")

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.RETURNED_TO_SENDER and shipment.returned_at
    client.force_login(officers["reception"])
    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()
    assert "Gửi lại qua bưu điện" in page and "Đã chuyển hoàn về cơ quan" in page

    response = client.post(reverse("postal:resend", args=[shipment.pk]))

    assert response.status_code == 302
    again = Shipment.objects.exclude(pk=shipment.pk).get(dossier=dossier)
    again = services.shipment_send(shipment=again)
    assert again.status == ShipmentStatus.ACCEPTED and again.tracking_number != shipment.tracking_number
    assert DossierEvent.objects.filter(dossier=dossier, action=Action.DELIVER).count() == 1  # handed back once
    # The old parcel cannot be sent a second time.
    client.post(reverse("postal:resend", args=[shipment.pk]))
    assert Shipment.objects.filter(dossier=dossier).count() == 2


def test_only_the_agencys_reception_hands_over(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    other_agency_reception = UserFactory(reception_officer=True)

    for user in (dossier.applicant, officers["processing"], other_agency_reception):
        client.force_login(user)
        assert client.post(reverse("postal:hand-over", args=[dossier.pk])).status_code == 404

    assert not Shipment.objects.exists()


def test_a_dossier_not_sent_by_post_is_refused(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    dossier.__class__.objects.filter(pk=dossier.pk).update(delivery_method="counter")

    response = hand_over(client, dossier, officers["reception"])

    assert "không chọn nhận kết quả qua bưu chính" in client.get(response.url).content.decode()
    assert not Shipment.objects.exists()


def test_reception_lists_the_parcels_waiting_for_it(client, postal_dossier, carrier):
    dossier, officers = postal_dossier
    shipment = sent_shipment(client, dossier, officers["reception"])
    url = reverse("postal:awaiting-reception")
    client.force_login(officers["reception"])
    assert url in client.get(reverse("dossiers:officer-home")).content.decode()
    assert dossier.code not in client.get(url).content.decode()

    carrier.move(shipment.tracking_number, "return")

    page = client.get(url).content.decode()
    assert dossier.code in page and shipment.tracking_number in page
    client.post(reverse("postal:resend", args=[shipment.pk]))
    assert dossier.code not in client.get(url).content.decode()  # sent again: nothing waits

    for user in (dossier.applicant, officers["processing"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(UserFactory(reception_officer=True))  # another agency's reception
    assert dossier.code not in client.get(url).content.decode()


def test_the_applicant_at_the_counter_is_refused_while_the_result_is_with_the_post(client, postal_dossier):
    dossier, officers = postal_dossier
    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception"])  # queued for the carrier
    refused = "Kết quả của hồ sơ này đã được giao cho bưu điện nên không trả tại quầy được; " + (
        "chỉ khi bưu gửi bị chuyển hoàn hoặc huỷ."
    )
    client.force_login(officers["reception"])
    page_url = reverse("dossiers:officer-action", args=[dossier.pk, "deliver"])

    page = client.post(page_url, {"deliver-counter_pickup": "on"}, follow=True)
    api = APIClient()
    api.force_authenticate(user=officers["reception"])
    answer = api.post(f"/api/v1/dossiers/{dossier.code}/deliver/", {"counter_pickup": True})

    assert refused in [str(m) for m in page.context["messages"]]
    assert (answer.status_code, answer.json()) == (409, {"code": "result_with_post", "detail": refused})
    dossier.refresh_from_db()
    assert (dossier.status, dossier.delivery_method) == (DossierStatus.RESULT_READY, DeliveryMethod.POSTAL)
    assert not DossierEvent.objects.filter(dossier=dossier, action=Action.DELIVER).exists()

    # The parcel cancelled (or returned): the result is at the desk again, and the applicant takes it there.
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.CANCELLED)
    assert api.post(f"/api/v1/dossiers/{dossier.code}/deliver/", {"counter_pickup": True}).status_code == 200
    dossier.refresh_from_db()
    assert (dossier.status, dossier.delivery_method) == (DossierStatus.RETURNED, DeliveryMethod.COUNTER)
