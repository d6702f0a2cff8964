"""Measure the officer queues, the public lookup (page and API) and an empty Django view, on the database
that bench/generate_dossiers.py filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_pages.py --label "1,000 dossiers" [--requests 100] [--explain FILE]

Method: in one process, Django's test Client sends requests through the whole stack (middleware,
session, URL routing, view, templates, database), one at a time, with settings `bench.settings`
(DEBUG off, the portal's URLs plus the empty views of bench/urls.py, a lookup rate limit too high to
refuse, but counted in Redis as always). Each target gets warm-up requests, then `--requests` timed ones;
the table gives the median and 95th percentile latency, requests per second (timed requests / their total
time: one client, so 1 / mean latency) and the SQL queries of one request. Officers sign in with
force_login: the bench officers of the busiest agency (the worst case).

Lookups are POSTs (page: the form, without a CSRF token, which the test Client does not enforce; API:
JSON) with real codes and the right second factor. "cached" targets cycle through 50 codes whose answers
are in the cache (each looked up once before the timing); "cache miss" targets use a code not looked up
before in the run for every request, so each reads the database and fills the cache.

The selectors behind the pages are also timed alone (queue page = count + first 25 rows), with the
deadline watch's steady-state run (rolled back), and with --explain the queue queries are run with
EXPLAIN ANALYZE and the indexes they use are listed.
"""

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

PAGE_SIZE = 25
SEARCH_NAME = "Nguyễn"  # the commonest family name: a search that matches many rows


def _officers():
    """The bench officers of the agency with the most dossiers."""
    from django.db.models import Count

    from dossiers.models import Dossier
    from portal.models import User

    busiest = (
        Dossier.objects.values("agency_id").annotate(n=Count("id")).order_by("-n").values_list("agency_id", "n")[:1]
    )
    if not busiest:
        raise SystemExit("No dossier in this database: run bench/generate_dossiers.py first.")
    agency_id, total = busiest[0]
    officers = {}
    for slug in ("tiepnhan", "xuly1", "lanhdao"):
        officers[slug] = User.objects.get(email=f"bench.{slug}.{agency_id}@bench.local")
    return agency_id, total, officers


QUEUE_OFFICER = {
    "new": "tiepnhan",
    "received": "tiepnhan",
    "waiting_applicant": "tiepnhan",
    "to_process": "xuly1",
    "awaiting_approval": "lanhdao",
    "due_soon": "tiepnhan",
    "overdue": "tiepnhan",
    "results": "tiepnhan",
}


CACHED_CODES = 50


