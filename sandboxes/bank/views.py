"""The sandbox bank over HTTP, as a merchant sees VNPay:

- GET paymentv2/vpcpay.html?vnp_...: the payment page (the signature checked with the merchant's secret), where the
  payer chooses what happens (paid, insufficient funds, cancelled, the bank never answers) and how the merchant is
  told (the IPN at once, late, twice at once, out of order, or never);
- the browser sent back to vnp_ReturnUrl with the signed result, the IPN called server to server;
- POST merchant_webapi/api/transaction: querydr and refund;
- dieu-khien/: the bank's faults (its API down, refunds refused) and its transactions; giao-dich/<merchant>/<ref>.json:
  one transaction with the notifications sent and what the merchant answered.
"""

import json
import uuid
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .models import BankTransaction, Switch
from .notify import notify_after_return, notify_before_return, result_parameters
from .protocol import (
    GMT7,
    QUERYDR_RESPONSE_SIGNED,
    QUERYDR_SIGNED,
    REFUND_RESPONSE_SIGNED,
    REFUND_SIGNED,
    merchant,
    now_gmt7,
    parse_gmt7,
    piped_hash,
    query_string_hash,
    valid,
)

Status = BankTransaction.Status
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CreateDate",
    "vnp_CurrCode",
    "vnp_IpAddr",
    "vnp_Locale",
    "vnp_OrderInfo",
    "vnp_ReturnUrl",
    "vnp_TxnRef",
    "vnp_SecureHash",
)
# The payer's choices: the status, vnp_ResponseCode and vnp_TransactionStatus each leads to.
OUTCOMES = {
    "success": ("Thanh toán thành công", Status.PAID, "00", "00"),
    "insufficient_funds": ("Tài khoản không đủ số dư", Status.FAILED, "51", "02"),
    "cancel": ("Huỷ giao dịch", Status.CANCELLED, "24", "02"),
    "no_answer": ("Ngân hàng không phản hồi", Status.PENDING, "", ""),
}
EXPIRED = (Status.FAILED, "11", "02")
SWITCHES = {
    "api_down": "API của ngân hàng ngừng hoạt động (trả lời 503)",
    "refuse_refunds": "Từ chối mọi yêu cầu hoàn tiền",
}


def _refused(request, code: str, message: str):
    return render(request, "sandboxes/bank/error.html", {"code": code, "message": message}, status=400)


def _switch_on(name: str) -> bool:
    return Switch.objects.filter(name=name, on=True).exists()


@require_GET
def payment_page(request):
    parameters = request.GET.dict()
    missing = [name for name in REQUIRED if not parameters.get(name)]
    if missing:
        return _refused(request, "03", f"Thiếu tham số: {', '.join(missing)}")
    registration = merchant(parameters["vnp_TmnCode"])
    if registration is None:
        return _refused(request, "02", "Website chưa được đăng ký với ngân hàng (vnp_TmnCode không hợp lệ)")
    if not valid(query_string_hash(registration["SECRET"], parameters), parameters["vnp_SecureHash"]):
        return _refused(request, "97", "Sai chữ ký (vnp_SecureHash)")
    if (
        parameters["vnp_Version"] != "2.1.0"
        or parameters["vnp_Command"] != "pay"
        or parameters["vnp_CurrCode"] != "VND"
        or not parameters["vnp_Amount"].isdigit()
        or urlsplit(parameters["vnp_ReturnUrl"]).scheme not in ("http", "https")
    ):
        return _refused(request, "03", "Dữ liệu gửi sang không đúng định dạng")
    transaction, created = BankTransaction.objects.get_or_create(
        merchant=parameters["vnp_TmnCode"],
        txn_ref=parameters["vnp_TxnRef"],
        defaults={
            "amount": int(parameters["vnp_Amount"]),
            "order_info": parameters["vnp_OrderInfo"][:255],
            "return_url": parameters["vnp_ReturnUrl"],
            "ip_addr": parameters["vnp_IpAddr"][:45],
            "create_date": parameters["vnp_CreateDate"][:14],
            "expire_at": parse_gmt7(parameters.get("vnp_ExpireDate", "")),
        },
    )
    if not created and (transaction.status != Status.PENDING or transaction.amount != int(parameters["vnp_Amount"])):
        return _refused(request, "01", "Giao dịch đã tồn tại")
    return render(
        request,
        "sandboxes/bank/pay.html",
        {
            "transaction": transaction,
            "amount": f"{transaction.amount // 100:,}".replace(",", "."),
            "outcomes": [(value, label) for value, (label, *_rest) in OUTCOMES.items()],
            "notify_choices": BankTransaction.Notify.choices,
        },
    )


