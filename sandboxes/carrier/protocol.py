"""The carrier's side of its protocol, written apart from the portal's adapter (postal/carriers/vnpost.py): the
customers it knows (settings.SANDBOX_CARRIER) and how it signs a notification (HMAC-SHA256 of the raw body)."""

import hashlib
import hmac
import json

from django.conf import settings

SIGNATURE_HEADER = "X-VNPost-Signature"
# Where a parcel goes next when it is advanced; a failed attempt is delivered (or collected) again.
NEXT = {
    "ACCEPTED": "PICKED_UP",
    "PICKUP_FAILED": "PICKED_UP",
    "PICKED_UP": "IN_TRANSIT",
    "IN_TRANSIT": "DELIVERING",
    "DELIVERING": "DELIVERED",
    "DELIVERY_FAILED": "DELIVERING",
}
FINAL = ("DELIVERED", "RETURNED", "CANCELLED")


def customer(code: str) -> dict | None:
    return settings.SANDBOX_CARRIER["CUSTOMERS"].get(code)


def signed_body(secret: str, payload: dict) -> tuple[bytes, str]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return body, hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
