"""Thin Celery tasks: each calls a service and is safe to run twice (`acks_late`)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def update_statistics() -> dict:
    """Every few minutes (settings.CELERY_BEAT_SCHEDULE): the summary rows that changes since the last run moved."""
    result = services.statistics_update_incremental()
    return {"rows": result.rows, "changes": result.changes, "skipped": result.skipped}


@shared_task(acks_late=True)
def recompute_statistics() -> dict:
    """Nightly: every summary row afresh."""
    return {"rows": services.statistics_recompute_full().rows}
