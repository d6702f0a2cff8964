"""Thin Celery tasks: each calls a service and is safe to run twice (`acks_late`)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services
from .deadlines.watch import deadline_watch

# How long a file kept from a refused application request waits for the form to be sent again.
PENDING_UPLOAD_LIFETIME = timedelta(days=1)


@shared_task(acks_late=True)
def watch_deadlines() -> dict[str, int]:
    """Every 15 minutes (settings.CELERY_BEAT_SCHEDULE): due-soon reminders and overdue alerts."""
    return deadline_watch(now=timezone.now())


@shared_task(acks_late=True)
def discard_stale_pending_uploads() -> int:
    """Hourly: the files kept for application forms never sent again (services/pending.py)."""
    return services.pending_uploads_discard_stale(before=timezone.now() - PENDING_UPLOAD_LIFETIME)


@shared_task(acks_late=True)
def remind_supplements() -> int:
    """Hourly: remind applicants whose supplement is due within settings.SUPPLEMENT_REMINDER_DAYS, once per request."""
    return services.supplement_reminders_send(now=timezone.now())
