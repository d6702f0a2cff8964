"""The suite's keys in a shared Redis: all of them start with settings.TEST_REDIS_KEY_PREFIX
(config/settings/test.py), and only those are ever deleted. Never FLUSHDB: the database may be the one a
`make run` or another checkout's suite uses at the same time."""

import re

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

DELETE_BATCH = 500


def suite_keys_pattern() -> str:
    """The SCAN pattern of every key the suite writes (glob characters of the prefix escaped)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", settings.TEST_REDIS_KEY_PREFIX) + ":*"


def delete_suite_keys() -> None:
    """Delete the suite's keys: the cache's and Celery's (same prefix). A test that swapped the cache for
    local memory gets that emptied instead."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = backend._cache.get_client(write=True)
    batch = []
    for key in client.scan_iter(match=suite_keys_pattern(), count=DELETE_BATCH):
        batch.append(key)
        if len(batch) == DELETE_BATCH:
            client.delete(*batch)
            batch.clear()
    if batch:
        client.delete(*batch)
