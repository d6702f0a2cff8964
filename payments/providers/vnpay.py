"""VNPay, merchant protocol version 2.1.0 (what this relies on, and where it was checked: docs/payments.md).

- Payment: the payer is sent to PAYMENT_URL with the vnp_* parameters (amount × 100, dates yyyyMMddHHmmss in
  GMT+7) and vnp_SecureHash, the HMAC-SHA512 (key: the hash secret) of the parameters sorted by name, each
  `name=value` with the value URL-encoded (spaces as "+"), joined by "&", without vnp_SecureHash(Type).
- Return and IPN: VNPay sends the same signed parameters to the browser's return URL and, server to server, to
  the IPN URL registered for the merchant; the IPN is answered {"RspCode", "Message"}: 00 confirmed, 01 order not
  found, 02 already confirmed, 04 invalid amount, 97 invalid signature, 99 other.
- Merchant API (API_URL, POST JSON): querydr and refund, each signed with the HMAC-SHA512 of its fields joined by
  "|" in a fixed order, and answered with a response signed the same way.
"""

import hashlib
import hmac
import json
import logging
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from urllib.error import URLError
from urllib.parse import quote_plus, urlsplit
from urllib.request import Request, urlopen
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.text import fold_vietnamese

from ..constants import NotificationOutcome
from .base import (
    OnlineProvider,
    ProviderUnavailable,
    Redirect,
    RefundAnswer,
    RefundOutcome,
    Report,
    ReportedState,
    mask_parameters,
)
from .registry import register

logger = logging.getLogger(__name__)

VERSION = "2.1.0"
VNPAY_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # GMT+7, whatever the portal's time zone
TIME_FORMAT = "%Y%m%d%H%M%S"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

NOTIFICATION_ANSWERS = {
    NotificationOutcome.CONFIRMED: ("00", "Confirm Success"),
    NotificationOutcome.NOT_FOUND: ("01", "Order not found"),
    NotificationOutcome.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    NotificationOutcome.INVALID_AMOUNT: ("04", "Invalid amount"),
    NotificationOutcome.INVALID_SIGNATURE: ("97", "Invalid signature"),
    # No code of its own in the table: another merchant's order is "other" to this one.
    NotificationOutcome.WRONG_MERCHANT: ("99", "Unknown error"),
    NotificationOutcome.ERROR: ("99", "Unknown error"),
}

