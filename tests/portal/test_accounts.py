"""Accounts: registration, sign-in with e-mail / CCCD / tax code, lockout, logout (password reset:
test_password_reset.py)."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.constants import ApplicantType, Role
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
REGISTER = reverse("portal:register")
LOGIN = reverse("portal:login")
WRONG_LOGIN = "Thông tin đăng nhập hoặc mật khẩu không đúng."


def citizen_form(**overrides) -> dict:
    data = {
        "applicant_type": ApplicantType.CITIZEN,
        "full_name": "Trần Thị Bình",
        "email": "binh.tran@example.vn",
        "phone": "0912345678",
        "citizen_id": "034190001234",
        "organization_name": "",
        "tax_code": "",
        "password1": "Ngay-mai-troi-nang-2026",
        "password2": "Ngay-mai-troi-nang-2026",
    }
    return {**data, **overrides}


def enterprise_form(**overrides) -> dict:
    enterprise = {
        "applicant_type": ApplicantType.ENTERPRISE,
        "citizen_id": "",
        "organization_name": "Công ty TNHH Lúa Vàng",
        "tax_code": "0100109106-001",
        "email": "ketoan@luavang.vn",
    }
    return citizen_form(**{**enterprise, **overrides})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# Registration


def test_registration_page_opens(client):
    response = client.get(REGISTER)

    assert response.status_code == 200
    assert 'name="citizen_id"' in response.content.decode()


def test_citizen_registers_and_is_signed_in(client):
    response = client.post(REGISTER, citizen_form())

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="binh.tran@example.vn")
    assert user.citizen_id == "034190001234"
    assert user.applicant_type == ApplicantType.CITIZEN
    assert user.has_role(Role.CITIZEN)
    assert user.check_password("Ngay-mai-troi-nang-2026")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_enterprise_registers_with_a_compacted_tax_code(client):
    response = client.post(REGISTER, enterprise_form())

    assert response.status_code == 302
    user = User.objects.get(email="ketoan@luavang.vn")
    assert user.tax_code == "0100109106001"
    assert user.citizen_id is None
    assert user.organization_name == "Công ty TNHH Lúa Vàng"
    assert user.has_role(Role.CITIZEN)
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (citizen_form(citizen_id="03419000123"), "Số CCCD phải gồm đúng 12 chữ số."),
        (citizen_form(citizen_id="003190001234"), "Mã tỉnh (3 chữ số đầu) của số CCCD không hợp lệ."),
        (citizen_form(citizen_id=""), "Công dân cần nhập số CCCD."),
        (citizen_form(password2="Ngay-mai-troi-mua-2026"), "Hai mật khẩu không khớp."),
        (enterprise_form(tax_code=""), "Doanh nghiệp cần nhập mã số thuế."),
        (enterprise_form(tax_code="0100109107"), "Mã số thuế không hợp lệ"),
    ],
)
def test_bad_registration_explains_and_creates_nobody(client, data, message):
    response = client.post(REGISTER, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not is_signed_in(client)


def test_registration_refuses_a_used_email_or_citizen_id(client):
    existing = UserFactory(citizen=True, email="binh.tran@example.vn")

    by_email = client.post(REGISTER, citizen_form(email="Binh.Tran@example.vn"))
    by_citizen_id = client.post(REGISTER, citizen_form(email="khac@example.vn", citizen_id=existing.citizen_id))

    assert "Thư điện tử này đã được dùng cho một tài khoản khác." in by_email.content.decode()
    assert "Số CCCD này đã được đăng ký." in by_citizen_id.content.decode()
    assert list(User.objects.all()) == [existing]


# Sign-in


@pytest.mark.parametrize("identifier", ["email", "citizen_id"])
def test_citizen_signs_in_with_email_or_citizen_id(client, citizen, identifier):
    response = client.post(LOGIN, {"username": getattr(citizen, identifier), "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_email_sign_in_ignores_case(client, citizen):
    client.post(LOGIN, {"username": citizen.email.upper(), "password": TEST_PASSWORD})

    assert client.session["_auth_user_id"] == str(citizen.pk)


@pytest.mark.parametrize("written", ["0100109106", "0100109106-001"])
def test_enterprise_signs_in_with_its_tax_code(client, written):
    enterprise = UserFactory(enterprise=True, tax_code=written.replace("-", ""))

    response = client.post(LOGIN, {"username": written, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(enterprise.pk)


def test_wrong_password_is_refused_with_a_message(client, citizen):
    response = client.post(LOGIN, {"username": citizen.email, "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert not is_signed_in(client)


def test_unknown_identifier_gets_the_same_message(client):
    response = client.post(LOGIN, {"username": "034190009999", "password": "sai-mat-khau"})

    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()


def test_inactive_user_cannot_sign_in(client):
    user = UserFactory(citizen=True, is_active=False)

    client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})

    assert not is_signed_in(client)


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, citizen):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(LOGIN, {"username": citizen.email, "password": "sai-mat-khau"})
        assert response.status_code == 200
    client.post(LOGIN, {"username": citizen.email, "password": "sai-mat-khau"})

    response = client.post(LOGIN, {"username": citizen.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khoá đăng nhập" in response.content.decode()
    assert not is_signed_in(client)


def test_a_locked_login_does_not_lock_other_people_at_the_same_address(client, citizen):
    neighbour = UserFactory(citizen=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": citizen.email, "password": "sai-mat-khau"})

    mistyped = client.post(LOGIN, {"username": neighbour.email, "password": "sai-mat-khau"})
    right = client.post(LOGIN, {"username": neighbour.email, "password": TEST_PASSWORD})

    assert mistyped.status_code == 200
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(neighbour.pk)


def test_failures_count_against_the_account_whichever_identifier_is_typed(client, citizen):
    # Given a guesser alternating the e-mail and the CCCD of one account
    identifiers = [citizen.email, citizen.citizen_id]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": identifiers[attempt % 2], "password": "sai-mat-khau"})

    # When the right password comes with either identifier, Then the account stays locked
    response = client.post(LOGIN, {"username": citizen.citizen_id, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_logout_needs_a_post(client, citizen):
    client.force_login(citizen)

    assert client.get(reverse("portal:logout")).status_code == 405
    assert is_signed_in(client)

    response = client.post(reverse("portal:logout"))

    assert response.status_code == 302
    assert not is_signed_in(client)


def test_registration_attempts_are_rate_limited_per_address(client, settings):
    # The form tells whether an identifier is taken, so asking must not be free
    settings.REGISTRATION_RATE_LIMIT = 2
    for _attempt in range(2):
        assert client.post(REGISTER, citizen_form(citizen_id="12")).status_code == 200

    response = client.post(REGISTER, citizen_form())

    assert response.status_code == 429
    assert "quá nhiều lượt đăng ký" in response.content.decode()
    assert not User.objects.exists()
