"""Dossiers collected by post: a signed-in citizen orders a pickup through the sandbox carrier over real HTTP (kept
and retried while the carrier is down, exactly one parcel), follows it, may cancel it before collection; the pickup's
notifications are verified like a shipment's (forged, replayed, out of order); reception links the paper dossier to
the order at intake (from the list or by the code on the parcel; another agency's order refused; once only)."""

import re
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.constants import Channel, DeliveryMethod, DossierStatus
from dossiers.error_codes import ErrorCode
from dossiers.models import Dossier
from postal import pickups, services
from postal.carriers import CarrierUnavailable
from postal.carriers.vnpost import VNPostCarrier
from postal.constants import Direction, MessageOutcome, ShipmentStatus
from postal.models import CarrierMessage, PickupOrder, Shipment, ShipmentEvent
from procedures.models import PostalAddress
from sandboxes.carrier.models import Parcel
from tests.concurrency import run_at_once
from tests.factories import CommuneFactory, ProcedureFactory, UserFactory, citizen_id_for, dossier_in_status

from .test_notifications import event


@pytest.fixture
def procedure(db):
    return ProcedureFactory(accepts_postal=True, delivers_at_counter=True, agency__address="Số 1 Trần Hưng Đạo")


@pytest.fixture
def citizen(db):
    return UserFactory(citizen=True, phone="0912345678")


@pytest.fixture
def commune(db):
    return CommuneFactory(name="Hạc Thành")


def order_data(place, **overrides) -> dict:
    return {
        "commune": place.pk,
        "street": "Số 5 đường Lê Lợi",
        "receiver_name": "Nguyễn Văn An",
        "receiver_phone": "0912 345 678",
        "note": "Có nhà sau 17 giờ",
        **overrides,
    }


def order(client, citizen, procedure, place, **overrides):
    client.force_login(citizen)
    return client.post(reverse("postal:pickup-new", args=[procedure.code]), order_data(place, **overrides))


def ordered(client, citizen, procedure, commune) -> PickupOrder:
    """Ordered on the page, then sent to the carrier as the worker does."""
    order(client, citizen, procedure, commune)
    pickup = PickupOrder.objects.filter(applicant=citizen).first()  # the newest
    services.shipment_send(shipment=pickup.shipment)
    pickup.shipment.refresh_from_db()
    return pickup


def test_the_citizen_orders_a_pickup_and_follows_the_post_collecting_it(client, citizen, procedure, commune, carrier):
    page = client.get(reverse("procedures:detail", args=[procedure.code])).content.decode()
    assert reverse("postal:pickup-new", args=[procedure.code]) in page

    response = order(client, citizen, procedure, commune)

    pickup = PickupOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse("postal:pickup", args=[pickup.pk])
    shipment = pickup.shipment
    assert (shipment.direction, shipment.status, shipment.dossier) == (Direction.DOSSIER_PICKUP, "requested", None)
    assert shipment.receiver_name == f"Bộ phận Một cửa - {procedure.agency.name}"
    assert (pickup.address.commune, pickup.address.receiver_phone, pickup.note) == (
        commune,
        "0912345678",
        "Có nhà sau 17 giờ",
    )

    shipment = services.shipment_send(shipment=shipment)

    assert shipment.status == ShipmentStatus.ACCEPTED and shipment.tracking_number
    parcel = carrier.parcel(shipment.tracking_number)
    assert (parcel["Kind"], parcel["OrderCode"]) == ("pickup", shipment.reference)
    ordered_at_carrier = Parcel.objects.get(item_code=shipment.tracking_number).order
    assert ordered_at_carrier["PickupAddress"]["Address"] == f"Số 5 đường Lê Lợi, {commune.full_name}"
    assert carrier.move(shipment.tracking_number, "fail") == 200  # nobody at home
    assert carrier.move(shipment.tracking_number, "collect") == 200

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.PICKED_UP
    assert list(shipment.events.values_list("status", flat=True)) == ["failed_attempt", "picked_up"]
    detail = client.get(reverse("postal:pickup", args=[pickup.pk])).content.decode()
    assert "Bưu điện đã nhận bưu gửi" in detail and shipment.tracking_number in detail
    assert "Không gặp người gửi" in detail  # the carrier's note on the failed attempt
    assert "Huỷ yêu cầu thu gom" not in detail  # collected: no cancelling
    listing = client.get(reverse("postal:pickups")).content.decode()
    assert procedure.name in listing and shipment.tracking_number in listing


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"street": ""}, "street", "Cần nhập số nhà, đường."),
        ({"receiver_phone": "12345"}, "receiver_phone", "Số điện thoại gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."),
        ({"commune": "999999"}, "commune", "Chọn xã, phường nhận trong danh sách."),
        ({"note": "x" * 300}, "note", "Ghi chú dài quá 255 ký tự."),
    ],
    ids=["street", "phone", "commune", "note"],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_is_saved(
    client, citizen, procedure, commune, overrides, field, message
):
    response = order(client, citizen, procedure, commune, **overrides)

    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert errors and (message is None or errors == [message])
    assert not PickupOrder.objects.exists() and not Shipment.objects.exists() and not PostalAddress.objects.exists()


