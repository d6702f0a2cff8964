"""The public lookup's two limits, counted on the shared cache (Redis) by `portal.ratelimit`:

- attempts per client address and minute (settings.LOOKUP_RATE_LIMIT), the kiosk page and the API together,
  every attempt counted, invalid input included;
- failed attempts per dossier code from any address (settings.LOOKUP_CODE_FAILURE_LIMIT); once reached, the
  code is refused for LOOKUP_CODE_LOCK_SECONDS after its last failure. Unknown codes are counted alike, so a
  refusal says nothing about whether the code exists.
"""

LOOKUP_ADDRESS_SCOPE = "lookup"
LOOKUP_ADDRESS_WINDOW_SECONDS = 60
LOOKUP_CODE_SCOPE = "lookup-code"
LOOKUP_CODE_LOCK_SECONDS = 60 * 60


class LookupRefused(Exception):
    """An attempt refused by a limit, before anything was looked up; `retry_after` is the wait in seconds."""

    retry_after: int


class LookupRateLimited(LookupRefused):
    """Too many attempts from this client address in the current minute."""

    retry_after = LOOKUP_ADDRESS_WINDOW_SECONDS


class LookupCodeLocked(LookupRefused):
    """Too many failed lookups of this code: refused like the per-address limit."""

    retry_after = LOOKUP_CODE_LOCK_SECONDS