def _lookup_sample(size: int = CACHED_CODES) -> list[tuple[str, str]]:
    """(code, last 4 digits of the applicant's ID) of dossiers spread over the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, right(applicant_id_number, 4) FROM dossiers_dossier TABLESAMPLE SYSTEM (10) "
            "WHERE status <> 'draft' AND length(applicant_id_number) >= 4 LIMIT %s",
            [size],
        )
        rows = cursor.fetchall()
        if len(rows) < size:
            cursor.execute(
                "SELECT code, right(applicant_id_number, 4) FROM dossiers_dossier "
                "WHERE status <> 'draft' AND length(applicant_id_number) >= 4 ORDER BY id DESC LIMIT %s",
                [size],
            )
            rows = cursor.fetchall()
    return rows


def _time(send, n: int, warmup: int) -> dict:
    for i in range(warmup):
        send(i)
    latencies = []
    for i in range(n):
        start = time.perf_counter()
        send(warmup + i)
        latencies.append(time.perf_counter() - start)
    return _summary(latencies)


def _queries(send) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        send(0)
    return len(captured), [q["sql"] for q in captured.captured_queries]


def _forget_cached_lookups(sample) -> None:
    """Drop the cached answers of the sample's codes, so that a run starts with none (a previous run less
    than a minute ago would have left some)."""
    from django.core.cache import cache

    from dossiers.lookup import cache as lookup_cache

    cache.delete_many([lookup_cache.entry_key(code) for code, _factor in sample])


def bench_http(*, n: int, warmup: int, explain_out) -> list[dict]:
    agency_id, total, officers = _officers()
    clients = {}
    for slug, user in officers.items():
        clients[slug] = Client()
        clients[slug].force_login(user)
    anonymous = Client()
    # Codes for the cached targets, then one fresh code per request of each "cache miss" target.
    misses_needed = 2 * (n * 3 + warmup + 1)
    sample = _lookup_sample(CACHED_CODES + misses_needed)
    cached, fresh = sample[:CACHED_CODES], iter(sample[CACHED_CODES:])
    if len(sample) < CACHED_CODES + misses_needed:
        raise SystemExit(f"Only {len(sample)} dossiers to look up; {CACHED_CODES + misses_needed} are needed.")
    _forget_cached_lookups(sample)

    def get(client, url, params=None, expect=200):
        def send(i):
            response = client.get(url, params(i) if callable(params) else params)
            if response.status_code != expect:
                raise SystemExit(f"{url} answered {response.status_code}, expected {expect}")
            return response

        return send

    def lookup(url, codes, **post):
        """A sender of lookups of `codes` (a function of the request's index), checking that each found."""
        marker = b'"status"' if url.startswith("/api/") else b"lookup-result"

        def send(i):
            code, factor = codes(i)
            response = anonymous.post(url, {"code": code, "second_factor": factor}, **post)
            if response.status_code != 200 or marker not in response.content:
                raise SystemExit(f"{url} answered {response.status_code} without a result for {code}")
            return response

        return send

    def cached_code(i):
        return cached[i % len(cached)]

    def fresh_code(_i):
        return next(fresh)

    page_url = reverse("dossiers:lookup")
    api_url = "/api/v1/lookup/"
    # The cached targets' answers are in the cache before any is timed.
    for i in range(len(cached)):
        lookup(api_url, cached_code, content_type="application/json")(i)

    # The throughput comparison: the empty view and the lookups, interleaved in rounds so that a change in
    # the machine's load during the run touches all of them alike.
    def empty_api(_i):
        response = anonymous.post("/bench/empty-api/", {"code": "x"}, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"/bench/empty-api/ answered {response.status_code}")

    baseline = {
        "empty Django view": get(anonymous, "/bench/empty/"),
        "empty API view (DRF, JSON POST)": empty_api,
        "public lookup page, cached": lookup(page_url, cached_code),
        "API lookup, cached": lookup(api_url, cached_code, content_type="application/json"),
        "public lookup page, cache miss": lookup(page_url, fresh_code),
        "API lookup, cache miss": lookup(api_url, fresh_code, content_type="application/json"),
    }
    results = []
    for name, row in _time_interleaved(baseline, n=n * 3, warmup=warmup).items():
        queries, _sqls = _queries(baseline[name])
        results.append({"target": name, "queries": queries, **row})
        print(f"  {name:<45} {row['median_ms']:7.2f} ms  {row['rps']:7.1f}/s  {queries} queries", flush=True)

    targets = []
    try:
        for queue, slug in QUEUE_OFFICER.items():
            url = reverse("dossiers:officer-queue", args=[queue])
            rows = _queue_size(officers[slug], queue)
            targets.append((f"queue {queue}", get(clients[slug], url), rows))
            rows = _queue_size(officers[slug], queue, search=SEARCH_NAME)
            search = get(clients[slug], url, {"q": SEARCH_NAME})
            targets.append((f"queue {queue}, search “{SEARCH_NAME}”", search, rows))
    except NoReverseMatch:
        print("(no dossiers:officer-queue page yet)")
    for name, send, rows in targets:
        queries, sqls = _queries(send)
        row = {"target": name, "queries": queries, "rows": rows, **_time(send, n, warmup)}
        results.append(row)
        print(f"  {name:<45} {row['median_ms']:7.2f} ms  {row['rps']:7.1f}/s  {queries} queries", flush=True)
        if explain_out is not None:
            _explain(name, sqls, explain_out)
    return results


def _queue_size(officer, queue: str, search: str = "") -> tuple[int, int]:
    """(rows on the first page, dossiers in the queue), read through the selector, outside the timing."""
    from dossiers import selectors

    total = selectors.dossier_queue_for_officer(officer=officer, queue=queue, search=search).count()
    return min(PAGE_SIZE, total), total


def _time_interleaved(sends: dict, *, n: int, warmup: int, rounds: int = 10) -> dict[str, dict]:
    """`_time` for several targets, in `rounds` alternating rounds of n / rounds requests each."""
    for send in sends.values():
        for i in range(warmup):
            send(i)
    latencies = {name: [] for name in sends}
    per_round = max(1, n // rounds)
    for r in range(rounds):
        for name, send in sends.items():
            for i in range(per_round):
                start = time.perf_counter()
                send(r * per_round + i)
                latencies[name].append(time.perf_counter() - start)
    return {name: _summary(values) for name, values in latencies.items()}


def _summary(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    n = len(latencies)
    return {
        "n": n,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[min(n - 1, int(n * 0.95))] * 1000,
        "rps": n / sum(latencies),
    }


def _explain(name: str, sqls: list[str], out) -> None:
    """EXPLAIN ANALYZE every query of the page that reads dossiers; print the plan to `out`."""
    import re

    out.write(f"\n=== {name}\n")
    for sql in sqls:
        if "dossiers_dossier" not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        indexes = sorted(set(re.findall(r"(?:Index|Index Only) Scan(?: Backward)? using (\w+)", plan)))
        indexes += sorted(set(re.findall(r"Bitmap Index Scan on (\w+)", plan)))
        seq = "Seq Scan on dossiers_dossier" in plan
        timing = re.search(r"Execution Time: ([\d.]+) ms", plan)
        summary = f"indexes: {', '.join(indexes) or '-'}{'; SEQ SCAN on dossiers' if seq else ''}"
        out.write(f"--- {sql[:160]}...\n{summary}; {timing.group(0) if timing else ''}\n{plan}\n")


def bench_selectors(*, n: int) -> list[dict]:
    from dossiers import selectors
    from dossiers.deadlines.watch import deadline_watch
    from dossiers.lookup import dossier_public_lookup

    agency_id, total, officers = _officers()
    sample = _lookup_sample()
    results = []

    def record(name, send, count=n):
        send(0)
        row = {"target": name, **_time(send, count, warmup=2)}
        results.append(row)
        print(f"  {name:<45} {row['median_ms']:7.2f} ms", flush=True)

    for queue, slug in QUEUE_OFFICER.items():
        officer = officers[slug]

        def page(i, queue=queue, officer=officer, search=""):
            dossiers = selectors.dossier_queue_for_officer(officer=officer, queue=queue, search=search)
            list(Paginator(dossiers, PAGE_SIZE).get_page(1).object_list)

        record(f"selector queue {queue} (count + page 1)", page)
    record("selector queue_counts (reception)", lambda i: selectors.queue_counts(officer=officers["tiepnhan"]))

    def lookup(i):
        code, factor = sample[i % len(sample)]
        if dossier_public_lookup(code=code, second_factor=factor) is None:
            raise SystemExit(f"{code} not found")

    record("selector public lookup, uncached (dossier + timeline)", lookup, n * 3)

    def watch(i):
        with transaction.atomic():
            deadline_watch(now=timezone.now())
            transaction.set_rollback(True)

    record("deadline watch, steady state (rolled back)", watch, max(3, n // 20))
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="", help="how to name this run in the output")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page (x3 for lookups)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--explain", type=Path, default=None, help="write EXPLAIN ANALYZE plans to this file")
    parser.add_argument("--json", type=Path, default=None, help="write the results as JSON to this file")
    parser.add_argument("--skip-pages", action="store_true", help="measure the selectors only")
    args = parser.parse_args(argv)

    # No setup_test_environment(): its template instrumentation would add to every page's time.
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic here
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        dossiers = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"Benchmark {args.label}: {dossiers:,} dossiers, {version}, {os.cpu_count()} CPUs", flush=True)
    explain_out = args.explain.open("w") if args.explain else None
    started = time.monotonic()
    pages = [] if args.skip_pages else bench_http(n=args.requests, warmup=args.warmup, explain_out=explain_out)
    selector_rows = bench_selectors(n=max(10, args.requests // 2))
    if explain_out:
        explain_out.close()

    print(f"\n### {args.label or 'Benchmark'} ({dossiers:,} dossiers)\n")
    if pages:
        empty = next(r["rps"] for r in pages if r["target"] == "empty Django view")
        print("| page | median ms | p95 ms | req/s | % of empty view | SQL queries | rows shown / in queue |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in pages:
            rows = f"{r['rows'][0]} / {r['rows'][1]:,}" if "rows" in r else ""
            print(
                f"| {r['target']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['rps']:.0f} | "
                f"{100 * r['rps'] / empty:.0f} % | {r['queries']} | {rows} |"
            )
        print()
    print("| selector / job | median ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for r in selector_rows:
        print(f"| {r['target']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} |")
    print(f"\n(total {time.monotonic() - started:.0f} s)")
    if args.json:
        report = {"label": args.label, "dossiers": dossiers, "pages": pages, "selectors": selector_rows}
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
