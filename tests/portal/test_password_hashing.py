"""Passwords: Argon2 (portal/hashers.py) for every new hash; a PBKDF2 hash made before still signs in once and is
rewritten with Argon2 then. The suite itself hashes with MD5 for speed (config/settings/test.py), so these tests
put the portal's own list back."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password
from django.urls import reverse

from config.settings.base import PASSWORD_HASHERS as PORTAL_HASHERS
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("portal:login")
PORTAL_ARGON2 = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def portal_hashers(settings):
    settings.PASSWORD_HASHERS = PORTAL_HASHERS


@pytest.fixture
def user_with_pbkdf2_hash(portal_hashers):
    user = UserFactory()
    user.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    return user


def test_a_new_password_is_hashed_with_argon2id_at_the_portals_parameters(portal_hashers):
    assert make_password(TEST_PASSWORD).startswith(PORTAL_ARGON2)


def test_a_pbkdf2_hash_signs_in_and_is_rewritten_with_argon2(client, user_with_pbkdf2_hash):
    response = client.post(LOGIN, {"username": user_with_pbkdf2_hash.email, "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user_with_pbkdf2_hash.pk)
    user_with_pbkdf2_hash.refresh_from_db()
    assert user_with_pbkdf2_hash.password.startswith(PORTAL_ARGON2)
    assert check_password(TEST_PASSWORD, user_with_pbkdf2_hash.password)


def test_a_wrong_password_leaves_the_pbkdf2_hash_as_it_was(client, user_with_pbkdf2_hash):
    before = user_with_pbkdf2_hash.password

    response = client.post(LOGIN, {"username": user_with_pbkdf2_hash.email, "password": "sai-mat-khau"})

    assert response.status_code == 200
    user_with_pbkdf2_hash.refresh_from_db()
    assert user_with_pbkdf2_hash.password == before


def test_an_argon2_hash_at_other_parameters_is_rewritten_at_sign_in(client, portal_hashers):
    user = UserFactory()
    # Django's own Argon2 defaults (100 MiB, 8 lanes): a hash made before the portal chose its parameters.
    django_argon2 = Argon2PasswordHasher()
    user.password = django_argon2.encode(TEST_PASSWORD, django_argon2.salt())
    user.save(update_fields=["password"])

    client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})

    user.refresh_from_db()
    assert user.password.startswith(PORTAL_ARGON2)
