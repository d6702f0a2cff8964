"""The public lookup's answers, kept in the shared cache (Redis) per dossier code for a short while.

The lookup is the portal's most frequent request (QR codes on every issued document, kiosks, status
polling) and the same dossier is looked up again and again; docs/performance.md measures it. A successful
lookup stores under its code:

- the public facts it showed (`PublicDossier` as a plain dict: code, status, procedure and agency
  names, submitted and due dates, the timeline's actions and times, the other apps' public sections, and the
  entry's version, a random name for this set of facts; nothing personal);
- keyed digests (HMAC with SECRET_KEY) of every second factor the dossier accepts: each ending of 4 digits
  or more of the applicant's ID and of the phone. The digits themselves are never stored.

A lookup reads the entry only when the digest of ITS second factor is among them; any other factor goes to
the database as if nothing were cached (and, being wrong, is counted as a failure there). The rate limits
are counted before, on every request, cached or not (`lookup_attempt`).

Invalidation. The facts change in `services.core.write_change` (every transition writes the status,
the dates and an event there), which calls `forget_on_commit(code)`, and in the apps whose public sections
show them (postal: a parcel's status), which call it too. `forget` gives the code a new
generation token; an entry counts only while it carries the code's current token, and the token is read
in the same round trip as the entry, before the database is read on a miss. So an answer read from the
database before a transition commits (by a lookup running at the same time) is stored under the old token
and is dead as soon as the commit's `forget` runs: the next lookup shows the new status. `forget` runs
twice: at once (so that the writer's own transaction, and a test that never commits, see no old entry)
and after the commit (the one that counts). Entries also expire after `settings.LOOKUP_CACHE_SECONDS`
(60), which bounds how long a change made elsewhere (a procedure or agency renamed in the admin) takes to
show; 0 turns the cache off.

Redis down or hung. A transition never fails nor waits for the cache: each call gives up after
settings.REDIS_TIMEOUT_SECONDS. A `forget` that could not reach Redis is not dropped: the code goes to this
process's retries (`_ForgetRetries`), which a background thread repeats every second until one succeeds or until
no entry written before the failure can still be alive (`entry_seconds()` later). Meanwhile the lookup itself
answers 503, because its rate limits cannot be counted either (`portal.ratelimit.RateLimitUnavailable`): no
answer is served from the cache while the cache is away, and the retry runs within a second of its return. What
is left (docs/decisions.md, "Redis down"): a lookup in the second after Redis answers again, or a Redis that
the lookups reach and the writer does not, may show the old status for at most `entry_seconds()`.
"""

import logging
import re
import threading
import time
import uuid
from dataclasses import replace
from functools import partial

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from .public import SECOND_FACTOR_MIN_DIGITS, PublicDossier

logger = logging.getLogger(__name__)

# A generation token must outlive every entry written under it (entries live settings.LOOKUP_CACHE_SECONDS):
# an entry that outlived its token would match the "no token" state again.
TOKEN_SECONDS = 24 * 60 * 60
_ENTRY_FORMAT = 3  # bump when the stored dict changes shape: old entries are then never read
FORGET_RETRY_SECONDS = 1.0


def entry_key(code: str) -> str:
    return f"lookup:{_ENTRY_FORMAT}:{code}"


def token_key(code: str) -> str:
    return f"lookup-token:{code}"