@require_POST
def decide(request, pk: int):
    """The payer's choice: the result, the browser sent back with it, the merchant told as the switch asks."""
    transaction = get_object_or_404(BankTransaction, pk=pk)
    if transaction.status != Status.PENDING:
        return _refused(request, "01", "Giao dịch đã được xử lý")
    outcome = request.POST.get("outcome", "")
    notify = request.POST.get("notify", BankTransaction.Notify.IMMEDIATE)
    delay = request.POST.get("delay", "3")
    if outcome not in OUTCOMES or notify not in BankTransaction.Notify.values or not delay.isdigit():
        return _refused(request, "03", "Lựa chọn không hợp lệ")
    if outcome == "no_answer":
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(transaction.return_url))
        return render(request, "sandboxes/bank/no_answer.html", {"transaction": transaction, "origin": origin})
    expired = transaction.expire_at is not None and datetime.now(GMT7) > transaction.expire_at
    _label, status, response_code, transaction_status = (None, *EXPIRED) if expired else OUTCOMES[outcome]
    transaction.status, transaction.response_code, transaction.transaction_status = (
        status,
        response_code,
        transaction_status,
    )
    transaction.pay_date = now_gmt7()
    transaction.notify, transaction.notify_delay_seconds = notify, min(int(delay), 600)
    transaction.save()
    # Committed before any call out: the merchant may query the bank while it handles the notification.
    notify_before_return(transaction)
    separator = "&" if "?" in transaction.return_url else "?"
    response = redirect(f"{transaction.return_url}{separator}{urlencode(result_parameters(transaction))}")
    notify_after_return(transaction)
    return response


# --- the merchant API ----------------------------------------------------------------------------------------


def _answer(registration: dict | None, values: dict, fields: tuple[str, ...]) -> JsonResponse:
    """A merchant API answer, signed with the merchant's secret when the merchant is known."""
    values = {"vnp_ResponseId": uuid.uuid4().hex, **values}
    if registration is not None:
        values["vnp_SecureHash"] = piped_hash(registration["SECRET"], values, fields)
    return JsonResponse(values)


def _transaction_values(transaction: BankTransaction, command: str, code: str, message: str, **extra) -> dict:
    values = {
        "vnp_Command": command,
        "vnp_ResponseCode": code,
        "vnp_Message": message,
        "vnp_TmnCode": transaction.merchant,
        "vnp_TxnRef": transaction.txn_ref,
        "vnp_Amount": str(transaction.amount),
        "vnp_BankCode": transaction.bank_code,
        "vnp_PayDate": transaction.pay_date,
        "vnp_TransactionNo": transaction.transaction_no,
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": {Status.PENDING: "01", Status.PAID: "00", Status.REFUNDED: "00"}.get(
            transaction.status, "02"
        ),
        "vnp_OrderInfo": transaction.order_info,
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    return {**values, **extra}


def _not_found(command: str, body: dict) -> dict:
    return {
        "vnp_Command": command,
        "vnp_ResponseCode": "91",
        "vnp_TmnCode": body.get("vnp_TmnCode", ""),
        "vnp_TxnRef": body.get("vnp_TxnRef", ""),
    }


def _querydr(registration, body) -> JsonResponse:
    if not valid(piped_hash(registration["SECRET"], body, QUERYDR_SIGNED), body.get("vnp_SecureHash")):
        return _answer(registration, {"vnp_Command": "querydr", "vnp_ResponseCode": "97"}, QUERYDR_RESPONSE_SIGNED)
    transaction = BankTransaction.objects.filter(merchant=body["vnp_TmnCode"], txn_ref=body.get("vnp_TxnRef")).first()
    if transaction is None:
        values = {**_not_found("querydr", body), "vnp_Message": "Không tìm thấy giao dịch"}
        return _answer(registration, values, QUERYDR_RESPONSE_SIGNED)
    values = _transaction_values(transaction, "querydr", "00", "QueryDR Success")
    return _answer(registration, values, QUERYDR_RESPONSE_SIGNED)


