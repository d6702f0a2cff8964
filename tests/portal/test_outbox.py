"""The transactional outbox (portal.notifications) and its relay task.

Messages are rows written in the transaction of the change they report; the relay delivers them later
and retries failures, so neither a rollback sends a message nor a broker or mail outage loses one.
"""

import logging
import smtplib
import socket
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone
from kombu import Connection

from dossiers.constants import DossierStatus
from portal import notifications
from portal.celery import app
from portal.models import OutboxMessage
from portal.notifications import KICK_RETRY_POLICY, MAX_ATTEMPTS, outbox_enqueue, outbox_relay
from portal.tasks import relay_outbox
from tests.factories import dossier_in_status

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.portal.test_outbox.FailingEmailBackend"
PICKY_BACKEND = "tests.portal.test_outbox.PickyEmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Máy chủ thư không trả lời")


class PickyEmailBackend(BaseEmailBackend):
    """Refuses one address, delivers the others to django.core.mail.outbox."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if "hong@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            mail.outbox.append(message)
        return len(email_messages)


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch):
    """After commit the outbox asks a worker to deliver at once; no worker runs here, so those requests
    are recorded instead of piling up in Redis. Tests that need the real broker path undo this."""
    kicks = []
    monkeypatch.setattr(relay_outbox, "apply_async", lambda *a, **kw: kicks.append(1))
    return kicks


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand (django.utils.timezone.now, as the outbox reads it)."""

    class Clock:
        # A second ahead of the real time: a message created now (its first attempt due at once,
        # by the model's default) is due on this clock.
        now = timezone.now() + timedelta(seconds=1)

        def advance(self, **delta):
            self.now += timedelta(**delta)

    fixed = Clock()
    monkeypatch.setattr(notifications.timezone, "now", lambda: fixed.now)
    return fixed


def enqueue_email(recipient="cong.dan@example.vn", **extra) -> OutboxMessage | None:
    return outbox_enqueue(
        channel=OutboxMessage.Channel.EMAIL,
        recipient=recipient,
        subject="Đã nộp hồ sơ",
        body="Hồ sơ của bạn đã được gửi.",
        **extra,
    )


# --- enqueue ------------------------------------------------------------------------------------


