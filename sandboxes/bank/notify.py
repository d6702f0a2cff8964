"""What the bank tells the merchant about a transaction: the signed result parameters (the same for the browser's
return and the IPN), and the IPN calls, server to server (GET on the merchant's registered IPN URL, as VNPay does),
as the payer's switch asks: at once, late, twice at once, with a stale failure after the success, or never."""

import json
import logging
import threading
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from django.db import connection

from .models import BankTransaction, SentNotification
from .protocol import merchant, query_string_hash

logger = logging.getLogger(__name__)

IPN_TIMEOUT_SECONDS = 10
Notify = BankTransaction.Notify


def result_parameters(transaction: BankTransaction, *, response_code=None, transaction_status=None) -> dict:
    """The signed vnp_* parameters of the transaction's result (another result's codes for a stale message)."""
    parameters = {
        "vnp_Amount": str(transaction.amount),
        "vnp_BankCode": transaction.bank_code,
        "vnp_BankTranNo": f"VNP{transaction.transaction_no}",
        "vnp_CardType": transaction.card_type,
        "vnp_OrderInfo": transaction.order_info,
        "vnp_PayDate": transaction.pay_date,
        "vnp_ResponseCode": response_code or transaction.response_code,
        "vnp_TmnCode": transaction.merchant,
        "vnp_TransactionNo": transaction.transaction_no,
        "vnp_TransactionStatus": transaction_status or transaction.transaction_status,
        "vnp_TxnRef": transaction.txn_ref,
    }
    parameters["vnp_SecureHash"] = query_string_hash(merchant(transaction.merchant)["SECRET"], parameters)
    return parameters


def send_ipn(transaction: BankTransaction, parameters: dict) -> SentNotification:
    """One IPN call, recorded with the merchant's answer (or why there was none)."""
    url = f"{merchant(transaction.merchant)['IPN_URL']}?{urlencode(parameters)}"
    record = SentNotification(transaction=transaction, parameters=parameters)
    try:
        with urlopen(url, timeout=IPN_TIMEOUT_SECONDS) as response:  # noqa: S310 (the merchant's registered URL)
            record.http_status = response.status
            record.rsp_code = str(json.loads(response.read().decode()).get("RspCode", ""))[:10]
    except HTTPError as error:
        record.http_status = error.code
    except (URLError, OSError, ValueError) as error:
        record.error = f"{type(error).__name__}: {error}"[:255]
    record.save()
    return record


def _closing(target, *args) -> None:
    """Run `target` in a thread of its own, and close that thread's database connection after."""
    try:
        target(*args)
    finally:
        connection.close()


def _in_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=_closing, args=(target, *args), daemon=True)
    thread.start()
    return thread


def notify_before_return(transaction: BankTransaction) -> None:
    """The IPN calls made before the payer's browser is sent back (all but the late one), as the switch asks."""
    if transaction.notify in (Notify.NONE, Notify.DELAYED):
        return
    parameters = result_parameters(transaction)
    if transaction.notify == Notify.DUPLICATE:
        for thread in [_in_thread(send_ipn, transaction, parameters) for _ in range(2)]:
            thread.join(IPN_TIMEOUT_SECONDS + 5)
        return
    send_ipn(transaction, parameters)
    if transaction.notify == Notify.OUT_OF_ORDER and transaction.status == BankTransaction.Status.PAID:
        # An earlier attempt's failure, delivered after the success it preceded.
        send_ipn(transaction, result_parameters(transaction, response_code="51", transaction_status="02"))


def notify_after_return(transaction: BankTransaction) -> None:
    """The late IPN: sent `notify_delay_seconds` after the browser was sent back."""
    if transaction.notify != Notify.DELAYED:
        return
    parameters = result_parameters(transaction)
    timer = threading.Timer(transaction.notify_delay_seconds, _closing, args=(send_ipn, transaction, parameters))
    timer.daemon = True
    timer.start()