def _refund(registration, body) -> JsonResponse:
    if not valid(piped_hash(registration["SECRET"], body, REFUND_SIGNED), body.get("vnp_SecureHash")):
        return _answer(registration, {"vnp_Command": "refund", "vnp_ResponseCode": "97"}, REFUND_RESPONSE_SIGNED)
    transaction = BankTransaction.objects.filter(merchant=body["vnp_TmnCode"], txn_ref=body.get("vnp_TxnRef")).first()
    if transaction is None:
        values = {**_not_found("refund", body), "vnp_Message": "Không tìm thấy giao dịch yêu cầu hoàn trả"}
        return _answer(registration, values, REFUND_RESPONSE_SIGNED)
    amount = str(body.get("vnp_Amount", ""))
    if transaction.status == Status.REFUNDED:
        code, message = "94", "Giao dịch đã được gửi yêu cầu hoàn tiền trước đó"
    elif transaction.status != Status.PAID or _switch_on("refuse_refunds"):
        code, message = "95", "Giao dịch này không thành công bên VNPAY. VNPAY từ chối xử lý yêu cầu"
    elif not amount.isdigit() or not 0 < int(amount) <= transaction.amount:
        code, message = "03", "Dữ liệu gửi sang không đúng định dạng"
    else:
        transaction.status, transaction.refunded_amount = Status.REFUNDED, int(amount)
        transaction.save(update_fields=["status", "refunded_amount"])
        code, message = "00", "Refund success"
    values = _transaction_values(
        transaction, "refund", code, message, vnp_TransactionType=body.get("vnp_TransactionType", "02")
    )
    return _answer(registration, values, REFUND_RESPONSE_SIGNED)


@csrf_exempt
@require_POST
def merchant_api(request):
    if _switch_on("api_down"):
        return HttpResponse("Service Unavailable", status=503, content_type="text/plain")
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _answer(None, {"vnp_ResponseCode": "03", "vnp_Message": "Dữ liệu không đúng định dạng"}, ())
    registration = merchant(str(body.get("vnp_TmnCode", "")))
    if registration is None:
        return _answer(None, {"vnp_ResponseCode": "02", "vnp_Message": "Merchant không hợp lệ"}, ())
    command = body.get("vnp_Command")
    if command == "querydr":
        return _querydr(registration, body)
    if command == "refund":
        return _refund(registration, body)
    return _answer(registration, {"vnp_ResponseCode": "03", "vnp_Message": "vnp_Command không hợp lệ"}, ())


# --- the bank's own controls ---------------------------------------------------------------------------------


@csrf_exempt  # a sandbox's control panel, driven by tests over HTTP as well as by people
@require_http_methods(["GET", "POST"])
def control(request):
    if request.method == "POST":
        for name in SWITCHES:
            Switch.objects.update_or_create(name=name, defaults={"on": request.POST.get(name) in ("1", "on", "true")})
        return redirect("sandbox_bank:control")
    states = dict(Switch.objects.values_list("name", "on"))
    return render(
        request,
        "sandboxes/bank/control.html",
        {
            "switches": [(name, label, states.get(name, False)) for name, label in SWITCHES.items()],
            "transactions": BankTransaction.objects.prefetch_related("notifications")[:30],
        },
    )


@require_GET
def transaction_json(request, merchant_code: str, txn_ref: str):
    transaction = get_object_or_404(BankTransaction, merchant=merchant_code, txn_ref=txn_ref)
    return JsonResponse(
        {
            "status": transaction.status,
            "transaction_no": transaction.transaction_no,
            "response_code": transaction.response_code,
            "amount": transaction.amount,
            "refunded_amount": transaction.refunded_amount,
            "notifications": [
                {
                    "response_code": sent.parameters.get("vnp_ResponseCode"),
                    "http_status": sent.http_status,
                    "rsp_code": sent.rsp_code,
                    "error": sent.error,
                }
                for sent in transaction.notifications.all()
            ],
        }
    )