def test_a_procedure_not_taking_dossiers_by_post_has_no_pickup(client, citizen, commune):
    other = ProcedureFactory(accepts_postal=False)
    client.force_login(citizen)
    assert client.get(reverse("postal:pickup-new", args=[other.code])).status_code == 404
    assert order(client, citizen, other, commune).status_code == 404


def test_a_second_open_order_for_the_same_procedure_is_refused(client, citizen, procedure, commune, carrier):
    order(client, citizen, procedure, commune)
    again = order(client, citizen, procedure, commune)

    assert again.status_code == 400
    assert "Bạn đã có một đơn thu gom hồ sơ của thủ tục này đang chờ bưu điện." in again.content.decode()
    assert PickupOrder.objects.count() == 1


def test_others_are_refused(client, citizen, procedure, commune, carrier):
    pickup = ordered(client, citizen, procedure, commune)
    other = UserFactory(citizen=True)
    client.force_login(other)

    assert client.get(reverse("postal:pickup", args=[pickup.pk])).status_code == 404
    assert client.post(reverse("postal:pickup-cancel", args=[pickup.pk])).status_code == 404
    assert client.get(reverse("postal:pickups")).context["pickups"] == []
    client.force_login(UserFactory(reception_officer=True, agency=procedure.agency))
    assert client.get(reverse("postal:pickup-new", args=[procedure.code])).status_code == 403
    assert client.get(reverse("postal:pickups")).status_code == 403
    client.logout()
    assert client.get(reverse("postal:pickup", args=[pickup.pk])).status_code == 302  # to sign in
    pickup.shipment.refresh_from_db()
    assert pickup.shipment.status == ShipmentStatus.ACCEPTED


def messages_of(response) -> list[str]:
    """The messages a redirect carries, read by following it (with any left from ordering the pickup)."""
    return [str(m) for m in response.client.get(response.url).context["messages"]]


def test_the_citizen_cancels_before_collection_not_after(client, citizen, procedure, commune, carrier):
    pickup = ordered(client, citizen, procedure, commune)

    response = client.post(reverse("postal:pickup-cancel", args=[pickup.pk]))

    assert response.status_code == 302
    assert messages_of(response)[-1] == "Đã huỷ yêu cầu thu gom hồ sơ."
    pickup.shipment.refresh_from_db()
    assert pickup.shipment.status == ShipmentStatus.CANCELLED
    assert carrier.parcel(pickup.shipment.tracking_number)["Status"] == "CANCELLED"

    second = ordered(client, citizen, procedure, commune)  # the cancelled one no longer counts as open
    carrier.move(second.shipment.tracking_number, "collect")
    client.post(reverse("postal:pickup-cancel", args=[second.pk]))
    second.shipment.refresh_from_db()
    assert second.shipment.status == ShipmentStatus.PICKED_UP