def test_a_rolled_back_transaction_leaves_no_message(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_email()
            raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert callbacks == []  # nor is the relay asked to run
    assert outbox_relay() == 0
    assert mail.outbox == []


def test_commit_asks_a_worker_to_relay(django_capture_on_commit_callbacks, _no_worker):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue_email()

    assert message.status == OutboxMessage.Status.PENDING
    assert _no_worker == [1]


def test_one_request_to_the_worker_per_transaction(django_capture_on_commit_callbacks, _no_worker):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(5):
            enqueue_email(recipient=f"nguoi{n}@example.vn")

    assert OutboxMessage.objects.count() == 5
    assert _no_worker == [1]


def test_a_kick_rolled_back_with_its_savepoint_is_asked_again(django_capture_on_commit_callbacks, _no_worker):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_email(recipient="bi.huy@example.vn")
            raise RuntimeError("rolled back")
        enqueue_email(recipient="con.lai@example.vn")

    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["con.lai@example.vn"]
    assert _no_worker == [1]


def test_no_recipient_no_message():
    assert enqueue_email(recipient="") is None
    assert OutboxMessage.objects.count() == 0


# --- relay --------------------------------------------------------------------------------------


def test_relay_sends_the_email_and_marks_it_sent(settings):
    message = enqueue_email()

    assert outbox_relay() == 1

    [email] = mail.outbox
    assert email.to == ["cong.dan@example.vn"]
    assert email.subject == "Đã nộp hồ sơ"
    assert email.body == "Hồ sơ của bạn đã được gửi."
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    # Nothing is sent twice.
    assert outbox_relay() == 0
    assert len(mail.outbox) == 1


def test_the_celery_task_runs_the_relay():
    enqueue_email()

    assert relay_outbox.apply().get() == 1
    assert relay_outbox.acks_late is True
    assert len(mail.outbox) == 1


def test_sms_goes_through_the_configured_backend(caplog):
    message = outbox_enqueue(channel=OutboxMessage.Channel.SMS, recipient="0912345678", body="H56-260310-0001: đã nộp")

    with caplog.at_level(logging.INFO, logger="portal.sms"):
        assert outbox_relay() == 1

    assert "SMS to 0912345678: H56-260310-0001: đã nộp" in caplog.messages
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_a_dedupe_key_lets_one_message_through():
    first = enqueue_email(dedupe_key="overdue:42:7")
    second = enqueue_email(dedupe_key="overdue:42:7")

    assert first is not None
    assert second is None
    assert OutboxMessage.objects.count() == 1
    assert outbox_relay() == 1
    assert outbox_relay() == 0
    assert len(mail.outbox) == 1


def test_a_dedupe_conflict_does_not_break_the_surrounding_transaction():
    enqueue_email(dedupe_key="due-soon:1:1")

    with transaction.atomic():
        assert enqueue_email(dedupe_key="due-soon:1:1") is None
        # The transaction is still usable after the refused insert.
        enqueue_email(recipient="khac@example.vn")

    assert OutboxMessage.objects.count() == 2


# --- failures and retries -----------------------------------------------------------------------


def test_a_failed_delivery_is_retried_later_with_backoff(settings, clock):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    message = enqueue_email()

    # First attempt fails: counted, error kept, next attempt in 2 minutes, still pending.
    assert outbox_relay() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at == clock.now + timedelta(minutes=2)
    assert "Máy chủ thư không trả lời" in message.last_error

    first_failure = clock.now
    # Not due yet: a relay a minute later leaves it alone.
    clock.advance(minutes=1)
    assert outbox_relay() == 0
    message.refresh_from_db()
    assert message.attempts == 1

    # Due again: the second failure doubles the wait.
    clock.advance(minutes=1)
    assert clock.now == first_failure + timedelta(minutes=2)
    outbox_relay()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == clock.now + timedelta(minutes=4)

    # The mail server is back: the next attempt delivers.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(minutes=4)
    assert outbox_relay() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 3
    assert len(mail.outbox) == 1


def test_a_message_fails_for_good_after_max_attempts(settings, clock):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    message = enqueue_email()

    for attempt in range(1, MAX_ATTEMPTS + 1):
        outbox_relay()
        message.refresh_from_db()
        assert message.attempts == attempt
        expected = OutboxMessage.Status.FAILED if attempt == MAX_ATTEMPTS else OutboxMessage.Status.PENDING
        assert message.status == expected
        clock.advance(days=1)

    # A failed message is not tried again.
    assert outbox_relay() == 0
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS
    assert mail.outbox == []


def test_one_failing_message_does_not_hold_back_the_others(settings):
    settings.EMAIL_BACKEND = PICKY_BACKEND
    refused = enqueue_email(recipient="hong@example.vn")
    enqueue_email(recipient="a@example.vn")
    enqueue_email(recipient="b@example.vn")

    assert outbox_relay() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.vn", "b@example.vn"]
    refused.refresh_from_db()
    assert refused.status == OutboxMessage.Status.PENDING
    assert refused.attempts == 1


# --- a broker outage ----------------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Redis is unreachable: the app publishes through a connection to a port where nothing listens,
    so publishing `relay_outbox` fails inside kombu exactly as it would with Redis down."""
    monkeypatch.undo()  # the real `apply_async`, not the recorder of `_no_worker`
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dead = Connection(f"redis://127.0.0.1:{closed_port}/0", connect_timeout=1)

    @contextmanager
    def producer(producer=None):
        yield dead.Producer()

    monkeypatch.setattr(app, "producer_or_acquire", producer)
    yield
    dead.release()


def test_a_redis_outage_at_submission_loses_no_notification(broker_down, django_capture_on_commit_callbacks, caplog):
    # Given Redis is down, when an applicant submits (the commit tries to wake a worker and fails)
    with caplog.at_level(logging.WARNING, logger="portal.notifications"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            dossier, _officers = dossier_in_status(DossierStatus.SUBMITTED)

    # Then the submission went through, the broker failure was logged, and the messages wait in the outbox
    assert callbacks
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    assert dossier.code
    assert "Could not queue the outbox relay; the periodic relay will deliver." in caplog.messages
    [pending] = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    assert pending.channel == OutboxMessage.Channel.EMAIL
    assert pending.recipient == dossier.applicant_email
    assert mail.outbox == []

    # When the periodic relay runs later (the broker is back or not: it needs only the database),
    # the applicant gets the e-mail
    assert outbox_relay() == 1
    [email] = mail.outbox
    assert email.to == [dossier.applicant_email]
    assert dossier.code in email.subject
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()


def test_the_broker_failure_is_a_real_kombu_error(broker_down):
    from kombu.exceptions import OperationalError

    with pytest.raises(OperationalError):
        relay_outbox.apply_async(retry_policy=KICK_RETRY_POLICY)


# --- two relays at once -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_message_once():
    for n in range(25):
        enqueue_email(recipient=f"nguoi{n}@example.vn")

    barrier = threading.Barrier(2)
    sent, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            while count := outbox_relay(batch_size=4):
                sent.append(count)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(sent) == 25
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"nguoi{n}@example.vn" for n in range(25))
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 25
