"""What every payment write shares: the locks (always the dossier's row, then the payment's, so two writers never
wait for each other in opposite orders), the message log, the receipt numbers, the outcomes a provider's report
leads to, and the alerts to the agency."""

import secrets
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import services as dossier_services
from dossiers.constants import FeeStatus, PostageStatus
from dossiers.locks import dossier_lock
from dossiers.models import Dossier
from dossiers.workflow import TransitionNotAllowed
from portal.constants import Role
from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue

from ..constants import (
    UNPAID_STATUSES,
    Direction,
    PaymentPurpose,
    PaymentStatus,
    RefundReason,
)
from ..models import Payment, ProviderMessage, Receipt, ReceiptSequence
from ..providers import ReportedState, registry


def new_reference(now: datetime) -> str:
    """ "TT" + the day + 10 random hex digits: unique, alphanumeric (as VNPay's vnp_TxnRef asks), and not guessable
    from another payment's."""
    return f"TT{timezone.localdate(now):%y%m%d}{secrets.token_hex(5).upper()}"


def payment_lock(pk: int) -> Payment:
    return Payment.objects.select_for_update(of=("self",)).get(pk=pk)


def lock_dossier_and_payment(payment: Payment) -> tuple[Dossier, Payment]:
    """Both rows locked until the transaction ends, the dossier's first (call inside one)."""
    return dossier_lock(payment.dossier_id), payment_lock(payment.pk)


def log_message(
    *,
    provider: str,
    direction: str,
    kind: str,
    parameters: dict,
    payment: Payment | None = None,
    reference: str = "",
    signature_valid: bool | None = None,
    outcome: str = "",
    detail: str = "",
) -> ProviderMessage:
    """Append one message to the log (its parameters already masked by the provider)."""
    return ProviderMessage.objects.create(
        payment=payment,
        provider=provider,
        direction=direction,
        kind=kind,
        reference=(reference or (payment.reference if payment else ""))[:100],
        parameters=parameters,
        signature_valid=signature_valid,
        outcome=outcome,
        detail=detail[:255],
    )


def log_incoming(*, provider: str, kind: str, report, payment: Payment | None, outcome: str) -> ProviderMessage:
    return log_message(
        provider=provider,
        direction=Direction.INCOMING,
        kind=kind,
        parameters=report.parameters,
        payment=payment,
        reference=report.reference,
        signature_valid=report.signature_valid,
        outcome=outcome,
        detail=f"{report.state} {report.response_code}".strip(),
    )


