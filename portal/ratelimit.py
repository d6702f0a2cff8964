"""Client addresses behind the proxy, and fixed-window counters on the shared cache (Redis in production).

`client_address` is the one rule for "who is this visitor": the lookup limits use it, and django-axes
uses it too (`AXES_CLIENT_IP_CALLABLE`), so sign-in lockouts and rate limits always agree.

A limit that cannot be counted refuses: when Redis is down or does not answer within
settings.REDIS_TIMEOUT_SECONDS, every function here raises `RateLimitUnavailable`, which
portal.middleware.ServiceUnavailableMiddleware answers with a 503 (docs/decisions.md, "Redis down").
"""

import ipaddress
import weakref
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


class RateLimitUnavailable(Exception):
    """A rate limit could not be counted or read (Redis is down or hung): the attempt is refused, never let
    through uncounted, since the limits guard the lookup's second factor and which accounts exist."""


@contextmanager
def _fails_closed():
    """Used as a decorator: Redis's connection errors and timeouts become RateLimitUnavailable."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as error:
        raise RateLimitUnavailable from error


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < proxies:
        # Fewer hops than proxies: the request did not come through them all (a health check on the
        # loopback, a misconfigured proxy); the socket's address is the only one known.
        return remote
    return _valid_address(hops[-proxies]) or remote


def client_address(request) -> str:
    """The visitor's address. With `settings.TRUSTED_PROXY_COUNT` = 0 (no proxy), REMOTE_ADDR and nothing else:
    X-Forwarded-For is written by the client and ignored. With N trusted proxies in front, the N-th entry from
    the right of X-Forwarded-For: each proxy appends the address it received the request from, so the entries
    to the left of those are whatever the client chose to send and are never read."""
    return _address(request) or "unknown"


def axes_client_address(request) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: `client_address`, but None for a request without any address
    (a test client's force_login), as axes stores it."""
    return _address(request)


def counter_key(scope: str, key: str) -> str:
    """The cache key of the attempts counter of `key` (`hit`, `hit_and_read`)."""
    return f"ratelimit:{scope}:{key}"


def failures_key(scope: str, key: str) -> str:
    """The cache key of the failure count of `key` (`record_failure`): its value is the count, or None."""
    return f"failures:{scope}:{key}"


@_fails_closed()
def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the attempts in the current window stay within `limit`."""
    cache_key = counter_key(scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit


@_fails_closed()
def failures_reached(*, scope: str, key: str, limit: int) -> bool:
    """True when `limit` failures (see `record_failure`) are on record for `key`: refuse the attempt."""
    return (cache.get(failures_key(scope, key)) or 0) >= limit


@_fails_closed()
def record_failure(*, scope: str, key: str, window_seconds: int) -> None:
    """Count one failure of `key`; the count is forgotten `window_seconds` after the LAST failure, so once the
    limit is reached, attempts are refused for that long (refused attempts are not failures and do not
    extend it)."""
    cache_key = failures_key(scope, key)
    if cache.add(cache_key, 1, timeout=window_seconds):
        return
    try:
        cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return
    cache.touch(cache_key, timeout=window_seconds)


@_fails_closed()
def hit_and_read(*, scope: str, key: str, limit: int, window_seconds: int, read: list[str]) -> tuple[bool, list]:
    """`hit`, and the values of the cache keys `read` (None for a missing one), in ONE round trip on Redis:
    a pipeline of INCR and EXPIRE NX on the counter (the window starts at the first attempt, as `hit`'s add
    does, and the counter is the same key) and an MGET of the keys. Redis before 7.0, which has no
    EXPIRE NX, takes a second round trip on the first attempt of a window to set the expiry. On another
    cache backend (the local memory of `make run`), `hit` then `cache.get_many`.

    For a request that must count an attempt and read a few keys before anything else, such as the public
    lookup: each Redis round trip is a noticeable part of a request that does little else."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        allowed = hit(scope=scope, key=key, limit=limit, window_seconds=window_seconds)
        found = cache.get_many(read)
        return allowed, [found.get(name) for name in read]
    # make_key, not make_and_validate_key: the validation only warns about keys memcached would refuse.
    counter = backend.make_key(counter_key(scope, key))
    client = redis_client(backend)
    pipe = client.pipeline(transaction=False)
    pipe.incr(counter)
    pipe.expire(counter, window_seconds, nx=True)
    pipe.ttl(counter)
    pipe.mget([backend.make_key(name) for name in read] or [counter])
    count, expire_set, ttl, values = pipe.execute(raise_on_error=False)
    for result in (count, ttl, values):
        if isinstance(result, Exception):
            raise result
    if isinstance(expire_set, Exception) and ttl < 0:  # Redis < 7.0: no EXPIRE NX, and a counter without expiry
        client.expire(counter, window_seconds)
    serializer = backend._cache._serializer
    return count <= limit, [None if value is None else serializer.loads(value) for value in values[: len(read)]]


_redis_clients = weakref.WeakKeyDictionary()


def redis_client(backend: RedisCache):
    """The redis-py client of Django's Redis cache backend (one per thread, as the backend), made once:
    Django builds a new one for each call, which costs about half a loopback round trip (also read through by
    reporting.pagecache)."""
    pools = backend._cache
    client = _redis_clients.get(pools)
    if client is None:
        client = _redis_clients[pools] = pools.get_client(write=True)
    return client
