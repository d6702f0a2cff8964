from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .notifications import outbox_relay

HEARTBEAT_CACHE_KEY = "portal:worker-heartbeat"


@shared_task(acks_late=True)
def heartbeat() -> str:
    """Prove a worker is alive: record when it last ran a task."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, now, timeout=None)
    return now


@shared_task(acks_late=True)
def relay_outbox() -> int:
    return outbox_relay()