def receipt_issue(*, payment: Payment) -> Receipt:
    """The next number of the agency's series for the year the money was paid (the sequence row is locked, so
    two receipts never share a number)."""
    year = timezone.localdate(payment.paid_at).year
    agency_id = payment.dossier.agency_id
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(agency_id=agency_id, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return Receipt.objects.create(
        payment=payment, agency_id=agency_id, year=year, number=sequence.last_number, issued_at=timezone.now()
    )


def alert_agency(*, payment: Payment, kind: str, subject: str, body: str) -> None:
    """Tell the reception officers of the payment's agency about something they must look at (a refund to hand
    back or refused, an amount that differs): once per payment, kind and officer."""
    dossier = payment.dossier
    officers = (
        get_user_model()
        .objects.filter(agency_id=dossier.agency_id, groups__name=Role.RECEPTION_OFFICER, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    text = f"{subject}\n\n{body}\n\n" + _("Hồ sơ %(code)s, giao dịch %(reference)s.") % {
        "code": dossier.code,
        "reference": payment.reference,
    }
    for officer in officers:
        outbox_enqueue(
            channel=OutboxMessage.Channel.EMAIL,
            recipient=officer.email,
            subject=subject,
            body=text,
            dedupe_key=f"payment-{kind}:{payment.pk}:{officer.pk}",
        )


def settle_paid(
    *,
    payment: Payment,
    dossier: Dossier,
    paid_at: datetime,
    transaction_no: str = "",
    response_code: str = "",
    method_detail: str = "",
) -> Payment:
    """The money of `payment` is taken (both rows locked by the caller). The payment pays the dossier's fee, or its
    postage (event, receipt) when it is payable now; otherwise (paid already by another payment, the dossier
    closed meanwhile) it is refunded."""
    payment.status = PaymentStatus.PAID
    payment.paid_at = paid_at
    payment.closed_at = None
    payment.provider_transaction_no = transaction_no or payment.provider_transaction_no
    payment.provider_response_code = response_code or payment.provider_response_code
    payment.method_detail = method_detail or payment.method_detail
    postage = payment.purpose == PaymentPurpose.POSTAGE
    record = dossier_services.dossier_record_postage_payment if postage else dossier_services.dossier_record_payment
    try:
        record(
            dossier=dossier,
            user=payment.payer or payment.recorded_by,
            amount=payment.amount,
            reference=payment.reference,
            method=method_label(payment),
        )
    except (TransitionNotAllowed, ValidationError):
        dossier.refresh_from_db()
        paid_already = dossier.postage_status == PostageStatus.PAID if postage else dossier.fee_status == FeeStatus.PAID
        reason = RefundReason.DUPLICATE if paid_already else RefundReason.DOSSIER_CLOSED
        payment.save()
        return mark_refund_pending(payment=payment, reason=reason)
    payment.applied = True
    payment.save()
    receipt_issue(payment=payment)
    return payment


def close_unpaid(*, payment: Payment, state: str, response_code: str = "") -> Payment:
    """A pending payment that took no money: failed, cancelled by the payer, or expired (row locked by the
    caller)."""
    payment.status = {
        ReportedState.FAILED: PaymentStatus.FAILED,
        ReportedState.CANCELLED: PaymentStatus.CANCELLED,
    }.get(state, PaymentStatus.EXPIRED)
    payment.closed_at = timezone.now()
    payment.provider_response_code = response_code or payment.provider_response_code
    payment.save(update_fields=["status", "closed_at", "provider_response_code", "updated_at"])
    return payment


def mark_refund_pending(*, payment: Payment, reason: str) -> Payment:
    """Ask for `payment`'s money back (row locked by the caller); the refund is sent after the commit, and again
    by the reconciliation job until the provider has decided."""
    from ..tasks import send_refund  # imported on use: the tasks module imports the services

    payment.status = PaymentStatus.REFUND_PENDING
    payment.refund_reason = reason
    payment.refund_requested_at = timezone.now()
    payment.save(update_fields=["status", "refund_reason", "refund_requested_at", "updated_at"])
    transaction.on_commit(lambda: send_refund.delay(payment.pk), robust=True)
    return payment


def method_label(payment: Payment) -> str:
    """How a payment was made, for people: the provider's label, with the counter method or the bank."""
    label = registry.label(payment.provider)
    return f"{label} – {payment.method_detail}" if payment.method_detail else label


def apply_report(*, payment: Payment, report) -> bool:
    """Apply a verified report of `payment`'s reference and amount (a notification or a query's answer): money
    taken makes an unpaid payment paid; a failure or cancellation closes a pending one. True when the payment
    changed; False when it already stood so (a repeated or stale message changes nothing)."""
    with transaction.atomic():
        dossier, locked = lock_dossier_and_payment(payment)
        if report.state == ReportedState.PAID and locked.status in UNPAID_STATUSES:
            settle_paid(
                payment=locked,
                dossier=dossier,
                paid_at=report.paid_at or timezone.now(),
                transaction_no=report.transaction_no,
                response_code=report.response_code,
                method_detail=report.method_detail,
            )
            return True
        if report.state in (ReportedState.FAILED, ReportedState.CANCELLED) and locked.status == PaymentStatus.PENDING:
            close_unpaid(payment=locked, state=report.state, response_code=report.response_code)
            return True
    return False


def log_outgoing(*, payment: Payment, kind: str, parameters: dict, outcome: str, detail: str = "", signed=None):
    return log_message(
        provider=payment.provider,
        direction=Direction.OUTGOING,
        kind=kind,
        parameters=parameters,
        payment=payment,
        signature_valid=signed,
        outcome=outcome,
        detail=detail,
    )
