"""Redis down or hung, for real: the test's own redis-server (`own_redis`, tests/fault_services.py), with the cache
and the Celery broker on it, killed (connections refused) or stopped with SIGSTOP (connections accepted, never
answered).

Writes answer in normal time and keep their notifications in the outbox; what a rate limit guards (the public
lookup, registration, the password reset) answers 503 with Retry-After, since its limit cannot be counted; sign-in
needs no Redis; once Redis is back the outbox is delivered, and no lookup shows an answer the change made stale.
A database error raised where no middleware catches it answers 503 too (the 500 handler)."""

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse

from config.celery import app
from dossiers import services
from dossiers.constants import DossierStatus
from dossiers.lookup import cache as lookup_cache
from portal.models import OutboxMessage, User
from portal.tasks import relay_outbox
from tests.factories import ProcedureFactory, UserFactory, dossier_in_status
from tests.portal.test_faults import assert_unavailable_page, serve, signed_in_cookies, unreachable_database

pytestmark = pytest.mark.django_db(transaction=True)

S = DossierStatus
FAULTS = ["down", "hung"]
NORMAL_TIME = 2.0  # seconds: what a person waits for an ordinary answer, far below the 19 s of a reconnect loop


def take_away(server, fault: str) -> None:
    if fault == "down":
        server.kill()
    else:
        server.pause()


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def pending_to(recipient: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(recipient=recipient, status=OutboxMessage.Status.PENDING))


def lookup(api_client, dossier):
    data = {"code": dossier.code, "second_factor": dossier.applicant_phone[-4:]}
    return api_client.post("/api/v1/lookup/", data, format="json")


