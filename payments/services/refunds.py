"""Giving money back: a refund is asked (the payment waits in refund_pending), then sent to the provider after
the commit, and again by the reconciliation job until the provider has decided; its answer, once, under the
locks. A refund sent twice (the task and the job at once, or a retry after a lost answer) is answered by the
provider as already in progress and changes nothing twice."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import services as dossier_services

from ..constants import MessageKind, PaymentPurpose, PaymentStatus, RefundReason
from ..models import Payment
from ..providers import ProviderUnavailable, RefundOutcome, registry
from .core import alert_agency, lock_dossier_and_payment, log_outgoing, mark_refund_pending, method_label

# Who asks, as the provider records it (VNPay's vnp_CreateBy).
REQUESTED_BY = "Cong Dich vu cong"


def payment_request_refund(*, payment: Payment, reason: str) -> Payment:
    """Ask for the money of a paid payment back; a payment not (or no longer) paid is left as it is."""
    with transaction.atomic():
        _dossier, locked = lock_dossier_and_payment(payment)
        if locked.status != PaymentStatus.PAID:
            return locked
        return mark_refund_pending(payment=locked, reason=reason)


def payment_send_refund(*, payment: Payment) -> Payment:
    """Send a pending refund to the provider and apply its answer: accepted → refunded (the dossier's timeline
    says so); refused → left to the agency, which is told; to be handed back at the desk → the agency is told.
    ProviderUnavailable (logged) when the provider could not be asked: the refund stays pending."""
    payment = Payment.objects.get(pk=payment.pk)
    if payment.status != PaymentStatus.REFUND_PENDING:
        return payment
    provider = registry.get(payment.provider)
    Payment.objects.filter(pk=payment.pk).update(refund_attempts=payment.refund_attempts + 1)
    try:
        answer = provider.refund(payment=payment, amount=payment.amount, requested_by=REQUESTED_BY)
    except ProviderUnavailable as error:
        log_outgoing(
            payment=payment,
            kind=MessageKind.REFUND,
            parameters=error.parameters,
            outcome="unreachable",
            detail=error.detail,
        )
        raise
    if provider.online:
        log_outgoing(
            payment=payment,
            kind=MessageKind.REFUND,
            parameters=answer.parameters,
            outcome=answer.outcome,
            detail=f"{answer.response_code} {answer.detail}".strip(),
            signed=True,
        )
    with transaction.atomic():
        dossier, locked = lock_dossier_and_payment(payment)
        if locked.status != PaymentStatus.REFUND_PENDING:
            return locked  # another sender got the answer first
        if answer.outcome == RefundOutcome.ACCEPTED:
            locked.status = PaymentStatus.REFUNDED
            locked.refunded_at = timezone.now()
            locked.save(update_fields=["status", "refunded_at", "updated_at"])
            dossier_services.dossier_record_refund(
                dossier=dossier,
                amount=locked.amount,
                reference=locked.reference,
                method=method_label(locked),
                whole_fee=locked.applied and locked.purpose == PaymentPurpose.FEE,
            )
        elif answer.outcome == RefundOutcome.REFUSED:
            locked.status = PaymentStatus.REFUND_REFUSED
            locked.refund_note = f"{answer.response_code} {answer.detail}".strip()[:255]
            locked.save(update_fields=["status", "refund_note", "updated_at"])
            alert_agency(
                payment=locked,
                kind="refund-refused",
                subject=_("Cổng thanh toán từ chối hoàn tiền"),
                body=_(
                    "Hãy hoàn trả cho người nộp theo cách khác và ghi nhận. Phản hồi của cổng thanh toán: %(answer)s"
                )
                % {"answer": locked.refund_note or "—"},
            )
        else:
            locked.refund_note = answer.detail[:255]
            locked.save(update_fields=["refund_note", "updated_at"])
            alert_agency(
                payment=locked,
                kind="refund-at-desk",
                subject=_("Cần hoàn trả phí, lệ phí tại quầy"),
                body=_("Số tiền %(amount)s đồng đã thu tại quầy cần được hoàn trả cho người nộp (%(reason)s).")
                % {"amount": locked.amount, "reason": RefundReason(locked.refund_reason).label},
            )
    return locked
