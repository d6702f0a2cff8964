"""The suite shares its Redis database with whoever else uses it (a `make run`, another checkout's suite): it
writes only keys under its own prefix (settings.TEST_REDIS_KEY_PREFIX) and deletes only those. `make test`
also checks, after the whole run, that a key set before it is still there (scripts/redis-sentinel.py)."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from dossiers.constants import DossierStatus
from tests.factories import UserFactory, dossier_in_status
from tests.redis_keys import delete_suite_keys


@pytest.fixture
def redis_client():
    return cache._cache.get_client(write=True)


@pytest.fixture
def someone_elses_keys(redis_client):
    """Keys another user of the same Redis database holds: one of its own, and one as an unprefixed Django
    cache (a `make run`) writes them."""
    keys = [f"someone-else:{uuid.uuid4().hex}", f":1:ratelimit:lookup:{uuid.uuid4().hex}"]
    for key in keys:
        redis_client.set(key, "keep me", ex=300)
    yield keys
    redis_client.delete(*keys)


@pytest.mark.django_db
def test_the_suites_cache_use_and_clearing_leave_other_keys_alone(api_client, redis_client, someone_elses_keys):
    # Given someone else's keys in the suite's Redis database, and a submitted dossier (the transition gave its
    # public lookup a cache token)
    dossier, _ = dossier_in_status(DossierStatus.SUBMITTED, applicant=UserFactory(citizen=True, phone="0912345678"))
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"

    # When the suite uses the cache the ways the portal does: a plain value, and a rate-limited public lookup
    # (one Redis pipeline on keys it builds itself) whose answer is cached
    cache.set("plain-value", 1)
    response = api_client.post(
        "/api/v1/lookup/",
        {"code": dossier.code, "second_factor": dossier.applicant_id_number[-4:]},
        format="json",
        REMOTE_ADDR=address,
    )
    assert response.status_code == 200
    written = [
        key.decode()
        for pattern in (f"*{address}*", f"*{dossier.code}*", "*plain-value*")
        for key in redis_client.scan_iter(match=pattern, count=1000)
    ]

    # Then every key it wrote is under its prefix (counter, cached answer, its token, the plain value)
    prefix = settings.TEST_REDIS_KEY_PREFIX + ":"
    assert len(written) >= 3
    assert [key for key in written if not key.startswith(prefix)] == []

    # When the suite clears its keys, as before and after every test
    delete_suite_keys()

    # Then its own keys are gone and the other user's are still there
    assert [key for key in written if redis_client.exists(key)] == []
    assert [key for key in someone_elses_keys if redis_client.get(key) == b"keep me"] == someone_elses_keys


def test_each_run_and_worker_has_its_own_prefix():
    prefix = settings.TEST_REDIS_KEY_PREFIX

    assert prefix.startswith("test:")
    assert settings.CACHES["default"]["KEY_PREFIX"] == prefix
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] == prefix + ":"
    assert settings.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS["global_keyprefix"] == prefix + ":"
