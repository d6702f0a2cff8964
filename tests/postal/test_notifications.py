"""The carrier's status notifications: verified before they change anything (signature under the customer's
secret, the customer code, the order code and tracking number of one shipment), a replay recorded once, an older
event arriving after a newer one kept on the timeline without moving the status back, a final status never left."""

import pytest
from django.utils import timezone

from postal import services
from postal.constants import MessageOutcome, ShipmentStatus
from postal.models import CarrierMessage, Shipment, ShipmentEvent

from .test_result_by_post import sent_shipment


@pytest.fixture
def shipment(client, postal_dossier, carrier) -> Shipment:
    dossier, officers = postal_dossier
    return sent_shipment(client, dossier, officers["reception"])


def event(shipment, *, sequence=2, status="PICKED_UP", **overrides) -> dict:
    return {
        "CustomerCode": "DVCBC01",
        "OrderCode": shipment.reference,
        "ItemCode": shipment.tracking_number,
        "EventId": f"{shipment.tracking_number}-{sequence}",
        "Sequence": sequence,
        "Status": status,
        "OccurredAt": timezone.now().isoformat(),
        "Note": "",
        **overrides,
    }


@pytest.mark.parametrize(
    "forgery",
    [
        {"secret": "not-the-customers-secret"},
        {"CustomerCode": "KHACH-KHAC"},
        {"OrderCode": "00000000-0000-0000-0000-000000000000"},
        {"ItemCode": "EL999999999VN"},
        {"Status": "TELEPORTED"},
    ],
    ids=["signature", "sender", "reference", "tracking-number", "status"],
)
def test_a_forged_notification_changes_nothing(shipment, carrier, forgery):
    secret = forgery.pop("secret", None)

    status = carrier.notify(event(shipment, status="DELIVERED", **forgery), secret=secret)

    assert status == 400
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ACCEPTED
    assert not ShipmentEvent.objects.exists()
    logged = CarrierMessage.objects.filter(kind="notification").get()
    assert logged.outcome == MessageOutcome.REJECTED
    assert logged.parameters["X-VNPost-Signature"].endswith("…")  # the signature is not kept whole


def test_an_unsigned_or_unreadable_body_is_refused(shipment, carrier, client):
    response = client.post("/buu-chinh/thong-bao/vnpost/", data=b"not json", content_type="application/json")

    assert response.status_code == 400
    assert CarrierMessage.objects.filter(kind="notification", outcome=MessageOutcome.REJECTED).count() == 1


def test_an_unknown_carrier_is_not_found(client, db):
    assert client.post("/buu-chinh/thong-bao/khong-co/", data=b"{}", content_type="application/json").status_code == 404


def test_a_notification_sent_twice_is_recorded_once(shipment, carrier):
    carrier.move(shipment.tracking_number, "advance", notify="twice")

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.PICKED_UP
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == 1
    outcomes = list(CarrierMessage.objects.filter(kind="notification").values_list("outcome", flat=True))
    assert outcomes == [MessageOutcome.APPLIED, MessageOutcome.DUPLICATE]
    # Both calls answered 200: the carrier stops sending it.
    assert carrier.parcel(shipment.tracking_number)["events"][1]["answers"] == [200, 200]


def test_a_replayed_notification_is_a_duplicate(shipment, carrier):
    payload = event(shipment)
    assert carrier.notify(payload) == 200
    carrier.notify(event(shipment, sequence=3, status="IN_TRANSIT"))

    assert carrier.notify(payload) == 200

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert CarrierMessage.objects.filter(kind="notification").last().outcome == MessageOutcome.DUPLICATE


def test_notifications_out_of_order_keep_the_newest_status(shipment, carrier):
    carrier.move(shipment.tracking_number, "advance", notify="hold")  # picked up
    carrier.move(shipment.tracking_number, "advance", notify="hold")  # in transit

    carrier.release(shipment.tracking_number)  # in transit arrives first, then picked up

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT and shipment.last_event_sequence == 3
    assert list(shipment.events.values_list("status", flat=True)) == [
        ShipmentStatus.PICKED_UP,
        ShipmentStatus.IN_TRANSIT,
    ]
    outcomes = list(CarrierMessage.objects.filter(kind="notification").values_list("outcome", flat=True))
    assert outcomes == [MessageOutcome.APPLIED, MessageOutcome.STALE]


def test_a_delivered_parcel_stays_delivered(shipment, carrier):
    for _ in range(4):
        carrier.move(shipment.tracking_number, "advance")

    carrier.notify(event(shipment, sequence=9, status="DELIVERY_FAILED"))

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED


def test_the_carrier_is_asked_and_cancels_before_pickup(shipment, carrier):
    vnpost = services.registry.get("vnpost")

    assert vnpost.query(shipment=shipment).status == ShipmentStatus.ACCEPTED
    assert vnpost.cancel(shipment=shipment).status == ShipmentStatus.CANCELLED
    assert carrier.parcel(shipment.tracking_number)["Status"] == "CANCELLED"
