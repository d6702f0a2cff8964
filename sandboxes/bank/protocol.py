"""The bank's side of VNPay's merchant protocol 2.1.0, written on its own (it shares no code with the portal's
adapter, payments/providers/vnpay.py, so a mistake in one shows as a mismatch with the other):

- the payment URL's and the return's and IPN's vnp_SecureHash: HMAC-SHA512 over the vnp_* parameters but the
  hash ones, sorted by name, `name=quote_plus(value)`, joined by "&";
- querydr and refund: HMAC-SHA512 over the request's (and the response's) fields in a fixed order, joined by "|".
"""

import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.conf import settings

GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"

QUERYDR_SIGNED = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
REFUND_SIGNED = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TransactionType",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_TransactionNo",
    "vnp_TransactionDate",
    "vnp_CreateBy",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERYDR_RESPONSE_SIGNED = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
REFUND_RESPONSE_SIGNED = QUERYDR_RESPONSE_SIGNED[:13]


def merchant(code: str) -> dict | None:
    """The merchant's registration with the bank (its secret and IPN address), or None."""
    return settings.SANDBOX_BANK["MERCHANTS"].get(code)


def hmac_sha512(secret: str, text: str) -> str:
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def query_string_hash(secret: str, parameters: dict) -> str:
    pairs = sorted(
        (name, value)
        for name, value in parameters.items()
        if name.startswith("vnp_") and name not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    return hmac_sha512(secret, "&".join(f"{name}={quote_plus(str(value))}" for name, value in pairs))


def piped_hash(secret: str, values: dict, fields: tuple[str, ...]) -> str:
    return hmac_sha512(secret, "|".join(str(values.get(name, "")) for name in fields))


def valid(expected: str, given) -> bool:
    return isinstance(given, str) and hmac.compare_digest(expected, given.lower())


def now_gmt7() -> str:
    return datetime.now(GMT7).strftime(TIME_FORMAT)


def parse_gmt7(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None
