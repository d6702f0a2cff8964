"""Password reset: the link goes out through the outbox (never inside the request), the page answers the same
for known and unknown addresses, and requests are limited per client address and per e-mail."""

import re
import time

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from portal import services, views
from portal.models import OutboxMessage
from portal.notifications import outbox_enqueue, outbox_relay
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("portal:password_reset")
DONE = reverse("portal:password_reset_done")
LOGIN = reverse("portal:login")
NEW_PASSWORD = "Hoa-sen-no-giua-ho-2027"


class MailInsideTheRequest(AssertionError):
    pass


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server the request must never reach: reaching it fails the test."""

    def send_messages(self, email_messages):
        raise MailInsideTheRequest("a mail was sent inside the request")


@pytest.fixture(autouse=True)
def _quick_answers(monkeypatch):
    """Answers without the fixed delay (test_known_and_unknown_addresses_take_the_same_time checks it)."""
    monkeypatch.setattr(views, "RESET_ANSWER_SECONDS", 0)


@pytest.fixture
def no_mail_in_requests(settings):
    settings.EMAIL_BACKEND = "tests.portal.test_password_reset.RefusingEmailBackend"
    yield
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def ask_reset(client, email: str, address: str = "203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def queued_resets() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL))


def link_in(body: str) -> str:
    """The path of the reset link in a mail's body."""
    return re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+)", body).group(1)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_the_page_opens(client):
    response = client.get(RESET)

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_the_link_is_queued_in_the_outbox_not_sent_in_the_request(
    client, citizen, no_mail_in_requests, django_capture_on_commit_callbacks
):
    # Given a mail server the request must not reach
    # When the citizen asks for a link
    with django_capture_on_commit_callbacks() as after_commit:
        response = ask_reset(client, citizen.email)

    # Then the page answers at once, and the mail waits in the outbox for the relay, asked after commit
    assert response.status_code == 302
    assert response["Location"] == DONE
    [queued] = queued_resets()
    assert queued.recipient == citizen.email
    assert queued.status == OutboxMessage.Status.PENDING
    assert queued.subject == "Đặt lại mật khẩu tài khoản Cổng Dịch vụ công"
    assert "/dat-lai-mat-khau/" in queued.body
    assert len(after_commit) == 1
    assert mail.outbox == []


def test_the_link_works_end_to_end(client, citizen):
    # Given a reset asked for, and the relay run
    ask_reset(client, citizen.email.upper())
    assert outbox_relay() == 1
    [sent] = mail.outbox
    assert sent.to == [citizen.email]

    # When the citizen opens the link and types a new password twice
    form_page = client.get(link_in(sent.body), follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )

    # Then the new password signs in, the old one no longer does, and the link is used up
    assert done.redirect_chain[-1][0] == reverse("portal:password_reset_complete")
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert not citizen.check_password(TEST_PASSWORD)
    signed_in = client.post(LOGIN, {"username": citizen.citizen_id, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)
    client.post(reverse("portal:logout"))
    assert client.get(link_in(sent.body), follow=True).context["validlink"] is False


def test_a_weak_new_password_is_refused_and_the_old_one_kept(client, citizen):
    ask_reset(client, citizen.email)
    outbox_relay()
    form_page = client.get(link_in(mail.outbox[0].body), follow=True)

    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert "Mật khẩu không được chỉ gồm chữ số." in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    "kind", ["unknown e-mail", "inactive account", "account without a password", "a second request"]
)
def test_known_and_unknown_addresses_get_the_same_answer(client, citizen, kind):
    # Given the answer for an account that exists
    known = ask_reset(client, citizen.email, address="203.0.113.1")
    known_page = client.get(DONE)
    queued_before = len(queued_resets())

    # When someone asks for an address that would not get a mail
    email = {
        "unknown e-mail": "khong-ai@example.vn",
        "inactive account": UserFactory(citizen=True, is_active=False).email,
        "account without a password": UserFactory(citizen=True, password=None).email,
        "a second request": citizen.email,
    }[kind]
    other = ask_reset(client, email, address="203.0.113.2")
    other_page = client.get(DONE)

    # Then the answer is the same redirect to the same page
    assert (other.status_code, other["Location"]) == (known.status_code, known["Location"]) == (302, DONE)
    assert without_csrf(other_page.content.decode()) == without_csrf(known_page.content.decode())
    assert "Nếu thư điện tử bạn nhập đã được đăng ký" in other_page.content.decode()
    assert len(queued_resets()) == queued_before + (1 if kind == "a second request" else 0)


def test_known_and_unknown_addresses_take_the_same_time(client, citizen, monkeypatch):
    # Given a database slow to take the outbox row, which only a known account's request writes
    floor = 0.2
    monkeypatch.setattr(views, "RESET_ANSWER_SECONDS", floor)

    def slow_enqueue(**message):
        time.sleep(0.1)
        return outbox_enqueue(**message)

    monkeypatch.setattr(services, "outbox_enqueue", slow_enqueue)

    # When a known and an unknown address are asked for
    def answer_time(email: str) -> float:
        started = time.monotonic()
        ask_reset(client, email)
        return time.monotonic() - started

    known, unknown = answer_time(citizen.email), answer_time("khong-ai@example.vn")

    # Then both wait for the same fixed time: the 0.1 s of the known one does not show
    assert len(queued_resets()) == 1
    assert known >= floor
    assert unknown >= floor
    assert abs(known - unknown) < 0.08


def test_a_badly_typed_address_is_told_and_nothing_is_queued(client):
    response = ask_reset(client, "khong-phai-thu-dien-tu")

    assert response.status_code == 200
    assert "Nhập một địa chỉ email hợp lệ." in response.content.decode()
    assert queued_resets() == []


def test_at_most_three_mails_per_account_an_hour_and_the_page_never_tells(client, citizen, settings):
    # Given the default limit, and requests from several addresses, in any letter case
    assert settings.PASSWORD_RESET_ACCOUNT_LIMIT == 3
    spellings = [citizen.email, citizen.email.upper(), citizen.email, citizen.email.title()]

    answers = [ask_reset(client, email, address=f"198.51.100.{n}") for n, email in enumerate(spellings)]

    # Then the fourth gets the same "sent" answer, and the mailbox only three links
    assert [(answer.status_code, answer["Location"]) for answer in answers] == [(302, DONE)] * 4
    assert len(queued_resets()) == 3
    assert {message.recipient for message in queued_resets()} == {citizen.email}


def test_the_account_limit_leaves_other_accounts_alone(client, citizen, settings):
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 1
    neighbour = UserFactory(citizen=True)
    ask_reset(client, citizen.email)
    ask_reset(client, citizen.email)

    ask_reset(client, neighbour.email)

    assert sorted(message.recipient for message in queued_resets()) == sorted([citizen.email, neighbour.email])


def test_too_many_requests_from_one_address_get_a_429_in_vietnamese(client, citizen, settings):
    # Given an address that used its requests for the hour
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 2
    ask_reset(client, "mot@example.vn", address="192.0.2.9")
    ask_reset(client, "hai@example.vn", address="192.0.2.9")

    # When it asks once more, Then it is refused with a clear page and a time to come back, and nothing is queued
    refused = ask_reset(client, citizen.email, address="192.0.2.9")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Có quá nhiều yêu cầu đặt lại mật khẩu từ địa chỉ mạng này" in refused.content.decode()
    assert queued_resets() == []

    # And another address is still served
    assert ask_reset(client, citizen.email, address="192.0.2.10").status_code == 302
    assert len(queued_resets()) == 1
