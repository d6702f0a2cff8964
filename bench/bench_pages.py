"""Measure the officer queues, the public lookup (page and API) and an empty Django view, on the database
that bench/generate_dossiers.py filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_pages.py --label "1,000 dossiers" [--requests 100] [--explain FILE]

Method: in one process, Django's test Client sends GET requests through the whole stack (middleware,
session, URL routing, view, templates, database), one at a time, with settings `bench.settings`
(DEBUG off, the portal's URLs plus the empty view of bench/urls.py, no lookup rate limit; the rate
limit's Redis round trip still happens when REDIS_URL is set). Each target gets warm-up requests, then
`--requests` timed ones; the table gives the median and 95th percentile latency, requests per second
(timed requests / their total time: one client, so 1 / mean latency) and the SQL queries of one
request. Officers sign in with force_login: the bench officers of the busiest agency (the worst case).
Lookups cycle through a sample of real codes with the right second factor.

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


def _lookup_sample(size: int = 50) -> list[tuple[str, str]]:
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


def bench_http(*, n: int, warmup: int, explain_out) -> list[dict]:
    agency_id, total, officers = _officers()
    clients = {}
    for slug, user in officers.items():
        clients[slug] = Client()
        clients[slug].force_login(user)
    anonymous = Client()
    sample = _lookup_sample()

    def get(client, url, params=None, expect=200):
        def send(i):
            response = client.get(url, params(i) if callable(params) else params)
            if response.status_code != expect:
                raise SystemExit(f"{url} answered {response.status_code}, expected {expect}")
            return response

        return send

    def lookup_params(i):
        code, factor = sample[i % len(sample)]
        return {"code": code, "second_factor": factor}

    # The throughput comparison: the empty view and the lookups, interleaved in rounds so that a change in
    # the machine's load during the run touches all of them alike.
    baseline = {"empty Django view": get(anonymous, "/bench/empty/")}
    try:
        baseline["public lookup page"] = get(anonymous, reverse("dossiers:lookup"), lookup_params)
    except NoReverseMatch:
        print("(no dossiers:lookup page yet)")
    baseline["API lookup"] = get(anonymous, "/api/v1/lookup/", lookup_params)
    baseline["reference: lean lookup (bench only)"] = get(anonymous, "/bench/lean-lookup/", lookup_params)
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
    from dossiers.watch import deadline_watch

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
        dossier = selectors.dossier_public_lookup(code=code, second_factor=factor)
        selectors.dossier_public_timeline(dossier=dossier)

    record("selector public lookup + timeline", lookup, n * 3)

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
