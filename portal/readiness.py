"""What the load balancer asks a web node (docs/operations.md, "Several web nodes"): liveness (the process
answers) and readiness (it can serve: its database, its Redis and its file storage answer). Each check is bounded
in time by the client's own timeout (CONN_MAX_AGE's health check, REDIS_TIMEOUT_SECONDS, S3_TIMEOUT_SECONDS)."""

import logging

import redis
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    if not settings.REDIS_URL:  # one node on its own: the cache is in-process, tasks run in-process
        return
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_TIMEOUT_SECONDS,
        socket_timeout=settings.REDIS_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def _storage() -> None:
    """The shared bucket answers (a HEAD of the bucket: nothing listed or read). Files on the node's own disk
    (STORAGE=local, one node) have nothing to ask."""
    bucket = getattr(default_storage, "bucket", None)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)


CHECKS = {"database": _database, "redis": _redis, "storage": _storage}
FAILURES = (DatabaseError, redis.RedisError, BotoCoreError, ClientError)


def readiness_failures() -> list[str]:
    """The names of the dependencies that do not answer (empty: ready)."""
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except FAILURES as error:
            logger.warning("Not ready: %s (%s: %s)", name, type(error).__name__, error)
            failed.append(name)
    return failed
