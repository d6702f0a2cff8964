"""Thin Celery tasks: each takes ids, calls a service and is safe to run twice (`acks_late`)."""

from celery import shared_task
from django.utils import timezone

from . import services
from .carriers import CarrierUnavailable
from .models import Shipment


@shared_task(
    acks_late=True, autoretry_for=(CarrierUnavailable,), retry_backoff=30, retry_backoff_max=600, max_retries=5
)
def send_shipment(shipment_id: int) -> str:
    """Order a shipment just handed over; the carrier down, it is tried again (and the job sends it later still)."""
    return services.shipment_send(shipment=Shipment.objects.get(pk=shipment_id)).status


@shared_task(acks_late=True)
def send_pending_shipments() -> dict[str, int]:
    """Every 5 minutes (settings.CELERY_BEAT_SCHEDULE): the shipments the carrier has not accepted yet."""
    return services.shipments_send_pending(now=timezone.now())