def test_the_carrier_down_at_order_time_keeps_the_order_and_the_job_makes_exactly_one(
    client, citizen, procedure, commune, carrier
):
    carrier.switch(down=True)
    order(client, citizen, procedure, commune)
    shipment = PickupOrder.objects.get().shipment

    with pytest.raises(CarrierUnavailable):
        services.shipment_send(shipment=shipment)
    later = timezone.now() + timedelta(minutes=3)
    assert services.shipments_send_pending(now=later) == {"sent": 0, "unreachable": 1}
    shipment.refresh_from_db()
    assert (shipment.status, shipment.send_attempts) == (ShipmentStatus.REQUESTED, 2)

    carrier.switch(down=False)
    assert services.shipments_send_pending(now=later) == {"sent": 1, "unreachable": 0}
    services.shipment_send(shipment=shipment)  # the task's retry arriving late: nothing more
    assert services.shipments_send_pending(now=later) == {"sent": 0, "unreachable": 0}

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.ACCEPTED
    assert Parcel.objects.filter(order_code=shipment.reference).count() == 1
    outcomes = list(shipment.messages.filter(kind="create").values_list("outcome", flat=True))
    assert outcomes == [MessageOutcome.UNAVAILABLE, MessageOutcome.UNAVAILABLE, MessageOutcome.ANSWERED]


# --- notifications ------------------------------------------------------------------------------------


@pytest.fixture
def pickup(client, citizen, procedure, commune, carrier) -> PickupOrder:
    return ordered(client, citizen, procedure, commune)


@pytest.mark.parametrize(
    "forgery",
    [{"secret": "not-the-customers-secret"}, {"CustomerCode": "KHACH-KHAC"}, {"ItemCode": "EL999999999VN"}],
    ids=["signature", "sender", "tracking-number"],
)
def test_a_forged_pickup_notification_changes_nothing(pickup, carrier, forgery):
    secret = forgery.pop("secret", None)

    assert carrier.notify(event(pickup.shipment, status="DELIVERED", **forgery), secret=secret) == 400

    pickup.shipment.refresh_from_db()
    assert pickup.shipment.status == ShipmentStatus.ACCEPTED
    assert not ShipmentEvent.objects.exists()
    assert CarrierMessage.objects.get(kind="notification").outcome == MessageOutcome.REJECTED


def test_a_replayed_pickup_notification_is_recorded_once(pickup, carrier):
    carrier.move(pickup.shipment.tracking_number, "collect", notify="twice")

    shipment = Shipment.objects.get(pk=pickup.shipment_id)
    assert shipment.status == ShipmentStatus.PICKED_UP and shipment.events.count() == 1
    outcomes = list(CarrierMessage.objects.filter(kind="notification").values_list("outcome", flat=True))
    assert outcomes == [MessageOutcome.APPLIED, MessageOutcome.DUPLICATE]


def test_pickup_notifications_out_of_order_end_on_the_newest(pickup, carrier):
    code = pickup.shipment.tracking_number
    for step in ("collect", "advance", "advance", "advance"):  # collected, in transit, on its way, at the desk
        carrier.move(code, step, notify="hold")
    carrier.release(code)  # newest first

    shipment = Shipment.objects.get(pk=pickup.shipment_id)
    assert shipment.status == ShipmentStatus.DELIVERED and shipment.delivered_at
    assert shipment.events.count() == 4
    outcomes = list(CarrierMessage.objects.filter(kind="notification").values_list("outcome", flat=True))
    assert outcomes == [MessageOutcome.APPLIED] + [MessageOutcome.STALE] * 3


# --- reception links the paper dossier ---------------------------------------------------------------


def intake_url(procedure) -> str:
    return f"{reverse('dossiers:officer-intake')}?procedure={procedure.pk}"


def intake(client, officer, procedure, **overrides):
    client.force_login(officer)
    data = {
        "client_token": str(uuid.uuid4()),
        "channel": Channel.POSTAL,
        "applicant_type": 1,
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": citizen_id_for(515151),
        "applicant_phone": "0912345678",
        "delivery_method": DeliveryMethod.COUNTER,
        **overrides,
    }
    return client.post(intake_url(procedure), data)


