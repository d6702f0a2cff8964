"""The transactional outbox (portal.notifications) and its relay task.

Messages are rows written in the transaction of the change they report; the relay delivers them later
and retries failures, so neither a rollback sends a message nor a broker or mail outage loses one.
"""

import inspect
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

from config.celery import app
from dossiers.constants import DossierStatus
from portal import notifications
from portal.models import OutboxMessage
from portal.notifications import (
    CLAIM_LEASE,
    KICK_RETRY_POLICY,
    MAX_ATTEMPTS,
    outbox_enqueue,
    outbox_relay,
    outbox_retry,
)
from portal.tasks import relay_outbox
from tests.concurrency import run_at_once
from tests.factories import dossier_in_status

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.portal.test_outbox.FailingEmailBackend"
PICKY_BACKEND = "tests.portal.test_outbox.PickyEmailBackend"
HANGING_BACKEND = "tests.portal.test_outbox.HangingEmailBackend"


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


def test_each_transaction_asks_once(django_capture_on_commit_callbacks, _no_worker):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_email(recipient="a@example.vn")
        enqueue_email(recipient="b@example.vn")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_email(recipient="c@example.vn")

    assert _no_worker == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_real_commits_ask_once_per_transaction(_no_worker):
    # Real commits (no test transaction around them): a multi-message transaction, then two autocommit writes.
    with transaction.atomic():
        for n in range(3):
            enqueue_email(recipient=f"nguoi{n}@example.vn")
    assert _no_worker == [1]

    enqueue_email(recipient="mot@example.vn")
    enqueue_email(recipient="hai@example.vn")
    assert _no_worker == [1, 1, 1]


def test_the_once_per_transaction_rule_uses_no_private_django_api():
    # It used to read `connection.run_on_commit`, Django's private list of callbacks, which may change
    # shape in any release.
    assert "run_on_commit" not in inspect.getsource(notifications)


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

    # Outside DEBUG the log gets a masked number and the length, never the text (personal data).
    assert caplog.messages == ["SMS to *******678 (23 characters)"]
    assert "0912345678" not in caplog.text
    assert "H56-260310-0001" not in caplog.text
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT


def test_the_log_sms_backend_shows_everything_in_debug(settings, caplog):
    # A developer running the portal locally reads the messages in the console.
    settings.DEBUG = True
    outbox_enqueue(channel=OutboxMessage.Channel.SMS, recipient="0912345678", body="H56-260310-0001: đã nộp")

    with caplog.at_level(logging.INFO, logger="portal.sms"):
        assert outbox_relay() == 1

    assert caplog.messages == ["SMS to 0912345678: H56-260310-0001: đã nộp"]


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

    def relay_until_empty(_index):
        sent = 0
        while count := outbox_relay(batch_size=4):
            sent += count
        return sent

    sent, errors = run_at_once(2, relay_until_empty)

    assert errors == []
    assert sum(sent) == 25
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"nguoi{n}@example.vn" for n in range(25))
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count() == 25


# --- sending outside any transaction ------------------------------------------------------------


def test_smtp_connections_time_out(settings):
    # A mail server that accepts the connection and then says nothing must not stall the relay forever.
    from django.core.mail import get_connection

    assert settings.EMAIL_TIMEOUT == 20
    assert get_connection("django.core.mail.backends.smtp.EmailBackend").timeout == 20


class HangingEmailBackend(BaseEmailBackend):
    """A mail server that hangs on "treo@" addresses until the test lets go, then drops the line;
    delivers the others to django.core.mail.outbox."""

    started: threading.Event
    release: threading.Event

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to[0].startswith("treo@"):
                HangingEmailBackend.started.set()
                HangingEmailBackend.release.wait(timeout=30)
                raise smtplib.SMTPServerDisconnected("Máy chủ thư treo rồi ngắt kết nối")
            mail.outbox.append(message)
        return len(email_messages)


@pytest.fixture
def hanging_backend(settings, monkeypatch):
    settings.EMAIL_BACKEND = HANGING_BACKEND
    monkeypatch.setattr(HangingEmailBackend, "started", threading.Event(), raising=False)
    monkeypatch.setattr(HangingEmailBackend, "release", threading.Event(), raising=False)
    return HangingEmailBackend


