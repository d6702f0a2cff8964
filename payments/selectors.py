"""Reads of payments. Every read a person makes goes through the dossier's access rule (`dossiers.selectors`): the
applicant sees its own dossiers' payments, the officers their agency's; "missing" and "not yours" answer 404."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from dossiers.selectors import dossier_visible_to

from .constants import PaymentPurpose, PaymentStatus
from .models import Payment, ProviderMessage, Receipt
from .providers import registry

CLOSED_DOSSIER_STATUSES = (DossierStatus.REFUSED, DossierStatus.WITHDRAWN)


def payments_for_dossier(*, dossier: Dossier, purpose: str | None = None) -> QuerySet[Payment]:
    """The dossier's payments (of one purpose when given), newest first, with their receipts (one query)."""
    payments = dossier.payments.select_related("receipt", "recorded_by").order_by("-created_at", "-id")
    return payments if purpose is None else payments.filter(purpose=purpose)


def payments_visible_to(*, user) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier__in=dossier_visible_to(user=user))


def payment_get_for_user(*, user, reference: str) -> Payment:
    """A payment of a dossier `user` may open; 404 otherwise."""
    try:
        return (
            payments_visible_to(user=user)
            .select_related("dossier__procedure", "dossier__agency", "receipt")
            .get(reference=reference)
        )
    except Payment.DoesNotExist:
        raise Http404 from None


def receipt_get_for_user(*, user, reference: str) -> Receipt:
    """The receipt of a payment `user` may open, with what it prints; 404 when there is none."""
    payment = payment_get_for_user(user=user, reference=reference)
    try:
        return Receipt.objects.select_related("payment__dossier__agency__parent", "payment__dossier__procedure").get(
            payment=payment
        )
    except Receipt.DoesNotExist:
        raise Http404 from None


def provider_messages(*, payment: Payment) -> QuerySet[ProviderMessage]:
    return payment.messages.order_by("created_at", "id")


# --- for the jobs ------------------------------------------------------------------------------------


def payments_to_reconcile(*, older_than: datetime) -> QuerySet[Payment]:
    """Online payments still pending since before `older_than`, oldest first."""
    online = [provider.name for provider in registry.online()]
    return Payment.objects.filter(
        status=PaymentStatus.PENDING, provider__in=online, created_at__lt=older_than
    ).order_by("created_at", "id")


def payments_to_refund_for_closed_dossiers() -> QuerySet[Payment]:
    """Paid fees of dossiers refused or withdrawn whose procedure refunds them (the dossier's copied terms), and the
    postage they paid: no result will be sent."""
    return Payment.objects.filter(
        Q(purpose=PaymentPurpose.POSTAGE) | Q(dossier__fee_refundable=True),
        status=PaymentStatus.PAID,
        applied=True,
        dossier__status__in=CLOSED_DOSSIER_STATUSES,
    ).order_by("id")


def refunds_pending() -> QuerySet[Payment]:
    return Payment.objects.filter(status=PaymentStatus.REFUND_PENDING).order_by("refund_requested_at", "id")
