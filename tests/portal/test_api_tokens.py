"""API tokens: obtained with a password, stored as a SHA-256, valid API_TOKEN_LIFETIME_HOURS, revoked by their
owner or by any change of the owner's password; the owner lists and revokes its own tokens."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import ApiToken
from portal.notifications import outbox_relay
from portal.services import API_TOKENS_PER_USER
from tests.factories import TEST_PASSWORD, DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
TOKENS_URL = "/api/v1/auth/tokens/"
DOSSIERS_URL = "/api/v1/dossiers/"
NEW_PASSWORD = "Hoa-sen-no-giua-ho-2027"


def obtain(user, name: str = "") -> dict:
    response = APIClient().post(
        TOKEN_URL, {"username": user.email, "password": TEST_PASSWORD, "name": name}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def opens_the_api(key: str) -> bool:
    return client_with(key).get(DOSSIERS_URL).status_code == 200


# --- obtaining and using a token ---------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["email", "citizen_id"])
def test_client_obtains_a_token_and_uses_it(api_client, citizen, identifier):
    DossierFactory(applicant=citizen)

    obtained = api_client.post(
        TOKEN_URL, {"username": getattr(citizen, identifier), "password": TEST_PASSWORD}, format="json"
    )
    body = obtained.json()
    listed = client_with(body["token"]).get(DOSSIERS_URL)

    assert obtained.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{40}", body["token"])
    assert listed.status_code == 200
    assert listed.json()["count"] == 1


def test_the_key_is_not_stored_only_its_digest(citizen):
    body = obtain(citizen, name="Phần mềm kế toán")

    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == citizen
    assert token.name == "Phần mềm kế toán"
    assert token.key_digest == ApiToken.digest_of(body["token"])
    assert token.last_four == body["token"][-4:]
    stored = {str(value) for value in ApiToken.objects.values_list(*[f.attname for f in ApiToken._meta.fields])[0]}
    assert body["token"] not in stored


def test_a_token_lives_the_configured_lifetime(citizen):
    before = timezone.now()

    body = obtain(citizen)

    expires_at = ApiToken.objects.get(pk=body["id"]).expires_at
    lifetime = timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)
    assert settings.API_TOKEN_LIFETIME_HOURS == 24 * 30
    assert before + lifetime <= expires_at <= timezone.now() + lifetime
    assert body["expires_at"] == expires_at.astimezone(timezone.get_current_timezone()).isoformat()


def test_an_expired_token_is_refused_with_a_clear_message(citizen, settings, monkeypatch):
    # Given a token obtained with a one-hour lifetime
    settings.API_TOKEN_LIFETIME_HOURS = 1
    key = obtain(citizen)["token"]
    assert opens_the_api(key)

    # When an hour has passed
    later = timezone.now() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client_with(key).get(DOSSIERS_URL)

    # Then it is refused, in Vietnamese, with the scheme to use
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Mã truy cập API đã hết hạn. Hãy lấy mã mới tại /api/v1/auth/token/."


def test_each_obtain_gives_a_new_token_and_the_old_ones_keep_working(citizen):
    first, second = obtain(citizen)["token"], obtain(citizen)["token"]

    assert first != second
    assert opens_the_api(first)
    assert opens_the_api(second)


def test_a_user_keeps_a_bounded_number_of_tokens_the_oldest_go(citizen):
    keys = [obtain(citizen)["token"] for _n in range(API_TOKENS_PER_USER + 1)]

    assert ApiToken.objects.filter(user=citizen).count() == API_TOKENS_PER_USER
    assert not opens_the_api(keys[0])
    assert opens_the_api(keys[1])
    assert opens_the_api(keys[-1])


def test_a_too_long_name_is_refused_and_no_token_made(api_client, citizen):
    response = api_client.post(
        TOKEN_URL, {"username": citizen.email, "password": TEST_PASSWORD, "name": "x" * 101}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["name"] == ["Trường này chỉ được có tối đa 100 ký tự."]
    assert not ApiToken.objects.exists()


def test_wrong_password_gets_no_token(api_client, citizen):
    response = api_client.post(TOKEN_URL, {"username": citizen.email, "password": "sai"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_credentials", "detail": "Thông tin đăng nhập không đúng."}
    assert not ApiToken.objects.exists()


def test_repeated_failures_lock_token_requests_too(api_client, citizen):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        api_client.post(TOKEN_URL, {"username": citizen.email, "password": "sai"}, format="json")

    response = api_client.post(TOKEN_URL, {"username": citizen.citizen_id, "password": TEST_PASSWORD}, format="json")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "tạm khoá" in response.json()["detail"]
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    assert not ApiToken.objects.exists()


def test_a_bad_token_is_refused(api_client):
    response = api_client.get(DOSSIERS_URL, HTTP_AUTHORIZATION="Token khong-hop-le")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Mã truy cập API không hợp lệ hoặc đã bị thu hồi."


def test_the_token_of_a_locked_account_is_refused(citizen):
    key = obtain(citizen)["token"]
    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    response = client_with(key).get(DOSSIERS_URL)

    assert response.status_code == 401
    assert response.json()["detail"] == "Tài khoản đã bị khoá hoặc không còn tồn tại."


def test_the_token_in_use_is_revoked_and_only_that_one(citizen):
    in_use, other = obtain(citizen)["token"], obtain(citizen)["token"]
    client = client_with(in_use)

    revoked = client.delete(TOKEN_URL)
    after = client.get(DOSSIERS_URL)

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert after["WWW-Authenticate"] == "Token"
    assert opens_the_api(other)


def test_the_session_cannot_revoke_the_token_in_use(client, citizen):
    # The endpoint reads only the token: a browser's cookies cannot be used against it from another site.
    key = obtain(citizen)["token"]
    client.force_login(citizen)

    response = client.delete(TOKEN_URL)

    assert response.status_code == 401
    assert opens_the_api(key)


# --- a password change ends every token -------------------------------------------------------


def test_a_password_reset_revokes_every_token(client, citizen):
    # Given two tokens, and someone else's
    keys = [obtain(citizen)["token"], obtain(citizen)["token"]]
    neighbour_key = obtain(UserFactory(citizen=True))["token"]

    # When the citizen resets its password through the mailed link
    client.post(reverse("portal:password_reset"), {"email": citizen.email})
    outbox_relay()
    link = re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # Then its tokens no longer open the API, and the neighbour's still does
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    assert [opens_the_api(key) for key in keys] == [False, False]
    assert opens_the_api(neighbour_key)


@pytest.mark.parametrize("usable", [True, False], ids=["new password", "password sign-in disabled"])
def test_an_administrator_changing_the_password_revokes_every_token(client, citizen, superuser, usable):
    key = obtain(citizen)["token"]
    client.force_login(superuser)
    if usable:
        form = {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    else:
        form = {"usable_password": "false", "unset-password": "1"}

    response = client.post(reverse("admin:auth_user_password_change", args=[citizen.pk]), form)

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.has_usable_password() is usable
    assert citizen.check_password(NEW_PASSWORD) is usable
    assert not opens_the_api(key)


def test_a_refused_password_change_keeps_the_tokens(client, citizen, superuser):
    key = obtain(citizen)["token"]
    client.force_login(superuser)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[citizen.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": "khac-hoan-toan-2027"},
    )

    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.check_password(TEST_PASSWORD)
    assert opens_the_api(key)


# --- the owner's list -------------------------------------------------------------------------


def test_the_owner_lists_its_live_tokens_without_their_keys(citizen, settings):
    # Given two live tokens, an expired one and a neighbour's
    older = obtain(citizen, name="Máy chủ kế toán")
    in_use = obtain(citizen, name="Ứng dụng di động")
    settings.API_TOKEN_LIFETIME_HOURS = 0
    obtain(citizen, name="hết hạn")
    obtain(UserFactory(citizen=True), name="của người khác")

    # When the owner asks for its list
    with CaptureQueriesContext(connection) as captured:
        response = client_with(in_use["token"]).get(TOKENS_URL)

    # Then it sees its live tokens, newest first, by name and last four characters, never a key
    assert response.status_code == 200
    listed = response.json()
    assert [(row["id"], row["name"], row["last_four"], row["current"]) for row in listed] == [
        (in_use["id"], "Ứng dụng di động", in_use["token"][-4:], True),
        (older["id"], "Máy chủ kế toán", older["token"][-4:], False),
    ]
    assert set(listed[0]) == {"id", "name", "last_four", "created_at", "expires_at", "current"}
    assert in_use["token"] not in response.content.decode()
    # The token with its owner, then the list.
    assert len(captured) == 2


def test_a_signed_in_browser_lists_its_tokens_too(client, citizen):
    body = obtain(citizen)
    client.force_login(citizen)

    response = client.get(TOKENS_URL)

    assert response.status_code == 200
    assert [(row["id"], row["current"]) for row in response.json()] == [(body["id"], False)]


def test_the_owner_revokes_one_of_its_tokens(citizen):
    in_use, other = obtain(citizen), obtain(citizen)

    response = client_with(in_use["token"]).delete(f"{TOKENS_URL}{other['id']}/")

    assert response.status_code == 204
    assert not opens_the_api(other["token"])
    assert opens_the_api(in_use["token"])
    assert [row["id"] for row in client_with(in_use["token"]).get(TOKENS_URL).json()] == [in_use["id"]]


def test_nobody_sees_or_revokes_another_users_token(citizen):
    mine = obtain(citizen)
    theirs = obtain(UserFactory(citizen=True))

    response = client_with(mine["token"]).delete(f"{TOKENS_URL}{theirs['id']}/")
    missing = client_with(mine["token"]).delete(f"{TOKENS_URL}999999/")

    assert response.status_code == 404
    assert missing.status_code == 404
    assert response.json() == missing.json()
    assert opens_the_api(theirs["token"])
    assert [row["id"] for row in client_with(mine["token"]).get(TOKENS_URL).json()] == [mine["id"]]


def test_a_browser_revoking_a_token_needs_the_csrf_token(citizen):
    body = obtain(citizen)
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(citizen)

    response = browser.delete(f"{TOKENS_URL}{body['id']}/")

    assert response.status_code == 403
    assert opens_the_api(body["token"])


@pytest.mark.parametrize(("method", "url"), [("get", TOKENS_URL), ("delete", f"{TOKENS_URL}1/")])
def test_anonymous_callers_are_told_401(api_client, method, url):
    response = getattr(api_client, method)(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# --- the admin --------------------------------------------------------------------------------

ADMIN_TOKENS = reverse("admin:portal_apitoken_changelist")


def test_a_system_administrator_sees_who_holds_tokens_and_revokes_them(client, citizen, superuser):
    # Given two citizens' tokens
    revoked, kept = obtain(citizen, name="Máy trạm"), obtain(UserFactory(citizen=True))
    client.force_login(superuser)

    # When the administrator lists them and revokes one
    listing = client.get(ADMIN_TOKENS)
    response = client.post(ADMIN_TOKENS, {"action": "revoke", "_selected_action": [revoked["id"]]}, follow=True)

    # Then the list shows owners and last four characters, never a key, and only the chosen token dies
    assert listing.status_code == 200
    html = listing.content.decode()
    assert revoked["token"][-4:] in html
    assert revoked["token"] not in html
    assert [name for name, _label in listing.context["action_form"].fields["action"].choices if name] == ["revoke"]
    assert "Đã thu hồi 1 mã truy cập API." in response.content.decode()
    assert not opens_the_api(revoked["token"])
    assert opens_the_api(kept["token"])


def test_an_agency_administrator_cannot_open_the_tokens(client, agency_admin):
    client.force_login(agency_admin)

    assert client.get(ADMIN_TOKENS).status_code == 403