def sessions_idle_in_transaction() -> int:
    """Connections to the test database that hold a transaction open while doing nothing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_hung_then_failing_send_holds_no_lock(hanging_backend):
    # Given two messages, the first to a mail server that hangs
    hung = enqueue_email(recipient="treo@example.vn")
    enqueue_email(recipient="cho@example.vn")
    results, errors = [], []

    def first_relay():
        try:
            results.append(outbox_relay(batch_size=1))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    # When a relay in another thread is stuck sending it
    thread = threading.Thread(target=first_relay)
    thread.start()
    try:
        assert hanging_backend.started.wait(timeout=10)

        # Then that relay holds no transaction open ...
        assert sessions_idle_in_transaction() == 0
        # ... and no lock on the message it is sending (an administrator's retry could update it) ...
        with transaction.atomic():
            OutboxMessage.objects.select_for_update(nowait=True).get(pk=hung.pk)
        # ... and a second relay sends the other message meanwhile, leaving the claimed one alone.
        assert outbox_relay() == 1
        assert [email.to[0] for email in mail.outbox] == ["cho@example.vn"]
    finally:
        hanging_backend.release.set()
        thread.join(timeout=30)

    # When the hung connection finally drops, the failure is recorded for a later retry, and nothing stays locked.
    assert errors == []
    assert results == [0]
    hung.refresh_from_db()
    assert hung.status == OutboxMessage.Status.PENDING
    assert hung.attempts == 1
    assert "treo rồi ngắt" in hung.last_error
    assert hung.next_attempt_at > timezone.now() + timedelta(minutes=1)
    assert sessions_idle_in_transaction() == 0


class WorkerCrash(BaseException):
    """The worker process dies (killed, out of memory) in the middle of a batch: no `except Exception`
    catches it and its open transaction, if any, is rolled back."""


def test_a_crashed_relay_resends_only_what_it_did_not_record_and_only_after_the_lease(monkeypatch, clock):
    sent_first = enqueue_email(recipient="a@example.vn")
    lost = enqueue_email(recipient="b@example.vn")
    deliver = notifications._deliver

    def crash_on_b(message):
        if message.recipient == "b@example.vn":
            raise WorkerCrash
        deliver(message)

    # Given a relay that sent the first message and died while sending the second
    monkeypatch.setattr(notifications, "_deliver", crash_on_b)
    with pytest.raises(WorkerCrash):
        outbox_relay()
    monkeypatch.setattr(notifications, "_deliver", deliver)
    assert len(mail.outbox) == 1

    # Then the first message is recorded as sent (it will not go twice)
    sent_first.refresh_from_db()
    assert sent_first.status == OutboxMessage.Status.SENT
    # ... and the second stays claimed: counted, due again only when the lease runs out
    lost.refresh_from_db()
    assert lost.status == OutboxMessage.Status.PENDING
    assert lost.attempts == 1
    assert lost.next_attempt_at == clock.now + CLAIM_LEASE

    # A relay during the lease leaves it alone
    clock.advance(minutes=4)
    assert outbox_relay() == 0

    # After the lease another relay claims and sends it
    clock.advance(minutes=1)
    assert outbox_relay() == 1
    assert sorted(email.to[0] for email in mail.outbox) == ["a@example.vn", "b@example.vn"]
    lost.refresh_from_db()
    assert lost.status == OutboxMessage.Status.SENT
    assert lost.attempts == 2


def test_a_relay_hands_back_what_it_cannot_send_before_its_lease_ends(monkeypatch, clock):
    for n in range(3):
        enqueue_email(recipient=f"nguoi{n}@example.vn")
    deliver = notifications._deliver

    def slow(message):
        deliver(message)
        clock.advance(minutes=2)  # a slow mail server, each send within the timeout

    # Given sends of two minutes each and a five-minute lease, the relay starts no send in the lease's
    # last minute: two go out, the third is handed back, due at once, its attempt not counted
    monkeypatch.setattr(notifications, "_deliver", slow)
    assert outbox_relay() == 2
    third = OutboxMessage.objects.get(recipient="nguoi2@example.vn")
    assert third.status == OutboxMessage.Status.PENDING
    assert third.attempts == 0
    assert third.next_attempt_at == clock.now

    # The next relay sends it
    assert outbox_relay() == 1
    assert sorted(email.to[0] for email in mail.outbox) == [f"nguoi{n}@example.vn" for n in range(3)]


def test_a_lost_claim_records_nothing(monkeypatch, clock, caplog):
    message = enqueue_email()
    deliver = notifications._deliver

    def outlived_lease(message_being_sent):
        # The send outlasts the lease and another relay claims the message in the meantime.
        clock.advance(minutes=6)
        OutboxMessage.objects.filter(pk=message.pk).update(attempts=2, next_attempt_at=clock.now + CLAIM_LEASE)
        deliver(message_being_sent)

    monkeypatch.setattr(notifications, "_deliver", outlived_lease)
    with caplog.at_level(logging.WARNING, logger="portal.notifications"):
        assert outbox_relay() == 1

    # The other relay's claim stands: the late result does not overwrite it.
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 2
    assert f"Outbox message {message.pk}: the claim ran out before its result was recorded." in caplog.messages


# --- retrying failed messages (the admin's "Gửi lại") -------------------------------------------


def test_retry_puts_failed_messages_back_in_the_queue(settings, clock, django_capture_on_commit_callbacks, _no_worker):
    delivered = enqueue_email(recipient="da.gui@example.vn")
    assert outbox_relay() == 1
    settings.EMAIL_BACKEND = FAILING_BACKEND
    failed = enqueue_email(recipient="sai@example.vn")
    for _attempt in range(MAX_ATTEMPTS):
        outbox_relay()
        clock.advance(days=1)
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.FAILED
    _no_worker.clear()

    # When an administrator retries both (the mail server is fixed meanwhile)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[failed.pk, delivered.pk]) == 1

    # Then the failed one is pending again with a fresh set of attempts, due now, and a worker is asked
    failed.refresh_from_db()
    assert failed.status == OutboxMessage.Status.PENDING
    assert failed.attempts == 0
    assert failed.next_attempt_at == clock.now
    assert _no_worker == [1]
    # ... the one already sent is left alone
    delivered.refresh_from_db()
    assert delivered.status == OutboxMessage.Status.SENT
    # ... and the relay delivers the retried one, once
    assert outbox_relay() == 1
    assert [email.to[0] for email in mail.outbox] == ["da.gui@example.vn", "sai@example.vn"]


def test_retry_of_nothing_failed_asks_no_worker(django_capture_on_commit_callbacks, _no_worker):
    pending = enqueue_email()
    _no_worker.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[pending.pk]) == 0

    assert _no_worker == []