def offered_pickups(page: str) -> list[str]:
    """The pickup orders the intake form's choice offers (the page has other selects with small numbers too)."""
    select = re.search(r'<select name="pickup".*?</select>', page, re.DOTALL)
    return re.findall(r'<option value="(\d+)"', select.group(0)) if select else []


@pytest.fixture
def reception(procedure):
    return UserFactory(reception_officer=True, agency=procedure.agency)


def test_reception_links_the_paper_dossier_at_intake(client, pickup, carrier, reception, procedure):
    carrier.move(pickup.shipment.tracking_number, "collect")
    client.force_login(reception)
    form = client.get(intake_url(procedure)).content.decode()
    assert offered_pickups(form) == [str(pickup.pk)] and pickup.shipment.tracking_number in form

    response = intake(client, reception, procedure, pickup=pickup.pk)  # no number typed: the order gives it

    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == reverse("dossiers:officer-dossier", args=[dossier.pk])
    assert dossier.postal_tracking_number == pickup.shipment.tracking_number
    pickup.refresh_from_db()
    assert (pickup.shipment.dossier, pickup.linked_by) == (dossier, reception)
    assert pickup.linked_at is not None
    # The officer page shows the pickup's parcel; the applicant's pickup page names the dossier
    officer_page = client.get(response.url).content.decode()
    assert "Hồ sơ do bưu điện thu gom" in officer_page
    client.force_login(pickup.applicant)
    assert dossier.code in client.get(reverse("postal:pickup", args=[pickup.pk])).content.decode()
    # and a linked order is no longer offered
    client.force_login(reception)
    assert str(pickup.pk) not in offered_pickups(client.get(intake_url(procedure)).content.decode())


def test_reception_finds_the_order_by_the_code_on_the_parcel(client, pickup, reception, procedure):
    response = intake(client, reception, procedure, pickup_code=pickup.shipment.tracking_number.lower())

    assert response.status_code == 302
    assert Shipment.objects.get(pk=pickup.shipment_id).dossier == Dossier.objects.get()


def test_another_agencys_order_is_refused_and_nothing_is_recorded(client, pickup, procedure):
    elsewhere = ProcedureFactory(accepts_postal=True)
    officer = UserFactory(reception_officer=True, agency=elsewhere.agency)

    by_list = intake(client, officer, elsewhere, pickup=pickup.pk)
    by_code = intake(client, officer, elsewhere, pickup_code=pickup.shipment.tracking_number)

    for response in (by_list, by_code):
        assert response.status_code == 200
        assert "Không có đơn thu gom này trong các đơn gửi đến cơ quan." in response.content.decode()
    assert not Dossier.objects.exists()
    # Linking from the officer page of a dossier of its own agency: 404 for the other agency's order
    own = intake(client, officer, elsewhere, postal_tracking_number="EB123456789VN")
    dossier = Dossier.objects.get()
    assert own.status_code == 302
    link = client.post(reverse("postal:pickup-link", args=[dossier.pk]), {"pickup": pickup.pk})
    assert link.status_code == 404
    # and a dossier of another agency: 404 too
    client.force_login(UserFactory(reception_officer=True, agency=procedure.agency))
    assert client.post(reverse("postal:pickup-link", args=[dossier.pk]), {"pickup": pickup.pk}).status_code == 404
    assert Shipment.objects.get(pk=pickup.shipment_id).dossier is None


def test_an_order_links_once_and_a_second_intake_of_it_records_nothing(client, pickup, reception, procedure):
    intake(client, reception, procedure, pickup=pickup.pk)
    first = Dossier.objects.get()
    # Another officer who loaded the form before (the order still offered), then posts it
    second_officer = UserFactory(reception_officer=True, agency=procedure.agency)

    again = intake(client, second_officer, procedure, pickup=pickup.pk, applicant_name="Trần Thị Bình")

    assert again.status_code == 409
    assert f"Đơn thu gom {pickup.shipment.tracking_number} đã được gắn với một hồ sơ khác." in again.content.decode()
    assert list(Dossier.objects.all()) == [first]
    assert Shipment.objects.get(pk=pickup.shipment_id).dossier == first


