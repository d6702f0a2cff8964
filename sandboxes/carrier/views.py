"""The sandbox carrier over HTTP, as a customer sees VNPost (docs/postal.md):

- POST prices (JSON, `Token` header): the postage of a document parcel by weight and provinces (tariff.py);
- POST orders (JSON, `Token` header): order a parcel, keyed by the customer's OrderCode (the same order twice is the
  same parcel); GET orders/<OrderCode>: the parcel; POST orders/<OrderCode>/cancel: cancel it before pickup;
- POST pickups: a parcel to collect at the PickupAddress and carry to the customer's Receiver (a paper dossier),
  keyed the same way; POST pickups/<OrderCode>/cancel: cancel it before it is collected;
- each status change notified to the customer's registered address, signed (protocol.py);
- dieu-khien/: the switches (the carrier down: every API call answers 503) and the parcels, each with buttons to
  advance, fail or return it (a pickup: collect it, or fail to), its notification sent at once, twice, or held;
  held ones are released newest first (out of order); buu-gui/<item_code>.json: one parcel with its events and the
  customer's answers.
"""

import json
import logging
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import tariff
from .models import ITEM_CODE_BASE, Parcel, ParcelEvent, SentNotification, Switch
from .protocol import FINAL, NEXT, SIGNATURE_HEADER, customer, signed_body

logger = logging.getLogger(__name__)
WEBHOOK_TIMEOUT_SECONDS = 10
SWITCHES = {"down": "Bưu điện không phản hồi (mọi lời gọi API trả 503)"}


def _is_down() -> bool:
    return Switch.objects.filter(name="down", on=True).exists()


def _answer(parcel: Parcel) -> dict:
    return {"Code": "00", "OrderCode": parcel.order_code, "ItemCode": parcel.item_code, "Status": parcel.status}


def _authenticated(request) -> str | None:
    """The customer code whose token the request carries, or None."""
    token = request.headers.get("Token", "")
    try:
        code = json.loads(request.body or b"{}").get("CustomerCode", "") if request.method == "POST" else ""
    except ValueError:
        code = ""
    for name, registration in settings.SANDBOX_CARRIER["CUSTOMERS"].items():
        if token and token == registration["TOKEN"] and (not code or code == name):
            return name
    return None


def _api(view):
    """The carrier's API: 503 when down, 401 without a customer's token."""

    def wrapped(request, *args, **kwargs):
        if _is_down():
            return JsonResponse({"Code": "99", "Message": "service unavailable"}, status=503)
        customer_code = _authenticated(request)
        if customer_code is None:
            return JsonResponse({"Code": "01", "Message": "invalid token"}, status=401)
        return view(request, customer_code, *args, **kwargs)

    return csrf_exempt(wrapped)


@_api
@require_POST
def create_order(request, customer_code: str):
    return _place(request, customer_code, kind=Parcel.DELIVERY, parties=("Receiver",))


@_api
@require_POST
def create_pickup(request, customer_code: str):
    return _place(request, customer_code, kind=Parcel.PICKUP, parties=("PickupAddress", "Receiver"))


def _place(request, customer_code: str, *, kind: str, parties: tuple[str, ...]):
    """One order, keyed by the customer's OrderCode: the same order twice is the same parcel."""
    try:
        order = json.loads(request.body)
        order_code = str(order["OrderCode"])
        if not all(order[party].get("Name") and order[party].get("Address") for party in parties):
            raise ValueError("party")
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"Code": "02", "Message": "invalid order"}, status=400)
    existing = Parcel.objects.filter(customer=customer_code, order_code=order_code).first()
    if existing:
        return JsonResponse(_answer(existing))
    try:
        with transaction.atomic():
            parcel = Parcel.objects.create(customer=customer_code, kind=kind, order_code=order_code, order=order)
            parcel.item_code = f"EL{ITEM_CODE_BASE + parcel.pk:09d}VN"
            parcel.save(update_fields=["item_code"])
            ParcelEvent.objects.create(parcel=parcel, sequence=1, status="ACCEPTED")
    except IntegrityError:  # the same order at the same moment: one parcel
        parcel = Parcel.objects.get(customer=customer_code, order_code=order_code)
    return JsonResponse(_answer(parcel))


@_api
@require_POST
def price(request, customer_code: str):
    """The postage of a document parcel between two provinces by weight (tariff.py)."""
    try:
        asked = json.loads(request.body)
        provinces = [str(asked["SenderProvinceCode"]), str(asked["ReceiverProvinceCode"])]
        if not all(code.isdigit() and len(code) == 2 for code in provinces):
            raise ValueError("province code")
        zone_index = tariff.zone(*provinces)
        amount = tariff.price(weight_grams=int(asked["Weight"]), zone_index=zone_index)
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"Code": "02", "Message": "invalid price request"}, status=400)
    return JsonResponse({"Code": "00", "TotalFee": amount, "Zone": tariff.ZONES[zone_index]})


@_api
@require_GET
def order(request, customer_code: str, order_code: str):
    return JsonResponse(_answer(get_object_or_404(Parcel, customer=customer_code, order_code=order_code)))


