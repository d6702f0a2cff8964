"""How many PDFs one client address may have checked per minute by the public verification page and API together
(each is a signature check): `settings.RESULT_VERIFY_RATE_LIMIT`."""

from django.conf import settings

from portal import ratelimit

VERIFY_SCOPE = "result-verify"


def verify_throttled(request) -> bool:
    """Count one PDF check of the client; True when it is over the limit of the minute."""
    return not ratelimit.hit(
        scope=VERIFY_SCOPE,
        key=ratelimit.client_address(request),
        limit=settings.RESULT_VERIFY_RATE_LIMIT,
        window_seconds=60,
    )