# querydr: the order of the signed fields, in the request and in the response.
QUERY_REQUEST_FIELDS = (
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
QUERY_RESPONSE_FIELDS = (
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
REFUND_REQUEST_FIELDS = (
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
REFUND_RESPONSE_FIELDS = QUERY_RESPONSE_FIELDS[:-2]
FULL_REFUND, PARTIAL_REFUND = "02", "03"

# querydr's vnp_TransactionStatus: 00 paid, 01 not finished, 02 failed, 04 reversed (debited at the bank, not
# completed at VNPay); anything else (refund in progress, suspected fraud) leaves the payment as it is.
QUERY_STATES = {
    "00": ReportedState.PAID,
    "01": ReportedState.PENDING,
    "02": ReportedState.FAILED,
    "04": ReportedState.FAILED,
}
# refund's vnp_ResponseCode: 00 accepted, 94 a refund of it is already being processed; 02 merchant, 03 format,
# 91 not found, 95 not successful at VNPay: refused. Others (97 checksum, 99 other): nothing decided, try again.
REFUND_ACCEPTED = {"00", "94"}
REFUND_REFUSED = {"02", "03", "91", "95"}


def vnpay_time(moment: datetime) -> str:
    return timezone.localtime(moment, VNPAY_TIME).strftime(TIME_FORMAT)


def parse_vnpay_time(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=VNPAY_TIME)
    except (TypeError, ValueError):
        return None


def hash_data(parameters: Mapping) -> str:
    """The signed text of a payment URL, a return or an IPN: vnp_* parameters sorted by name, values encoded."""
    return "&".join(
        f"{name}={quote_plus(str(value))}"
        for name, value in sorted(parameters.items())
        if name.startswith("vnp_") and name not in HASH_FIELDS
    )


def sign(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha512).hexdigest()


def joined(values: Mapping, fields: tuple[str, ...]) -> str:
    """The signed text of a merchant API message: its fields in order, joined by "|"."""
    return "|".join("" if values.get(name) is None else str(values.get(name)) for name in fields)


def _signature_matches(secret: str, text: str, signature) -> bool:
    return isinstance(signature, str) and hmac.compare_digest(sign(secret, text), signature.lower())


def order_info(payment) -> str:
    """The order's description as VNPay asks for it: Vietnamese without diacritics, no special characters."""
    code = re.sub(r"[^0-9a-z]+", " ", fold_vietnamese(payment.dossier.code or "")).strip().upper()
    return f"Thanh toan phi ho so {code} {payment.reference}"


@register
class VNPayProvider(OnlineProvider):
    name = "vnpay"
    label = _("VNPay (thẻ ATM, tài khoản, QR ngân hàng)")

    def __init__(self):
        config = settings.VNPAY
        self.tmn_code = config["TMN_CODE"]
        self.secret = config["HASH_SECRET"]
        self.payment_url = config["PAYMENT_URL"]
        self.api_url = config["API_URL"]
        self.timeout = config.get("TIMEOUT", 10)
        self.server_ip = config.get("SERVER_IP", "127.0.0.1")
        if not (self.tmn_code and self.secret):
            raise ImproperlyConfigured("VNPay is enabled: set VNPAY_TMN_CODE and VNPAY_HASH_SECRET.")
        for url in (self.payment_url, self.api_url):
            if urlsplit(url).scheme not in ("http", "https"):
                raise ImproperlyConfigured(f"VNPay addresses must be http(s) URLs, not {url!r}.")

    # --- the payer's way ------------------------------------------------------------------------------

    def start(self, *, payment, return_url: str, client_ip: str) -> Redirect:
        parameters = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": payment.amount * 100,
            "vnp_CreateDate": vnpay_time(payment.created_at),
            "vnp_CurrCode": "VND",
            "vnp_IpAddr": client_ip,
            "vnp_Locale": "vn",
            "vnp_OrderInfo": order_info(payment),
            "vnp_OrderType": "other",
            "vnp_ReturnUrl": return_url,
            "vnp_ExpireDate": vnpay_time(payment.expires_at),
            "vnp_TxnRef": payment.reference,
        }
        text = hash_data(parameters)
        url = f"{self.payment_url}?{text}&vnp_SecureHash={sign(self.secret, text)}"
        return Redirect(url=url, parameters=mask_parameters(parameters))

    def _read(self, parameters: Mapping) -> Report:
        values = {name: str(value) for name, value in parameters.items()}
        amount = values.get("vnp_Amount", "")
        response_code = values.get("vnp_ResponseCode", "")
        if response_code == "00" and values.get("vnp_TransactionStatus") == "00":
            state = ReportedState.PAID
        elif response_code == "24":
            state = ReportedState.CANCELLED
        else:
            state = ReportedState.FAILED
        return Report(
            reference=values.get("vnp_TxnRef", ""),
            state=state,
            signature_valid=_signature_matches(self.secret, hash_data(values), values.get("vnp_SecureHash")),
            merchant_valid=values.get("vnp_TmnCode") == self.tmn_code,
            amount=int(amount) // 100 if amount.isdigit() and int(amount) % 100 == 0 else None,
            transaction_no=values.get("vnp_TransactionNo", "")[:40],
            response_code=response_code[:10],
            paid_at=parse_vnpay_time(values.get("vnp_PayDate", "")),
            method_detail=" ".join(filter(None, [values.get("vnp_BankCode"), values.get("vnp_CardType")]))[:100],
            parameters=mask_parameters(values),
        )

    def read_return(self, parameters: Mapping) -> Report:
        return self._read(parameters)

    def read_notification(self, parameters: Mapping) -> Report:
        return self._read(parameters)

    def notification_response(self, outcome: NotificationOutcome) -> JsonResponse:
        code, message = NOTIFICATION_ANSWERS[outcome]
        return JsonResponse({"RspCode": code, "Message": message})

    # --- the merchant API ---------------------------------------------------------------------------

    def _post(self, body: dict, *, request_fields: tuple[str, ...]) -> dict:
        """POST one signed merchant API request; the parsed answer. ProviderUnavailable when there is none."""
        body = {**body, "vnp_SecureHash": sign(self.secret, joined(body, request_fields))}
        request = Request(  # noqa: S310 (the scheme is checked to be http(s) in __init__)
            self.api_url,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        command, sent = body["vnp_Command"], {"request": mask_parameters(body)}
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (as above)
                answer = json.loads(response.read().decode())
        except (URLError, TimeoutError, OSError, ValueError) as error:
            # Only the command and the kind of failure are logged: never the request with its signature.
            logger.warning("VNPay %s: no usable answer (%s)", command, type(error).__name__)
            raise ProviderUnavailable(f"{command}: {type(error).__name__}", sent) from None
        if not isinstance(answer, dict):
            raise ProviderUnavailable(f"{command}: the answer is not a JSON object", sent)
        return answer

    def _common(self, payment, *, command: str, client_ip: str) -> dict:
        return {
            "vnp_RequestId": uuid.uuid4().hex,
            "vnp_Version": VERSION,
            "vnp_Command": command,
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": payment.reference,
            "vnp_OrderInfo": order_info(payment),
            "vnp_TransactionDate": vnpay_time(payment.created_at),
            "vnp_CreateDate": vnpay_time(timezone.now()),
            "vnp_IpAddr": client_ip or self.server_ip,
        }

    def query(self, *, payment, client_ip: str = "") -> Report:
        body = self._common(payment, command="querydr", client_ip=client_ip)
        answer = self._post(body, request_fields=QUERY_REQUEST_FIELDS)
        code = str(answer.get("vnp_ResponseCode", ""))
        logged = {"request": mask_parameters(body), "response": mask_parameters(answer)}
        if code == "00":
            state = QUERY_STATES.get(str(answer.get("vnp_TransactionStatus", "")), ReportedState.PENDING)
        elif code == "91":
            state = ReportedState.NOT_FOUND
        else:
            raise ProviderUnavailable(f"querydr: vnp_ResponseCode {code or '?'}", logged)
        amount = str(answer.get("vnp_Amount", ""))
        return Report(
            # An answer that names no reference answers the request's (a "not found" may omit it).
            reference=str(answer.get("vnp_TxnRef") or payment.reference),
            state=state,
            signature_valid=_signature_matches(
                self.secret, joined(answer, QUERY_RESPONSE_FIELDS), answer.get("vnp_SecureHash")
            ),
            merchant_valid=answer.get("vnp_TmnCode") == self.tmn_code,
            amount=int(amount) // 100 if amount.isdigit() else None,
            transaction_no=str(answer.get("vnp_TransactionNo", ""))[:40],
            response_code=str(answer.get("vnp_TransactionStatus", code))[:10],
            paid_at=parse_vnpay_time(str(answer.get("vnp_PayDate", ""))),
            method_detail=str(answer.get("vnp_BankCode", ""))[:100],
            parameters=logged,
        )

    def refund(self, *, payment, amount: int, requested_by: str) -> RefundAnswer:
        body = {
            **self._common(payment, command="refund", client_ip=""),
            "vnp_TransactionType": FULL_REFUND if amount == payment.amount else PARTIAL_REFUND,
            "vnp_Amount": amount * 100,
            "vnp_TransactionNo": payment.provider_transaction_no or "0",
            "vnp_CreateBy": requested_by[:250],
        }
        answer = self._post(body, request_fields=REFUND_REQUEST_FIELDS)
        code = str(answer.get("vnp_ResponseCode", ""))
        logged = {"request": mask_parameters(body), "response": mask_parameters(answer)}
        signed = _signature_matches(self.secret, joined(answer, REFUND_RESPONSE_FIELDS), answer.get("vnp_SecureHash"))
        if not signed:
            # Neither an acceptance nor a refusal is believed unsigned: ask again later.
            raise ProviderUnavailable(f"refund: answer {code or '?'} without a valid signature", logged)
        if code in REFUND_ACCEPTED:
            outcome = RefundOutcome.ACCEPTED
        elif code in REFUND_REFUSED:
            outcome = RefundOutcome.REFUSED
        else:
            raise ProviderUnavailable(f"refund: vnp_ResponseCode {code or '?'}", logged)
        return RefundAnswer(
            outcome=outcome, response_code=code, detail=str(answer.get("vnp_Message", ""))[:255], parameters=logged
        )
