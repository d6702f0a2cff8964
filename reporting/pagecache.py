"""The statistics pages' dear parts, kept in the shared cache (Redis) per generation of the statistics.

Everything the pages show for a period comes from the summary tables or from reads over the period's dossiers that
are as costly as the summary is cheap (the late dossiers by officer, the electronic results and fees of the
scorecard: an agency's whole year, 355,000 dossiers at the busiest, docs/performance.md). Both change only when a
statistics job writes, and every job run stamps the one `ReportingState` row; so those parts, rendered, are kept
under a key naming that row's stamps (`generation`, one query by primary key) with the page, the filters, the
language and the day: the next run makes every entry dead at once, and a page is exactly as fresh as the summary
tables. What is live by nature (today's workload, the dossiers at risk) is never kept.

No job has run yet (no stamp): nothing is kept, the page computes everything. Entries also expire after
CACHE_SECONDS, which bounds how long a change that no run stamps shows its old text: an agency renamed in the admin,
a result signed after its dossier finished (the scorecard's electronic results).
Redis down or hung: a read that fails is a miss and a write that fails is dropped; the page computes as if nothing
were cached (each call gives up after settings.REDIS_TIMEOUT_SECONDS).
"""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import QueryDict

from .models import ReportingState

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30 * 60
_FORMAT = 2  # bump when what is kept changes shape: old entries are then never read
_STAMPS = ("watermark", "last_incremental_at", "last_full_at", "last_span_at")


def generation() -> str | None:
    """The statistics' generation: the stamps every job run leaves on `ReportingState` (one query); None before the
    first run."""
    stamps = ReportingState.objects.filter(pk=1).values_list(*_STAMPS).first()
    if stamps is None or not any(stamps):
        return None
    return "|".join(stamp.isoformat() if stamp else "-" for stamp in stamps)


def form_query(fields, params) -> QueryDict:
    """The parameters among `params` that a form's `fields` (their names) read, the filters: a key, and the addresses
    built from it, carry nothing else."""
    query = QueryDict(mutable=True)
    for name in fields:
        if name in params:
            query.setlist(name, params.getlist(name))
    return query


def page_key(*parts) -> str:
    """A key for what `parts` (the page, its filters, the language, the day, the generation) determine."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"statistics-page:{_FORMAT}:{digest}"


def kept(key: str | None, compute: Callable[[], dict]) -> dict:
    """`compute()`'s answer, from the cache when it is there under `key`, else computed and kept; always computed
    when `key` is None (no generation yet)."""
    if key is None:
        return compute()
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: compute
        logger.warning("Statistics page cache unreadable; computing the page.", exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, timeout=CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - the page is answered anyway
        logger.warning("Statistics page cache unwritable; the page is not kept.", exc_info=True)
    return value
