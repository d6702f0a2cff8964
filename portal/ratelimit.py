"""A fixed-window rate limit on the shared cache (Redis in production), per client address."""

from django.core.cache import cache


def client_address(request) -> str:
    # Behind the proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy configuration, not here:
    # trusting the header in the app would let anyone choose their own address.
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt; True while the attempts in the current window stay within `limit`."""
    cache_key = f"ratelimit:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
