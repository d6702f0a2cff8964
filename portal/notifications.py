"""The transactional outbox: enqueue inside the change's transaction, deliver from a task.

Delivery never happens inside a database transaction. The relay claims a batch in a short transaction
(`SELECT ... FOR UPDATE SKIP LOCKED`, then a lease: the claimed rows are due again only after
CLAIM_LEASE, with the attempt counted), commits, sends each message with no transaction or lock open,
and records each result in its own statement. A hung mail server therefore holds no row lock, a failure
after some sends re-sends nothing already recorded, and a worker that dies mid-batch leaves its
unrecorded messages to be claimed again once the lease runs out (at-least-once delivery).
"""

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage
from .sms import send_sms

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
RELAY_BATCH_SIZE = 100
# How long a claimed message belongs to the relay that claimed it (settings.OUTBOX_CLAIM_LEASE_SECONDS, 5 minutes).
# Longer than any one send can take (EMAIL_TIMEOUT bounds each SMTP operation; SMS backends must bound theirs
# the same way).
CLAIM_LEASE = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)
# A relay starts no new send this close to the end of its lease (a minute of the 5): the rest of the batch is
# handed back (due at once, the attempt not counted) rather than risk a second relay claiming a message being sent.
LEASE_SAFETY_MARGIN = CLAIM_LEASE / 5
# Publishing the "deliver now" request: one try, no retry; Celery's default policy would hold the request
# ~0.6 s per retry, and a hung broker settings.REDIS_TIMEOUT_SECONDS per try. (A pooled connection left stale by
# a Redis restart needs no retry: redis-py replaces it when it is taken from the pool.)
KICK_RETRY_POLICY = {"max_retries": 0, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


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


def outbox_retry(*, message_ids) -> int:
    """Give messages that failed for good a fresh set of attempts, due at once (an administrator's
    decision once the cause is fixed: a mistyped address corrected, a mail server back). Messages that
    are not FAILED are left alone. Returns how many were put back in the queue."""
    now = timezone.now()
    with transaction.atomic():
        count = OutboxMessage.objects.filter(pk__in=list(message_ids), status=OutboxMessage.Status.FAILED).update(
            status=OutboxMessage.Status.PENDING, attempts=0, next_attempt_at=now, updated_at=now
        )
        if count:
            _kick_relay_on_commit()
    return count


# --- asking a worker to deliver now -------------------------------------------------------------

# One request to the worker per transaction, however many messages it wrote (the deadline watch writes
# hundreds in one batch; each kick would be a broker round trip and a relay run). Every enqueue registers
# its own on_commit callback (so a savepoint rolled back with one of them loses nothing) and clears this
# thread's "kicked" flag; the first callback to run after the commit kicks and sets it, the others of the
# same commit see it set and return. A transaction's enqueues all happen before its commit, and the next
# transaction's first enqueue clears the flag again, so every committed transaction kicks exactly once.
_kick_state = threading.local()


def _kick_relay_on_commit() -> None:
    _kick_state.kicked = False
    transaction.on_commit(_kick_relay_once)


def _kick_relay_once() -> None:
    if getattr(_kick_state, "kicked", False):
        return
    _kick_state.kicked = True
    _kick_relay()


def _kick_relay() -> None:
    """Ask a worker to deliver now; if the broker is down the periodic relay delivers later. One try, bounded
    by settings.REDIS_TIMEOUT_SECONDS; the task's result is not stored (CELERY_TASK_IGNORE_RESULT), so the
    result backend is not asked: the user's request must not wait for a Redis that is down."""
    from .tasks import relay_outbox

    try:
        relay_outbox.apply_async(retry_policy=KICK_RETRY_POLICY)
    except Exception:  # noqa: BLE001 - any broker failure must not fail the user's request
        logger.warning("Could not queue the outbox relay; the periodic relay will deliver.", exc_info=True)


# --- the relay ----------------------------------------------------------------------------------


def _deliver(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.EMAIL:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
    else:
        send_sms(phone=message.recipient, text=message.body)


def _claim(*, batch_size: int) -> tuple[list[OutboxMessage], datetime]:
    """Claim due pending messages in one short transaction: lock them (skipping rows another relay has
    locked), count the attempt and push their next attempt past the lease. Returns the batch, with the
    claimed values, and the end of the lease (which, with `attempts`, identifies this claim)."""
    now = timezone.now()
    lease_until = now + CLAIM_LEASE
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")[:batch_size]
        )
        if batch:
            OutboxMessage.objects.filter(pk__in=[message.pk for message in batch]).update(
                attempts=F("attempts") + 1, next_attempt_at=lease_until, updated_at=now
            )
    for message in batch:
        message.attempts += 1
        message.next_attempt_at = lease_until
    return batch, lease_until


def _ours(message: OutboxMessage, lease_until: datetime):
    """The message, if this relay's claim still holds (no other relay re-claimed it after the lease)."""
    return OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.PENDING, attempts=message.attempts, next_attempt_at=lease_until
    )


def _record(message: OutboxMessage, lease_until: datetime, error: Exception | None) -> bool:
    """Record one delivery's result in its own statement (autocommit: its own transaction)."""
    now = timezone.now()
    if error is None:
        changes = {"status": OutboxMessage.Status.SENT, "sent_at": now}
    elif message.attempts >= MAX_ATTEMPTS:
        changes = {"status": OutboxMessage.Status.FAILED, "last_error": str(error)[:2000]}
    else:
        changes = {"next_attempt_at": now + timedelta(minutes=2**message.attempts), "last_error": str(error)[:2000]}
    recorded = _ours(message, lease_until).update(updated_at=now, **changes)
    if not recorded:
        logger.warning("Outbox message %s: the claim ran out before its result was recorded.", message.pk)
    return bool(recorded)


def _release(messages: list[OutboxMessage], lease_until: datetime) -> None:
    """Hand back claimed messages this relay will not send: due at once, the attempt not counted."""
    now = timezone.now()
    for message in messages:
        _ours(message, lease_until).update(attempts=F("attempts") - 1, next_attempt_at=now, updated_at=now)


def outbox_relay(*, batch_size: int = RELAY_BATCH_SIZE) -> int:
    """Deliver due pending messages; safe to run concurrently (rows are claimed with SKIP LOCKED and a
    lease). Call it outside any transaction: the sends must not hold one open. Returns how many were sent."""
    batch, lease_until = _claim(batch_size=batch_size)
    sent = 0
    for position, message in enumerate(batch):
        if timezone.now() >= lease_until - LEASE_SAFETY_MARGIN:
            _release(batch[position:], lease_until)
            break
        try:
            _deliver(message)
        except Exception as error:  # noqa: BLE001 - a failed delivery is recorded and retried
            _record(message, lease_until, error)
        else:
            _record(message, lease_until, None)
            sent += 1
    return sent
