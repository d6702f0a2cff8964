"""One attempt at the public lookup, as the kiosk page and the API both make it: the limits, the cache and the
read, in that order (see the package's docstring)."""

from dataclasses import dataclass

from django.conf import settings

from portal import ratelimit

from . import cache
from .limits import (
    LOOKUP_ADDRESS_SCOPE,
    LOOKUP_ADDRESS_WINDOW_SECONDS,
    LOOKUP_CODE_LOCK_SECONDS,
    LOOKUP_CODE_SCOPE,
    LookupCodeLocked,
    LookupRateLimited,
)
from .public import PublicDossier, lookup_code_key, read_public_dossier, second_factor_usable


@dataclass(frozen=True)
class LookupQuery:
    """What a visitor asked, as the page's form or the API's input cleaned it."""

    code: str
    second_factor: str


def lookup_attempt(*, client: str, query: LookupQuery | None) -> PublicDossier | None:
    """One attempt of `client` (its address, `ratelimit.client_address`). `query` is None when the input was
    refused (the caller shows the form's or the serializer's errors): the attempt counts against the address
    all the same, and the answer is None.

    Raises LookupRateLimited past the address's limit and LookupCodeLocked once the code has too many
    failures, before looking. Otherwise answers like `dossier_public_lookup`, from the cache when a fresh
    entry accepts this second factor, and counts a failure against the code when it finds nothing.

    Cost of a cached answer: one Redis round trip (count the attempt, read the code's failures, token and
    entry) and no SQL; of anything else: that round trip, the queries of `read_public_dossier`, and one
    write to Redis (the entry on success, the failure otherwise)."""
    if query is None:
        if not ratelimit.hit(
            scope=LOOKUP_ADDRESS_SCOPE,
            key=client,
            limit=settings.LOOKUP_RATE_LIMIT,
            window_seconds=LOOKUP_ADDRESS_WINDOW_SECONDS,
        ):
            raise LookupRateLimited
        return None
    code, second_factor = lookup_code_key(query.code), query.second_factor.strip()
    cacheable = cache.cacheable(code)
    read = [ratelimit.failures_key(LOOKUP_CODE_SCOPE, code)]
    if cacheable:
        read += [cache.token_key(code), cache.entry_key(code)]
    allowed, values = ratelimit.hit_and_read(
        scope=LOOKUP_ADDRESS_SCOPE,
        key=client,
        limit=settings.LOOKUP_RATE_LIMIT,
        window_seconds=LOOKUP_ADDRESS_WINDOW_SECONDS,
        read=read,
    )
    if not allowed:
        raise LookupRateLimited
    if (values[0] or 0) >= settings.LOOKUP_CODE_FAILURE_LIMIT:
        raise LookupCodeLocked
    if code and second_factor_usable(second_factor):
        if cacheable:
            token, entry = values[1], values[2]
            facts = cache.answer(code=code, second_factor=second_factor, token=token, entry=entry)
            if facts is not None:
                return PublicDossier(**facts)
        found = read_public_dossier(code=code, second_factor=second_factor)
        if found is not None:
            public, id_number, phone = found
            if cacheable:
                public = cache.store(code=code, token=token, public=public, id_number=id_number, phone=phone)
            return public
    ratelimit.record_failure(scope=LOOKUP_CODE_SCOPE, key=code, window_seconds=LOOKUP_CODE_LOCK_SECONDS)
    return None
