"""The statistics pages' dear parts, kept in the shared cache (Redis) per generation of the statistics.

Everything the pages show for a period comes from the summary tables or from reads over the period's dossiers that
are as costly as the summary is cheap (the late dossiers by officer, the electronic results and fees of the
scorecard: an agency's whole year, 355,000 dossiers at the busiest, docs/performance.md). Both change only when a
statistics job writes, and every job run stamps the one `ReportingState` row: those stamps name the summary's
generation. So those parts, rendered, are kept under a key of the page, the filters, the language and the day,
together with the generation they were computed in; an entry of another generation is dead, and a page is exactly
as fresh as the summary tables.

The generation itself is kept in Redis too (`generation_key()`), so that a kept page costs one Redis round trip (the
generation and the entry read together) and no query. A job run forgets it in its transaction and sets the new one
when it commits (`generation_changed`); a miss reads the stamps (one query) and keeps them. It expires after
GENERATION_SECONDS (and a process's memory, below, a few seconds more), which bounds how long a generation kept by
mistake can last: a run whose Redis write failed.

Each process also remembers the generation it read, and the parts it read or computed in that generation
(settings.CACHES["statistics_pages"], in its memory), for GENERATION_IN_PROCESS_SECONDS: a page whose parts are all
there asks Redis nothing (the round trip was a fifth of a kept public page or API answer, docs/performance.md). So a run
made in another process (the worker, the command) shows on a page at most that many seconds after it commits; one
made in this process shows at once (`generation_changed` forgets what the process remembers).

No job has run yet (no stamp): nothing is kept, the page computes everything. Entries also expire after
CACHE_SECONDS, which bounds how long a change that no run stamps shows its old text: an agency renamed in the admin,
a result signed after its dossier finished (the scorecard's electronic results).
Redis down or hung: a read that fails is a miss and a write that fails is dropped; the page computes as if nothing
were cached (each call gives up after settings.REDIS_TIMEOUT_SECONDS).
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.http import QueryDict

from portal import ratelimit

from .models import ReportingState

logger = logging.getLogger(__name__)

CACHE_SECONDS = 30 * 60
GENERATION_SECONDS = 60
GENERATION_IN_PROCESS_SECONDS = 5
_NONE = "-"  # kept for "no run yet": nothing is kept then
_FORMAT = 3  # bump when what is kept changes shape: old entries are then never read
_STAMPS = ("watermark", "last_incremental_at", "last_full_at", "last_span_at")
# How many runs this process has handed over (their stamps, their commits): a page that read the generation before one
# does not remember what it read (it may be the run's old one).
_handovers = 0


def _named(stamps) -> str | None:
    if stamps is None or not any(stamps):
        return None
    return "|".join(stamp.isoformat() if stamp else "-" for stamp in stamps)


def generation() -> str | None:
    """The statistics' generation: the stamps every job run leaves on `ReportingState` (one query); None before the
    first run."""
    return _named(ReportingState.objects.filter(pk=1).values_list(*_STAMPS).first())


def generation_key() -> str:
    """Where the generation is kept: the database's own, so that two databases sharing a Redis (the benchmark's
    copies) never take each other's stamps (nor, `page_key`, each other's pages)."""
    return f"statistics-generation:{connection.settings_dict['NAME']}"


def generation_changed(state: ReportingState) -> None:
    """A job run stamped `state` (saved, in its transaction): the generation kept in Redis is forgotten now, so that
    pages read the stamps again, and the new one is kept when the run commits. A page that read the old stamps
    meanwhile keeps them with `add`, which never replaces the new one; the new one replaces it."""
    global _handovers
    new = _named([getattr(state, stamp) for stamp in _STAMPS]) or _NONE
    key = generation_key()
    _handovers += 1
    _in_process().delete(key)
    _quietly(cache.delete, key)

    def handed_over() -> None:
        # Forgotten again, and counted: another thread of this process may have read the old stamps before the commit.
        global _handovers
        _handovers += 1
        _in_process().delete(key)
        _quietly(cache.set, key, new, timeout=GENERATION_SECONDS)

    transaction.on_commit(handed_over)


def _in_process():
    """This process's memory of the generation (under its generation key) and of the parts (under theirs), each kept
    GENERATION_IN_PROCESS_SECONDS."""
    return caches["statistics_pages"]


def forget_in_process() -> None:
    """Forget the generation and the parts this process remembers (a test's database is not the one before)."""
    _in_process().clear()


def form_query(fields, params) -> QueryDict:
    """The parameters among `params` that a form's `fields` (their names) read, the filters: a key, and the addresses
    built from it, carry nothing else."""
    query = QueryDict(mutable=True)
    for name in fields:
        if name in params:
            query.setlist(name, params.getlist(name))
    return query


def page_key(*parts) -> str:
    """A key for what `parts` (the page, its filters, the language, the day) determine, in this database: the live
    parts are kept whatever the generation, and agencies of two databases sharing a Redis have the same ids."""
    digest = hashlib.sha256(repr((connection.settings_dict["NAME"], *parts)).encode()).hexdigest()
    return f"statistics-page:{_FORMAT}:{digest}"


@dataclass(frozen=True)
class Part:
    """A part of a page kept under `key`: `compute()`'s answer, kept until the next statistics run; with `seconds`,
    kept that long whatever the runs (a live part, read from the dossiers: the agency dashboard's workload)."""

    key: str
    compute: Callable[[], dict]
    seconds: int | None = None


def kept(key: str, compute: Callable[[], dict]) -> dict:
    """`compute()`'s answer, from the cache when it is there under `key` from the present generation, else computed
    and kept with it; always computed before the first run. One Redis round trip when the generation is kept."""
    return kept_parts(Part(key, compute))[0]


def kept_parts(*parts: Part) -> list[dict]:
    """Each part's answer (`kept`): from this process's memory when the generation it remembers is still trusted and
    every part is there from it (no live part); else read from the cache in one round trip with the generation."""
    key, handovers = generation_key(), _handovers
    here = _in_process()
    remembered = here.get(key)
    if remembered is not None and all(part.seconds is None for part in parts):
        found_here = here.get_many([part.key for part in parts])
        if all(found_here.get(part.key, (None,))[0] == remembered for part in parts):
            return [found_here[part.key][1] for part in parts]
    try:
        found = _read([key, *(part.key for part in parts)])
    except Exception:  # noqa: BLE001 - the cache is an optimisation: compute
        logger.warning("Statistics page cache unreadable; computing the page.", exc_info=True)
        return [part.compute() for part in parts]
    # Kept only where every process sees the run's handover: a cache in this process's memory (no REDIS_URL, `make
    # run`) would keep the generation of a run made in another process (the command, the worker) for a minute.
    shared = isinstance(caches["default"], RedisCache)
    current = found.get(key) if shared else None
    if current is None and any(part.seconds is None for part in parts):
        current = generation() or _NONE
        if shared:
            _quietly(cache.add, key, current, timeout=GENERATION_SECONDS)
    # Remembered in the process only if no run of this process was handed over since this page read it.
    keep_here = current not in (None, _NONE) and handovers == _handovers
    if keep_here:
        here.set(key, current, timeout=GENERATION_IN_PROCESS_SECONDS)
    answers = []
    for part in parts:
        entry = found.get(part.key)
        if part.seconds is not None:
            if entry is None:
                entry = part.compute()
                _quietly(cache.set, part.key, entry, timeout=part.seconds)
            answers.append(entry)
            continue
        if current == _NONE:
            answers.append(part.compute())
            continue
        if entry is None or entry[0] != current:
            entry = (current, part.compute())
            _quietly(cache.set, part.key, entry, timeout=CACHE_SECONDS)
        if keep_here:
            # As long as the generation is trusted: a copy kept longer would outlive the entry's CACHE_SECONDS in Redis.
            here.set(part.key, entry, timeout=GENERATION_IN_PROCESS_SECONDS)
        answers.append(entry[1])
    return answers


def _read(keys: list[str]) -> dict:
    """`cache.get_many(keys)` (one MGET on Redis) through the redis-py client kept per process and thread: Django
    builds one for each call, which costs as much as the rest of a kept API answer."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return backend.get_many(keys)
    values = ratelimit.redis_client(backend).mget([backend.make_key(key) for key in keys])
    loads = backend._cache._serializer.loads
    return {key: loads(value) for key, value in zip(keys, values, strict=True) if value is not None}


def _quietly(call, *args, **kwargs) -> None:
    """A cache write; one that fails is dropped (the page is answered anyway)."""
    try:
        call(*args, **kwargs)
    except Exception:  # noqa: BLE001
        logger.warning("Statistics page cache unwritable; not kept.", exc_info=True)
