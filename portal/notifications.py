"""The transactional outbox: enqueue inside the change's transaction, deliver from a task."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import OutboxMessage
from .sms import send_sms

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RELAY_BATCH_SIZE = 100
# Publishing the "deliver now" request: one immediate reconnect (a pooled connection may be stale after
# a Redis restart), then give up; Celery's default policy would hold the request ~0.6 s per try.
KICK_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def outbox_enqueue(
    *, channel: str, recipient: str, body: str, subject: str = "", dedupe_key: str | None = None
) -> OutboxMessage | None:
    """Record a message to send once the surrounding transaction commits. None when there is no
    recipient, or when a message with the same dedupe key already exists."""
    if not recipient:
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                channel=channel, recipient=recipient, subject=subject, body=body, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    _kick_relay_on_commit()
    return message


def _kick_relay_on_commit() -> None:
    """One request to the worker per transaction, however many messages it wrote (the deadline watch
    writes hundreds in one batch; each kick would be a broker round trip and a relay run)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(func is _kick_relay for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_kick_relay)


def _kick_relay() -> None:
    """Ask a worker to deliver now; if the broker is down the periodic relay delivers later. One quick
    reconnect at most: the user's request must not wait for a broker that is down."""
    from .tasks import relay_outbox

    try:
        relay_outbox.apply_async(retry_policy=KICK_RETRY_POLICY)
    except Exception:  # noqa: BLE001 - any broker failure must not fail the user's request
        logger.warning("Could not queue the outbox relay; the periodic relay will deliver.", exc_info=True)


def _deliver(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    else:
        send_sms(phone=message.recipient, text=message.body)


def outbox_relay(*, batch_size: int = RELAY_BATCH_SIZE) -> int:
    """Deliver due pending messages; safe to run concurrently (rows are claimed with SKIP LOCKED).
    Returns how many were sent."""
    sent = 0
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")[:batch_size]
        )
        for message in batch:
            message.attempts += 1
            try:
                _deliver(message)
            except Exception as error:  # noqa: BLE001 - a failed delivery is recorded and retried
                message.last_error = str(error)[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxMessage.Status.FAILED
                else:
                    message.next_attempt_at = now + timedelta(minutes=2**message.attempts)
            else:
                message.status = OutboxMessage.Status.SENT
                message.sent_at = timezone.now()
                sent += 1
            message.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at", "updated_at"])
    return sent
