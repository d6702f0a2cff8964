"""The account page: contact details, password change, sign-in history (recorded through `user_logged_in`), and API
tokens for enterprises (list, create shown once, revoke)."""

import pytest
from django.db.models.query import QuerySet
from django.urls import reverse

from portal.models import ApiToken, OutboxMessage, SignIn
from portal.services import api_token_create, user_update_contact
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("portal:account")


def text_of(response) -> str:
    return response.content.decode()


def test_signing_in_is_recorded_and_listed(client, citizen):
    response = client.post(
        reverse("portal:login"),
        {"username": citizen.email, "password": TEST_PASSWORD},
        HTTP_USER_AGENT="Trinh duyet thu 1.0",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302

    sign_in = SignIn.objects.get(user=citizen)
    assert (sign_in.ip_address, sign_in.user_agent) == ("203.0.113.7", "Trinh duyet thu 1.0")
    page = text_of(client.get(ACCOUNT))
    assert "203.0.113.7" in page and "Trinh duyet thu 1.0" in page


def test_only_the_latest_sign_ins_are_kept(client, citizen, monkeypatch):
    monkeypatch.setattr("portal.services.SIGN_INS_KEPT", 2)
    for _ in range(3):
        client.post(reverse("portal:login"), {"username": citizen.email, "password": TEST_PASSWORD})
        client.logout()
    assert SignIn.objects.filter(user=citizen).count() == 2


def test_contact_details_change(client, citizen):
    client.force_login(citizen)

    response = client.post(
        ACCOUNT, {"email": "Moi@Example.VN", "phone": "0987 654 321", "current_password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.email, citizen.phone) == ("moi@example.vn", "0987654321")


def test_changing_the_email_needs_the_password_and_a_free_address(client, citizen):
    other = UserFactory(citizen=True)
    client.force_login(citizen)
    before = citizen.email

    wrong_password = text_of(client.post(ACCOUNT, {"email": "moi@example.vn", "phone": "", "current_password": "x"}))
    taken = text_of(client.post(ACCOUNT, {"email": other.email, "phone": "", "current_password": TEST_PASSWORD}))
    bad_phone = text_of(client.post(ACCOUNT, {"email": before, "phone": "12345"}))

    assert "Mật khẩu hiện tại không đúng" in wrong_password
    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in taken
    assert "field--error" in bad_phone
    citizen.refresh_from_db()
    assert citizen.email == before


def test_an_email_change_is_told_to_the_old_address(client, citizen):
    client.force_login(citizen)
    before = citizen.email

    client.post(ACCOUNT, {"email": "moi@example.vn", "phone": "", "current_password": TEST_PASSWORD})
    client.post(ACCOUNT, {"email": "moi@example.vn", "phone": "0987654321"})  # the phone alone: nothing to tell

    notice = OutboxMessage.objects.get(channel=OutboxMessage.Channel.EMAIL)
    assert notice.recipient == before
    assert "đã được thay đổi" in notice.subject and "moi@example.vn" in notice.body


def test_an_email_taken_between_the_check_and_the_save_gives_the_form_error_not_a_500(client, citizen, monkeypatch):
    before = citizen.email

    def another_account_takes_it_first(*, user, email, phone):
        UserFactory(citizen=True, email=email)
        with monkeypatch.context() as patched:
            patched.setattr(QuerySet, "exists", lambda queryset: False)  # the service's check ran before that insert
            return user_update_contact(user=user, email=email, phone=phone)

    monkeypatch.setattr("portal.account_views.services.user_update_contact", another_account_takes_it_first)
    client.force_login(citizen)

    response = client.post(ACCOUNT, {"email": "moi@example.vn", "phone": "", "current_password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in text_of(response)
    citizen.refresh_from_db()
    assert citizen.email == before
    assert not OutboxMessage.objects.exists()


CHANGE_EMAIL = {"email": "moi@example.vn", "phone": ""}
CHANGE_PASSWORD = {"new_password1": "Abc-12345678", "new_password2": "Abc-12345678"}
TOO_MANY = "Bạn đã nhập sai mật khẩu quá nhiều lần"


@pytest.mark.parametrize(
    ("url", "password_field", "change"),
    [(ACCOUNT, "current_password", CHANGE_EMAIL), (reverse("portal:password-change"), "old_password", CHANGE_PASSWORD)],
    ids=["email", "password"],
)
def test_wrong_current_passwords_lock_the_check_for_that_user_only(
    client, citizen, settings, url, password_field, change
):
    settings.AXES_FAILURE_LIMIT = 3
    other = UserFactory(citizen=True)
    client.force_login(citizen)
    for _ in range(3):
        assert TOO_MANY not in text_of(client.post(url, {**change, password_field: "sai"}))

    right_but_late = client.post(url, {**change, password_field: TEST_PASSWORD})

    assert right_but_late.status_code == 200 and TOO_MANY in text_of(right_but_late)
    citizen.refresh_from_db()
    assert citizen.email != "moi@example.vn" and citizen.check_password(TEST_PASSWORD)
    client.force_login(other)
    assert client.post(url, {**change, password_field: TEST_PASSWORD}).status_code == 302


def test_password_change_keeps_this_session_and_revokes_api_tokens(client, enterprise):
    api_token_create(user=enterprise, name="ke toan")
    client.force_login(enterprise)

    response = client.post(
        reverse("portal:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"},
    )

    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.check_password("Mat-khau-moi-2026!")
    assert not ApiToken.objects.filter(user=enterprise).exists()
    assert client.get(ACCOUNT).status_code == 200  # still signed in


def test_a_wrong_old_password_or_mismatch_changes_nothing(client, citizen):
    client.force_login(citizen)
    url = reverse("portal:password-change")

    new = {"new_password1": "Abc-12345678", "new_password2": "Abc-12345678"}

    wrong = text_of(client.post(url, {"old_password": "sai", **new}))
    mismatch = text_of(client.post(url, {"old_password": TEST_PASSWORD, **new, "new_password2": "Khac-1234567"}))

    assert "Mật khẩu hiện tại không đúng." in wrong
    assert "Hai mật khẩu mới không khớp." in mismatch
    citizen.refresh_from_db()
    assert citizen.check_password(TEST_PASSWORD)


def test_an_enterprise_creates_a_token_shown_once_lists_and_revokes_it(client, enterprise):
    client.force_login(enterprise)
    sign_ins = SignIn.objects.filter(user=enterprise).count()

    created = text_of(client.post(reverse("portal:api-token-create"), {"name": "Phần mềm kế toán"}))

    token = ApiToken.objects.get(user=enterprise)
    key = created.split('<code class="token-key">')[1].split("</code>")[0]
    assert ApiToken.digest_of(key) == token.key_digest
    later = text_of(client.get(ACCOUNT))
    assert key not in later and f"…{token.last_four}" in later and "Phần mềm kế toán" in later
    assert SignIn.objects.filter(user=enterprise).count() == sign_ins  # a token made on the page is no sign-in

    response = client.post(reverse("portal:api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_a_token_name_too_long_is_refused(client, enterprise):
    client.force_login(enterprise)
    response = client.post(reverse("portal:api-token-create"), {"name": "x" * 101})
    assert response.status_code == 200 and "field--error" in text_of(response)
    assert not ApiToken.objects.exists()


def test_a_citizen_gets_no_tokens_and_nobody_revokes_anothers(client, citizen, enterprise):
    token, _key = api_token_create(user=enterprise)
    client.force_login(citizen)

    assert "Mã truy cập API" not in text_of(client.get(ACCOUNT))
    assert client.post(reverse("portal:api-token-create"), {"name": "x"}).status_code == 403
    assert client.post(reverse("portal:api-token-revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_account_page_needs_sign_in(client):
    response = client.get(ACCOUNT)
    assert response.status_code == 302 and reverse("portal:login") in response.url


def test_while_redis_is_down_the_current_password_is_not_checked_503(own_redis, client, citizen):
    client.force_login(citizen)
    own_redis.kill()  # no failure count can be read

    email_change = client.post(ACCOUNT, {**CHANGE_EMAIL, "current_password": TEST_PASSWORD})
    password_change = client.post(reverse("portal:password-change"), {**CHANGE_PASSWORD, "old_password": TEST_PASSWORD})

    assert (email_change.status_code, password_change.status_code) == (503, 503)
    citizen.refresh_from_db()
    assert citizen.email != "moi@example.vn" and citizen.check_password(TEST_PASSWORD)