@pytest.mark.parametrize("fault", FAULTS)
def test_while_redis_is_away_submissions_and_officer_actions_answer_in_normal_time(own_redis, fault, client):
    # Given a procedure, a citizen using the API and a dossier waiting at the reception desk
    procedure = ProcedureFactory()
    citizen = UserFactory(citizen=True)
    waiting, officers = dossier_in_status(S.SUBMITTED)
    client.force_login(citizen)
    officer_client = type(client)()
    officer_client.force_login(officers["reception"])

    # When Redis goes away
    take_away(own_redis, fault)
    submitted, submit_seconds = timed(
        client.post,
        "/api/v1/dossiers/",
        {"procedure": procedure.code, "delivery_method": "counter"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    received, receive_seconds = timed(
        officer_client.post,
        reverse("dossiers:officer-action", args=[waiting.pk, "receive"]),
        {"receive-note": "Đủ thành phần"},
    )

    # Then both are done in normal time, and their notifications wait in the outbox
    assert submitted.status_code == 201, submitted.content
    assert submit_seconds < NORMAL_TIME
    assert pending_to(citizen.email)
    assert received.status_code == 302
    assert receive_seconds < NORMAL_TIME
    waiting.refresh_from_db()
    assert waiting.status == S.RECEIVED
    assert pending_to(waiting.applicant_email)


def registration_form() -> dict:
    return {
        "applicant_type": "citizen",
        "full_name": "Trần Thị Bình",
        "email": "binh.tran@example.vn",
        "phone": "0912345678",
        "citizen_id": "034190001234",
        "organization_name": "",
        "tax_code": "",
        "password1": "Ngay-mai-troi-nang-2026",
        "password2": "Ngay-mai-troi-nang-2026",
    }


@pytest.mark.parametrize("fault", FAULTS)
def test_while_redis_is_away_the_rate_limited_pages_answer_503_and_do_nothing(own_redis, fault, client, api_client):
    # Given a dossier, and an account that could ask for a reset link
    dossier, _ = dossier_in_status(S.SUBMITTED)
    account = UserFactory(citizen=True)
    lookup_form = {"code": dossier.code, "second_factor": dossier.applicant_phone[-4:]}

    # When Redis goes away, so no limit can be counted
    take_away(own_redis, fault)
    pages = {
        "lookup": timed(client.post, reverse("dossiers:lookup"), lookup_form),
        "registration": timed(client.post, reverse("portal:register"), registration_form()),
        "password reset": timed(client.post, reverse("portal:password_reset"), {"email": account.email}),
    }
    api, api_seconds = timed(api_client.post, "/api/v1/lookup/", lookup_form, format="json")

    # Then each refuses at once with the interruption page, or the API's JSON 503, and a time to come back
    for name, (response, seconds) in pages.items():
        assert response.status_code == 503, name
        assert response["Retry-After"] == "30", name
        assert "Hệ thống tạm thời gián đoạn" in response.content.decode(), name
        assert dossier.code not in response.content.decode(), name
        assert seconds < NORMAL_TIME, name
    assert api.status_code == 503
    assert api["Retry-After"] == "30"
    assert api.json()["code"] == "service_unavailable"
    assert "tạm thời gián đoạn" in api.json()["detail"]
    assert api_seconds < NORMAL_TIME
    # and nothing was done: no account registered, no reset link queued
    assert not User.objects.filter(email="binh.tran@example.vn").exists()
    assert not OutboxMessage.objects.filter(recipient=account.email).exists()


@pytest.mark.parametrize("fault", FAULTS)
def test_sign_in_needs_no_redis(own_redis, fault, client):
    # Given an account (sessions and django-axes' failure records live in the database)
    user = UserFactory(citizen=True, email="an.nguyen@example.vn", password="Mat-khau-du-dai-2026")  # noqa: S106
    take_away(own_redis, fault)

    # When its owner signs in while Redis is away
    response, seconds = timed(
        client.post, reverse("portal:login"), {"username": "an.nguyen@example.vn", "password": "Mat-khau-du-dai-2026"}
    )

    # Then they are signed in, in normal time, and their pages open
    assert response.status_code == 302
    assert seconds < NORMAL_TIME
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("dossiers:my-dossiers")).status_code == 200


def test_once_redis_is_back_the_outbox_is_delivered(own_redis, client):
    # Given a submission made while Redis was down (the request to deliver at once was lost)
    procedure = ProcedureFactory()
    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    own_redis.kill()
    response = client.post(
        "/api/v1/dossiers/",
        {"procedure": procedure.code, "delivery_method": "counter"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201
    [waiting] = pending_to(citizen.email)
    assert mail.outbox == []

    # When Redis comes back (empty, as after a crash) and a worker runs the beat's periodic relay
    own_redis.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        relay_outbox.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and pending_to(citizen.email):
            time.sleep(0.1)

    # Then the citizen gets the e-mail, once
    waiting.refresh_from_db()
    assert waiting.status == OutboxMessage.Status.SENT
    assert [message.to for message in mail.outbox] == [[citizen.email]]
    assert response.json()["code"] in mail.outbox[0].subject


def test_a_change_made_while_redis_was_down_is_not_looked_up_stale_once_it_is_back(own_redis, api_client):
    # Given a dossier whose lookup answer is in a Redis that keeps its data on disk
    dossier, officers = dossier_in_status(S.SUBMITTED, applicant=UserFactory(citizen=True, phone="0912345678"))
    assert lookup(api_client, dossier).json()["status"] == S.SUBMITTED
    own_redis.save()

    # When it is received while that Redis is down (the cached answer cannot be made stale then), and Redis comes
    # back with the answer it had
    own_redis.kill()
    started = time.monotonic()
    services.dossier_receive(dossier=dossier, officer=officers["reception"])
    assert time.monotonic() - started < NORMAL_TIME
    assert lookup(api_client, dossier).status_code == 503  # no answer at all while the limits cannot be counted
    own_redis.start()

    # Then within a second or two the background retry has made the old answer stale, and the lookup shows the
    # change
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and dossier.code in lookup_cache._retries.pending():
        time.sleep(0.1)
    assert dossier.code not in lookup_cache._retries.pending()
    answer = lookup(api_client, dossier)
    assert answer.status_code == 200
    assert answer.json()["status"] == S.RECEIVED


def test_a_database_error_outside_any_view_answers_503_not_500(client):
    # Given a signed-in visitor (the 404 page names who is signed in: it reads the session and the user)
    cookies = signed_in_cookies(client, UserFactory(citizen=True))

    # When the database cannot be reached and they open an address no route matches: the 404 page itself fails
    with unreachable_database():
        answer = serve("/khong-co-trang-nay/", cookies=cookies)

    # Then the 500 handler answers the interruption page, not a 500
    assert_unavailable_page(*answer)