def test_a_pickup_linked_to_a_dossier_is_not_cancelled(client, pickup, carrier, reception, procedure):
    intake(client, reception, procedure, pickup=pickup.pk)
    client.force_login(pickup.applicant)

    response = client.post(reverse("postal:pickup-cancel", args=[pickup.pk]))

    assert messages_of(response)[-1] == "Bộ phận một cửa đã tiếp nhận hồ sơ của đơn thu gom này nên không huỷ được."
    shipment = Shipment.objects.get(pk=pickup.shipment_id)
    assert (shipment.status, shipment.dossier) == (ShipmentStatus.ACCEPTED, Dossier.objects.get())
    assert carrier.parcel(shipment.tracking_number)["Status"] == "ACCEPTED"


def test_a_pickup_linked_while_the_carrier_cancels_stays_linked_and_the_applicant_is_warned(
    client, pickup, carrier, reception, procedure, monkeypatch
):
    cancel_at_carrier = VNPostCarrier.cancel_pickup

    def reception_links_meanwhile(self, *, pickup):
        answer = cancel_at_carrier(self, pickup=pickup)  # real HTTP: the sandbox cancels
        intake(Client(), reception, procedure, pickup=pickup.pk)
        return answer

    monkeypatch.setattr(VNPostCarrier, "cancel_pickup", reception_links_meanwhile)
    client.force_login(pickup.applicant)

    response = client.post(reverse("postal:pickup-cancel", args=[pickup.pk]))

    assert messages_of(response)[-1:] == [
        "Yêu cầu thu gom chưa được huỷ: đơn vừa thay đổi (bưu điện đã thu gom hồ sơ, hoặc bộ phận một cửa đã tiếp "
        "nhận hồ sơ). Hãy xem trạng thái của đơn bên dưới."
    ]
    shipment = Shipment.objects.get(pk=pickup.shipment_id)
    assert (shipment.status, shipment.dossier) == (ShipmentStatus.ACCEPTED, Dossier.objects.get())


@pytest.mark.django_db(transaction=True)
def test_two_orders_linked_to_one_dossier_at_once_one_wins(client, pickup, procedure, commune, reception):
    other = ordered(client, UserFactory(citizen=True), procedure, commune)
    dossier, _officers = dossier_in_status(DossierStatus.RECEIVED, procedure=procedure)
    first_linked = threading.Event()

    def link(index):
        if index == 0:
            with transaction.atomic():
                linked = pickups.pickup_link(pickup=pickup, dossier=dossier, officer=reception)
                first_linked.set()
                time.sleep(1)  # still uncommitted while the second officer links another order
            return linked
        first_linked.wait(timeout=10)
        return pickups.pickup_link(pickup=other, dossier=dossier, officer=reception)

    results, errors = run_at_once(2, link)

    assert [r.pk for r in results] == [pickup.pk]
    assert [str(e) for e in errors] == ["Hồ sơ này đã được gắn với một đơn thu gom."]
    assert errors[0].code == ErrorCode.ONCE_ONLY
    assert list(Shipment.objects.filter(dossier=dossier).values_list("pk", flat=True)) == [pickup.shipment_id]


def test_reception_links_a_dossier_received_without_choosing_the_order(client, pickup, reception, procedure):
    intake(client, reception, procedure, postal_tracking_number=pickup.shipment.tracking_number)
    dossier = Dossier.objects.get()
    page = client.get(reverse("dossiers:officer-dossier", args=[dossier.pk])).content.decode()
    assert reverse("postal:pickup-link", args=[dossier.pk]) in page

    response = client.post(reverse("postal:pickup-link", args=[dossier.pk]), {"pickup": pickup.pk})

    assert response.status_code == 302
    assert Shipment.objects.get(pk=pickup.shipment_id).dossier == dossier
    again = client.post(reverse("postal:pickup-link", args=[dossier.pk]), {"pickup": pickup.pk}, follow=True)
    assert "đã được gắn với một hồ sơ khác" in again.content.decode()