def entry_seconds() -> int:
    return min(settings.LOOKUP_CACHE_SECONDS, TOKEN_SECONDS // 2)


# The characters real codes use, and their length at most: no key is built from anything else.
_CACHEABLE_CODE = re.compile(r"[A-Za-z0-9._/-]{1,40}")


def rendered_once(found: PublicDossier, kind: str, render):
    """`render()`, the answer `found` printed in one form (`kind`: the page's section, the API's JSON), once per
    version of the answer and language, kept in this process's memory while the entry lives (settings.CACHES
    ["fragments"]; Redis is not asked): printing a score of dates and labels is most of what a cached lookup does of
    its own. An answer read from the database without being kept has no version: rendered each time. The version is
    reached only through the entry, that is after its token and second factor."""
    if not found.version:
        return render()
    key = f"lookup-{kind}:{found.version}:{get_language()}"
    fragments = caches["fragments"]
    printed = fragments.get(key)
    if printed is None:
        printed = render()
        fragments.set(key, printed, timeout=entry_seconds())
    return printed


def cacheable(code: str) -> bool:
    """Whether answers for `code` are cached: when the cache is on, and only for codes made of the characters
    real codes use (no key is built from anything else)."""
    return settings.LOOKUP_CACHE_SECONDS > 0 and _CACHEABLE_CODE.fullmatch(code) is not None


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


def store(*, code: str, token, public: PublicDossier, id_number: str, phone: str) -> PublicDossier:
    """Keep `public` for a while under `token`, the code's token as read BEFORE the facts were read, with a new
    version (`PublicDossier.version`); answers it with that version. Never raises: the answer was read from the
    database and stands without the cache."""
    public = replace(public, version=uuid.uuid4().hex)
    digests = frozenset(factor_digest(code, factor) for factor in accepted_factors(id_number, phone))
    try:
        cache.set(entry_key(code), (token, digests, public.facts()), timeout=entry_seconds())
    except Exception:  # the cache is an optimisation: the next lookup reads the database again
        logger.warning("Could not keep the lookup answer of %s", code, exc_info=True)
    return public


def forget(code: str) -> bool:
    """Make every cached answer for `code` stale; False when the cache could not be reached. Never raises: a
    transition must not fail because the cache is down (see `forget_on_commit` for what happens then)."""
    try:
        cache.set(token_key(code), uuid.uuid4().hex, timeout=TOKEN_SECONDS)
    except Exception:  # the cache is an optimisation; the write it follows has happened
        logger.warning("Could not invalidate the cached lookup of %s; retrying in the background", code)
        return False
    return True


def forget_on_commit(code: str) -> None:
    """`forget` now and once the current transaction commits (see the module's docstring). A forget that
    fails is retried in the background (`_ForgetRetries`); when the first one failed, the one after the commit
    goes there directly, without waiting on the cache again in the user's request."""
    if not code:
        return
    if forget(code):
        transaction.on_commit(partial(_forget_or_retry, code), robust=True)
    else:
        transaction.on_commit(partial(_retries.add, code), robust=True)


def _forget_or_retry(code: str) -> None:
    if not forget(code):
        _retries.add(code)


class _ForgetRetries:
    """The codes of this process whose forget could not reach the cache, retried by one daemon thread every
    FORGET_RETRY_SECONDS until a forget succeeds, or until `entry_seconds()` have passed: by then every entry
    written before the failure has expired by itself. A round stops at its first failure (the cache is still
    away: each try would wait settings.REDIS_TIMEOUT_SECONDS); the thread ends when nothing is left."""

    def __init__(self):
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}
        self._thread: threading.Thread | None = None

    def add(self, code: str) -> None:
        with self._lock:
            self._until[code] = time.monotonic() + entry_seconds() + FORGET_RETRY_SECONDS
            # A forked child (a gunicorn or Celery worker) inherits the dict but not the thread.
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lookup-cache-forget", daemon=True)
                self._thread.start()

    def pending(self) -> set[str]:
        with self._lock:
            return set(self._until)

    def _run(self) -> None:
        while True:
            time.sleep(FORGET_RETRY_SECONDS)
            with self._lock:
                due = list(self._until.items())
            for code, until in due:
                if time.monotonic() < until and not forget(code):
                    break
                with self._lock:
                    if self._until.get(code) == until:  # not added again meanwhile
                        del self._until[code]
            with self._lock:
                if not self._until:
                    self._thread = None
                    return


_retries = _ForgetRetries()
