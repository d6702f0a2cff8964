"""Shipments in the admin (look, never edit), the message log append-only, and two hand-overs at the same moment."""

import pytest
from django.urls import reverse

from postal import services
from postal.constants import MessageKind, MessageOutcome
from postal.models import CarrierMessage, Shipment
from tests.concurrency import run_at_once
from tests.factories import UserFactory


def test_system_administrators_read_shipments_and_messages_and_nobody_edits_them(client, postal_dossier):
    dossier, officers = postal_dossier
    shipment = services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    message = CarrierMessage.objects.create(
        shipment=shipment, carrier="vnpost", kind=MessageKind.CREATE, outcome=MessageOutcome.UNAVAILABLE
    )
    pages = [
        reverse("admin:postal_shipment_changelist"),
        reverse("admin:postal_shipment_change", args=[shipment.pk]),
        reverse("admin:postal_carriermessage_changelist"),
        reverse("admin:postal_carriermessage_change", args=[message.pk]),
    ]

    client.force_login(UserFactory(superuser=True))
    for page in pages:
        assert client.get(page).status_code == 200, page
    assert dossier.code in client.get(pages[0]).content.decode()
    assert client.get(reverse("admin:postal_shipment_add")).status_code == 403
    assert client.post(pages[1], {"status": "delivered"}).status_code == 403
    assert client.post(reverse("admin:postal_shipment_delete", args=[shipment.pk])).status_code == 403

    client.force_login(UserFactory(agency_admin=True))
    for page in pages:
        assert client.get(page).status_code == 403, page


def test_the_carrier_message_log_is_append_only(postal_dossier):
    message = CarrierMessage.objects.create(carrier="vnpost", kind=MessageKind.QUERY, outcome=MessageOutcome.ANSWERED)

    with pytest.raises(ValueError, match="append-only"):
        message.save()
    with pytest.raises(ValueError, match="append-only"):
        message.delete()


@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_at_once_make_one_shipment(postal_dossier):
    dossier, officers = postal_dossier

    results, errors = run_at_once(
        2, lambda i: services.shipment_hand_over(dossier=dossier, officer=officers["reception"])
    )

    assert len(results) == 1 and len(errors) == 1
    assert "đã được giao cho bưu điện" in str(errors[0])
    assert Shipment.objects.filter(dossier=dossier).count() == 1
