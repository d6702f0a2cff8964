"""The public lookup's answers, kept in the shared cache (Redis) per dossier code for a short while.

The lookup is the portal's most frequent request (QR codes on every issued document, kiosks, status
polling) and the same dossier is looked up again and again; docs/performance.md measures it. A successful
lookup stores under its code:

- the public facts it showed (`PublicDossier` as a plain dict: code, status, procedure and agency
  names, submitted and due dates, the timeline's actions and times; nothing personal);
- keyed digests (HMAC with SECRET_KEY) of every second factor the dossier accepts: each ending of 4 digits
  or more of the applicant's ID and of the phone. The digits themselves are never stored.

A lookup reads the entry only when the digest of ITS second factor is among them; any other factor goes to
the database as if nothing were cached (and, being wrong, is counted as a failure there). The rate limits
are counted before, on every request, cached or not (`lookup_attempt`).

Invalidation. The facts change only in `services.core.write_change` (every transition writes the status,
the dates and an event there), which calls `forget_on_commit(code)`. `forget` gives the code a new
generation token; an entry counts only while it carries the code's current token, and the token is read
in the same round trip as the entry, before the database is read on a miss. So an answer read from the
database before a transition commits (by a lookup running at the same time) is stored under the old token
and is dead as soon as the commit's `forget` runs: the next lookup shows the new status. `forget` runs
twice: at once (so that the writer's own transaction, and a test that never commits, see no old entry)
and after the commit (the one that counts). Entries also expire after `settings.LOOKUP_CACHE_SECONDS`
(60), which bounds how long a change made elsewhere (a procedure or agency renamed in the admin) takes to
show; 0 turns the cache off.
"""

import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import salted_hmac

from .public import SECOND_FACTOR_MIN_DIGITS

logger = logging.getLogger(__name__)

# A generation token must outlive every entry written under it (entries live settings.LOOKUP_CACHE_SECONDS):
# an entry that outlived its token would match the "no token" state again.
TOKEN_SECONDS = 24 * 60 * 60
_ENTRY_FORMAT = 1  # bump when the stored dict changes shape: old entries are then never read


def entry_key(code: str) -> str:
    return f"lookup:{_ENTRY_FORMAT}:{code}"


def token_key(code: str) -> str:
    return f"lookup-token:{code}"


def entry_seconds() -> int:
    return min(settings.LOOKUP_CACHE_SECONDS, TOKEN_SECONDS // 2)


def cacheable(code: str) -> bool:
    """Whether answers for `code` are cached: when the cache is on, and only for codes made of the characters
    real codes use (no key is built from anything else)."""
    return (
        settings.LOOKUP_CACHE_SECONDS > 0
        and 0 < len(code) <= 40
        and all(c.isascii() and (c.isalnum() or c in ".-_/") for c in code)
    )


def factor_digest(code: str, factor: str) -> str:
    return salted_hmac("dossiers.lookup_cache", f"{code}\x00{factor}", algorithm="sha256").hexdigest()


def accepted_factors(*values: str) -> set[str]:
    """Every second factor that `dossier_public_lookup` accepts for these values (the applicant's ID and
    phone): each ending of at least SECOND_FACTOR_MIN_DIGITS characters that is all digits."""
    endings = set()
    for value in values:
        for length in range(SECOND_FACTOR_MIN_DIGITS, len(value) + 1):
            ending = value[-length:]
            if ending.isdigit():
                endings.add(ending)
    return endings


def answer(*, code: str, second_factor: str, token, entry) -> dict | None:
    """The facts of a cached `entry` (as read with `token`, the code's current token), or None: no entry,
    one written under another token, or `second_factor` not among the factors it accepts."""
    if not isinstance(entry, tuple) or len(entry) != 3:
        return None
    entry_token, digests, facts = entry
    if entry_token != token or factor_digest(code, second_factor) not in digests:
        return None
    return facts


def store(*, code: str, token, facts: dict, id_number: str, phone: str) -> None:
    """Keep `facts` for a while under `token`, the code's token as read BEFORE the facts were read."""
    digests = frozenset(factor_digest(code, factor) for factor in accepted_factors(id_number, phone))
    cache.set(entry_key(code), (token, digests, facts), timeout=entry_seconds())


def forget(code: str) -> None:
    """Make every cached answer for `code` stale. Never raises: a transition must not fail because the
    cache is down (its entries then expire by themselves, settings.LOOKUP_CACHE_SECONDS)."""
    try:
        cache.set(token_key(code), uuid.uuid4().hex, timeout=TOKEN_SECONDS)
    except Exception:  # the cache is an optimisation; the write it follows has happened
        logger.warning("Could not invalidate the cached lookup of %s", code, exc_info=True)


def forget_on_commit(code: str) -> None:
    """`forget` now and once the current transaction commits (see the module's docstring)."""
    if not code:
        return
    forget(code)
    transaction.on_commit(partial(forget, code), robust=True)
