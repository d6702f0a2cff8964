"""Thin Celery tasks: each calls a service and is safe to run twice (`acks_late`)."""

from celery import shared_task
from django.utils import timezone

from .deadlines.watch import deadline_watch


@shared_task(acks_late=True)
def watch_deadlines() -> dict[str, int]:
    """Every 15 minutes (settings.CELERY_BEAT_SCHEDULE): due-soon reminders and overdue alerts."""
    return deadline_watch(now=timezone.now())
