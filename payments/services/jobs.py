"""The reconciliation job (every 15 minutes, payments.tasks.reconcile_payments): ask the providers about payments
left pending, ask for the refunds that refused or withdrawn dossiers are owed, and send the refunds still
pending. Each payment is its own step: one that cannot be settled now (the provider down) waits for the next run,
the others go on. Safe to run twice at once: every change is made under the row locks and re-checked there."""

from collections import Counter
from datetime import datetime, timedelta

from ..constants import RefundReason
from ..providers import ProviderUnavailable
from ..selectors import payments_to_reconcile, payments_to_refund_for_closed_dossiers, refunds_pending
from .online import payment_reconcile
from .refunds import payment_request_refund, payment_send_refund

# A payment is asked about once its payer has had time to finish (the notification normally comes first).
RECONCILE_AFTER = timedelta(minutes=5)
BATCH_SIZE = 200


def payments_reconcile(*, now: datetime) -> dict[str, int]:
    """One run of the job; how many payments were asked about, found unreachable, refunds asked and sent."""
    counts = Counter()
    for payment in payments_to_reconcile(older_than=now - RECONCILE_AFTER)[:BATCH_SIZE]:
        counts["queried"] += 1
        try:
            payment_reconcile(payment=payment, now=now)
        except ProviderUnavailable:
            counts["unreachable"] += 1
    for payment in payments_to_refund_for_closed_dossiers()[:BATCH_SIZE]:
        payment_request_refund(payment=payment, reason=RefundReason.DOSSIER_CLOSED)
        counts["refunds_requested"] += 1
    for payment in refunds_pending()[:BATCH_SIZE]:
        try:
            payment_send_refund(payment=payment)
        except ProviderUnavailable:
            counts["unreachable"] += 1
        else:
            counts["refunds_sent"] += 1
    return dict(counts)