@_api
@require_POST
def cancel_order(request, customer_code: str, order_code: str, kind: str = Parcel.DELIVERY):
    parcel = get_object_or_404(Parcel, customer=customer_code, order_code=order_code, kind=kind)
    if parcel.status not in ("ACCEPTED", "PICKUP_FAILED"):
        return JsonResponse({"Code": "10", "Message": "already picked up"}, status=409)
    _change(parcel, "CANCELLED", note="", notify="hold")
    parcel.refresh_from_db()
    return JsonResponse(_answer(parcel))


def _send(event: ParcelEvent) -> SentNotification:
    parcel = event.parcel
    registration = customer(parcel.customer)
    payload = {
        "CustomerCode": parcel.customer,
        "OrderCode": parcel.order_code,
        "ItemCode": parcel.item_code,
        "EventId": event.event_id,
        "Sequence": event.sequence,
        "Status": event.status,
        "OccurredAt": event.occurred_at.isoformat(),
        "Note": event.note,
    }
    body, signature = signed_body(registration["SECRET"], payload)
    request = Request(  # noqa: S310 (the customer's registered address)
        registration["WEBHOOK_URL"],
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature},
    )
    record = SentNotification(event=event)
    try:
        with urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            record.http_status = response.status
    except HTTPError as error:
        record.http_status = error.code
    except (URLError, OSError) as error:
        record.error = f"{type(error).__name__}: {error}"[:255]
    record.save()
    return record


def _change(parcel: Parcel, status: str, *, note: str, notify: str) -> ParcelEvent:
    with transaction.atomic():
        parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
        sequence = (parcel.events.order_by("-sequence").values_list("sequence", flat=True).first() or 0) + 1
        parcel.status = status
        parcel.save(update_fields=["status"])
        event = ParcelEvent.objects.create(
            parcel=parcel, sequence=sequence, status=status, note=note, held=notify == "hold"
        )
    if notify in ("now", "twice"):
        for _ in range(2 if notify == "twice" else 1):
            _send(event)
    return event


@csrf_exempt  # a sandbox's switches, driven by tests over HTTP as well as by people
@require_POST
def move(request, item_code: str, step: str):
    """The switches on one parcel: advance it, fail a delivery attempt, return it to the sender; a pickup: collect
    it, or fail to (the sender was not there)."""
    parcel = get_object_or_404(Parcel, item_code=item_code)
    notify = request.POST.get("notify", "now")
    if parcel.status in FINAL:
        return JsonResponse({"Code": "10", "Message": "final"}, status=409)
    pickup = parcel.kind == Parcel.PICKUP
    if step == "advance" or (step == "collect" and pickup and parcel.status in ("ACCEPTED", "PICKUP_FAILED")):
        status, note = NEXT[parcel.status], ""
    elif step == "fail" and pickup and parcel.status == "ACCEPTED":
        status, note = "PICKUP_FAILED", request.POST.get("note", "Không gặp người gửi")
    elif step == "fail" and parcel.status == "DELIVERING":
        status, note = "DELIVERY_FAILED", request.POST.get("note", "Người nhận vắng nhà")
    elif step == "return":
        status, note = "RETURNED", request.POST.get("note", "Chuyển hoàn: không phát được")
    else:
        return JsonResponse({"Code": "10", "Message": "not allowed now"}, status=409)
    _change(parcel, status, note=note, notify=notify if notify in ("now", "twice", "hold") else "now")
    return redirect("sandbox_carrier:control")


@csrf_exempt  # a sandbox's switches, driven by tests over HTTP as well as by people
@require_POST
def release(request, item_code: str):
    """Send the parcel's held notifications, newest first: they arrive out of order."""
    parcel = get_object_or_404(Parcel, item_code=item_code)
    for event in parcel.events.filter(held=True).order_by("-sequence"):
        ParcelEvent.objects.filter(pk=event.pk).update(held=False)
        _send(event)
    return redirect("sandbox_carrier:control")


@csrf_exempt  # a sandbox's switches, driven by tests over HTTP as well as by people
@require_http_methods(["GET", "POST"])
def control(request):
    if request.method == "POST":
        for name in SWITCHES:
            Switch.objects.update_or_create(name=name, defaults={"on": request.POST.get(name) in ("1", "on", "true")})
        return redirect("sandbox_carrier:control")
    states = dict(Switch.objects.values_list("name", "on"))
    return render(
        request,
        "sandboxes/carrier/control.html",
        {
            "switches": [(name, label, states.get(name, False)) for name, label in SWITCHES.items()],
            "parcels": Parcel.objects.prefetch_related("events")[:30],
        },
    )


@require_GET
def parcel_json(request, item_code: str):
    parcel = get_object_or_404(Parcel, item_code=item_code)
    return JsonResponse(
        {
            **_answer(parcel),
            "Kind": parcel.kind,
            "events": [
                {
                    "sequence": event.sequence,
                    "status": event.status,
                    "held": event.held,
                    "answers": [sent.http_status for sent in event.notifications.order_by("id")],
                }
                for event in parcel.events.all()
            ],
        }
    )
