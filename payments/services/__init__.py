"""Every write of payments, each in a transaction under the dossier's and the payment's row locks (in that order).

Callers import this package: `from payments import services; services.payment_start(...)`.
"""

from .counter import payment_record_counter, payment_record_counter_refund
from .jobs import payments_reconcile
from .online import payment_handle_notification, payment_read_return, payment_reconcile, payment_start
from .refunds import payment_request_refund, payment_send_refund

__all__ = [
    "payment_handle_notification",
    "payment_read_return",
    "payment_reconcile",
    "payment_record_counter",
    "payment_record_counter_refund",
    "payment_request_refund",
    "payment_send_refund",
    "payment_start",
    "payments_reconcile",
]
