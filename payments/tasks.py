"""Thin Celery tasks: each takes ids, calls a service and is safe to run twice (`acks_late`)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .models import Payment
from .providers import ProviderUnavailable


@shared_task(acks_late=True)
def reconcile_payments() -> dict[str, int]:
    """Every 15 minutes (settings.CELERY_BEAT_SCHEDULE): settle payments left pending, send the refunds owed."""
    return services.payments_reconcile(now=timezone.now())


@shared_task(
    acks_late=True,
    autoretry_for=(ProviderUnavailable,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def send_refund(payment_id: int) -> str:
    """Send a refund just asked for; the provider down, it is tried again (and the job sends it later still)."""
    return services.payment_send_refund(payment=Payment.objects.get(pk=payment_id)).status
