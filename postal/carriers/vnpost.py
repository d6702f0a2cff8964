"""The national public postal service (VNPost), as the portal relies on it (docs/postal.md): JSON over HTTPS with the
customer's token in a header; an order keyed by the customer's order code (our shipment's idempotency key, so a
repeated order returns the parcel already made); the parcel's item code as tracking number; status notifications
POSTed to the customer's registered address, signed with HMAC-SHA256 of the raw body under the customer's webhook
secret, each event with an id and a per-parcel sequence number.

settings.VNPOST: CUSTOMER_CODE, API_TOKEN, WEBHOOK_SECRET, API_URL, TIMEOUT (seconds)."""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..constants import RESULT_WEIGHT_GRAMS, ShipmentStatus
from .base import Carrier, CarrierUnavailable, Notification, ParcelAnswer, PriceAnswer, mask
from .registry import register

SIGNATURE_HEADER = "X-VNPost-Signature"
# The carrier's status codes and what they mean to the portal.
STATUSES = {
    "ACCEPTED": ShipmentStatus.ACCEPTED,
    "PICKED_UP": ShipmentStatus.PICKED_UP,
    "IN_TRANSIT": ShipmentStatus.IN_TRANSIT,
    "DELIVERING": ShipmentStatus.OUT_FOR_DELIVERY,
    "DELIVERED": ShipmentStatus.DELIVERED,
    "DELIVERY_FAILED": ShipmentStatus.FAILED_ATTEMPT,
    "PICKUP_FAILED": ShipmentStatus.FAILED_ATTEMPT,  # a pickup: the sender was not found; collected again later
    "RETURNED": ShipmentStatus.RETURNED_TO_SENDER,
    "CANCELLED": ShipmentStatus.CANCELLED,
}


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@register
class VNPostCarrier(Carrier):
    name = "vnpost"
    label = _("Bưu điện Việt Nam (VNPost)")

    def __init__(self):
        self.config = settings.VNPOST

    def _call(self, method: str, path: str, payload: dict | None = None) -> dict:
        url = f"{self.config['API_URL'].rstrip('/')}{path}"
        body = json.dumps(payload).encode() if payload is not None else None
        request = Request(  # noqa: S310 (the configured carrier address)
            url,
            data=body,
            method=method,
            headers={"Content-Type": "application/json", "Token": self.config["API_TOKEN"]},
        )
        sent = {"method": method, "path": path, "body": payload or {}}
        try:
            with urlopen(request, timeout=self.config.get("TIMEOUT", 10)) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except HTTPError as error:
            raise CarrierUnavailable(f"HTTP {error.code}", mask(sent)) from error
        except (URLError, OSError, ValueError) as error:
            raise CarrierUnavailable(f"{type(error).__name__}: {error}"[:200], mask(sent)) from error
        if not isinstance(answer, dict) or answer.get("Code") != "00":
            raise CarrierUnavailable(f"refused: {answer!r}"[:200], mask({**sent, "answer": answer}))
        return {**answer, "_sent": mask(sent)}

    def _parcel(self, answer: dict) -> ParcelAnswer:
        status = STATUSES.get(answer.get("Status", ""))
        if status is None or not answer.get("ItemCode"):
            raise CarrierUnavailable(f"unusable answer: {answer!r}"[:200], mask(answer))
        return ParcelAnswer(
            reference=answer.get("OrderCode", ""),
            tracking_number=answer["ItemCode"],
            status=status,
            parameters=mask(answer),
        )

    def create(self, *, shipment) -> ParcelAnswer:
        dossier = shipment.dossier
        agency = dossier.procedure.agency
        payload = {
            "CustomerCode": self.config["CUSTOMER_CODE"],
            "OrderCode": shipment.reference,
            "Sender": {"Name": f"Bộ phận Một cửa - {agency.name}", "Address": agency.address},
            "Receiver": {
                "Name": shipment.receiver_name,
                "Phone": shipment.receiver_phone,
                "Address": shipment.receiver_address,
            },
            "Content": f"Kết quả hồ sơ {dossier.code}",
            "ServiceType": "DOCUMENT",
            "Weight": RESULT_WEIGHT_GRAMS,
            # Collected from the receiver at the door and paid over to the agency (0: nothing to collect).
            "CodAmount": shipment.cod_amount,
        }
        return self._parcel(self._call("POST", "/orders", payload))

    def cancel(self, *, shipment) -> ParcelAnswer:
        return self._parcel(self._call("POST", f"/orders/{shipment.reference}/cancel", {}))

    def create_pickup(self, *, pickup) -> ParcelAnswer:
        shipment, address = pickup.shipment, pickup.address
        payload = {
            "CustomerCode": self.config["CUSTOMER_CODE"],
            "OrderCode": shipment.reference,
            "PickupAddress": {
                "Name": address.receiver_name,
                "Phone": address.receiver_phone,
                "Address": address.one_line,
                "ProvinceCode": address.commune.province.code,
                "CommuneCode": address.commune.code,
            },
            "Receiver": {"Name": shipment.receiver_name, "Address": shipment.receiver_address},
            "Content": f"Hồ sơ giấy: {pickup.procedure.name}"[:255],
            "ServiceType": "DOCUMENT",
        }
        return self._parcel(self._call("POST", "/pickups", payload))

    def cancel_pickup(self, *, pickup) -> ParcelAnswer:
        return self._parcel(self._call("POST", f"/pickups/{pickup.shipment.reference}/cancel", {}))

    def query(self, *, shipment) -> ParcelAnswer:
        return self._parcel(self._call("GET", f"/orders/{shipment.reference}"))

    def quote(self, *, sender_commune, receiver_commune, weight_grams: int) -> PriceAnswer:
        payload = {
            "CustomerCode": self.config["CUSTOMER_CODE"],
            "SenderProvinceCode": sender_commune.province.code,
            "SenderCommuneCode": sender_commune.code,
            "ReceiverProvinceCode": receiver_commune.province.code,
            "ReceiverCommuneCode": receiver_commune.code,
            "Weight": weight_grams,
            "ServiceType": "DOCUMENT",
        }
        answer = self._call("POST", "/prices", payload)
        amount = answer.get("TotalFee")
        if not isinstance(amount, int) or amount < 0 or not answer.get("Zone"):
            raise CarrierUnavailable(f"unusable price: {answer!r}"[:200], mask(answer))
        return PriceAnswer(amount=amount, zone=str(answer["Zone"]), weight_grams=weight_grams, parameters=mask(answer))

    def read_notification(self, *, body: bytes, headers: Mapping) -> Notification:
        signature = headers.get(SIGNATURE_HEADER, "")
        signature_valid = bool(signature) and hmac.compare_digest(sign(self.config["WEBHOOK_SECRET"], body), signature)
        try:
            data = json.loads(body.decode())
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            data = {}
        try:
            occurred_at = datetime.fromisoformat(data.get("OccurredAt", ""))
            sequence = int(data.get("Sequence", 0))
        except (TypeError, ValueError):
            occurred_at, sequence = None, 0
        return Notification(
            signature_valid=signature_valid,
            sender_valid=data.get("CustomerCode") == self.config["CUSTOMER_CODE"],
            reference=str(data.get("OrderCode", "")),
            tracking_number=str(data.get("ItemCode", "")),
            event_id=str(data.get("EventId", ""))[:64],
            sequence=sequence,
            status=STATUSES.get(data.get("Status", ""), ""),
            occurred_at=occurred_at if occurred_at and occurred_at.tzinfo else None,
            note=str(data.get("Note", ""))[:255],
            parameters=mask({**data, SIGNATURE_HEADER: signature}),
        )
