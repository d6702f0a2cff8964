"""The public lookup (page and API) shows a postal dossier's parcels: direction, status and the carrier's timeline,
never who receives it or where (no name, address, phone, tracking number); in a constant number of queries, and a
new carrier event shows at once despite the lookup's cache."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.lookup import dossier_public_lookup
from postal.constants import Direction, ShipmentStatus
from postal.models import Shipment, ShipmentEvent
from tests.factories import dossier_in_status

from .conftest import ADDRESS
from .test_result_by_post import sent_shipment

API_URL = "/api/v1/lookup/"


def lookups(client, api_client, dossier, address):
    query = {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]}
    page = client.post(reverse("dossiers:lookup"), query, REMOTE_ADDR=address).content.decode()
    api = api_client.post(API_URL, query, format="json", REMOTE_ADDR=address).json()
    return page, api


def test_the_lookup_shows_the_parcel_and_the_carriers_timeline_and_nothing_personal(
    client, api_client, postal_dossier, carrier
):
    dossier, officers = postal_dossier
    shipment = sent_shipment(client, dossier, officers["reception"])
    client.logout()
    page, api = lookups(client, api_client, dossier, "10.7.0.1")
    assert [parcel["status"] for parcel in api["sections"]["postal"]] == [ShipmentStatus.ACCEPTED]

    for _ in range(4):  # picked up, in transit, out for delivery, delivered: each shows at once (the cache forgets)
        carrier.move(shipment.tracking_number, "advance")
    page, api = lookups(client, api_client, dossier, "10.7.0.2")

    (parcel,) = api["sections"]["postal"]
    assert (parcel["direction"], parcel["status"], parcel["status_label"]) == ("result", "delivered", "Đã giao")
    assert parcel["direction_label"] == "Chuyển kết quả đến người nộp"
    assert [event["status"] for event in parcel["events"]] == [
        "picked_up",
        "in_transit",
        "out_for_delivery",
        "delivered",
    ]
    assert all(event["at"] for event in parcel["events"])
    section = page.split('class="lookup-parcel"')[1]
    assert "<strong>Đã giao</strong>" in section and section.count("lookup-timeline__item") == 4
    answer = json.dumps(api, ensure_ascii=False)
    personal = (ADDRESS, "Lê Lợi", dossier.applicant_name, dossier.applicant_phone, shipment.tracking_number)
    for value in filter(None, personal):
        assert value not in page and value not in answer


def _parcel(dossier, *, events: int, status=ShipmentStatus.RETURNED_TO_SENDER):
    shipment = Shipment.objects.create(
        dossier=dossier,
        carrier="vnpost",
        status=status,
        tracking_number=f"EL{Shipment.objects.count():09d}VN",
        receiver_name="Nguyễn Văn An",
        receiver_address=ADDRESS,
        requested_by=dossier.events.first().actor,
    )
    for sequence in range(1, events + 1):
        ShipmentEvent.objects.create(
            shipment=shipment,
            event_id=f"{shipment.tracking_number}-{sequence}",
            sequence=sequence,
            status=ShipmentStatus.IN_TRANSIT,
            occurred_at=timezone.now(),
        )
    return shipment


@pytest.mark.django_db
def test_the_lookup_reads_the_parcels_in_one_query_whatever_their_number(postal_dossier, django_assert_num_queries):
    dossier, _officers = postal_dossier
    factor = dossier.applicant_id_number[-4:]
    # the dossier's shown columns on its timeline, then its parcels each joined with its events
    with django_assert_num_queries(2):
        assert dossier_public_lookup(code=dossier.code, second_factor=factor).sections == ()
    _parcel(dossier, events=1)
    with django_assert_num_queries(2):
        found = dossier_public_lookup(code=dossier.code, second_factor=factor)
    assert [len(parcel["events"]) for _name, parcels in found.sections for parcel in parcels] == [1]

    _parcel(dossier, events=5)
    _parcel(dossier, events=0, status=ShipmentStatus.REQUESTED)
    with django_assert_num_queries(2):
        found = dossier_public_lookup(code=dossier.code, second_factor=factor)
    ((name, parcels),) = found.sections
    assert name == "postal" and [len(parcel["events"]) for parcel in parcels] == [1, 5, 0]
    assert {parcel["direction"] for parcel in parcels} == {Direction.RESULT}


@pytest.mark.django_db
def test_a_dossier_neither_sent_nor_collected_by_post_costs_no_postal_query(django_assert_num_queries):
    dossier, _officers = dossier_in_status("received")
    # the dossier's shown columns on its timeline, and nothing else
    with django_assert_num_queries(1):
        found = dossier_public_lookup(code=dossier.code, second_factor=dossier.applicant_id_number[-4:])
    assert found.sections == ()
