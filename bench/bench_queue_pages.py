"""Time the officer queue pages alone, in process: wall and CPU time per page, and its SQL queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_queue_pages.py [--requests 30] [--without-index dossier_in_flight] [--json FILE]

Django's test Client sends each page through the whole stack (`bench.settings`, DEBUG off), signed in as the
busiest agency's bench officer of each queue (bench/bench_pages.py's choice), one request at a time: 5 warm-up
requests, then --requests timed ones per page. CPU is this process's (`time.process_time`): on a shared machine it
moves much less than wall time with the load, and it is where a page's rendering shows. To compare code versions,
run this file from each checkout against the same database in alternating runs. --without-index runs everything in
one transaction that drops the named index first and is rolled back at the end (the index is back afterwards;
other connections to the table wait meanwhile).
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

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

PAGES = [
    ("new", {}),
    ("new", {"page": 2}),
    ("received", {}),
    ("received", {"q": "Nguyễn"}),
    ("to_process", {}),
    ("awaiting_approval", {}),
    ("overdue", {}),
    ("results", {}),
]


class Rollback(Exception):
    pass


def measure(requests: int) -> list[dict]:
    from bench.bench_pages import QUEUE_OFFICER, _officers

    _agency, _count, officers = _officers()
    clients = {}
    for slug in set(QUEUE_OFFICER.values()):
        clients[slug] = Client()
        clients[slug].force_login(officers[slug])
    results = []
    for queue, params in PAGES:
        client, url = clients[QUEUE_OFFICER[queue]], reverse("dossiers:officer-queue", args=[queue])
        for _ in range(5):
            if client.get(url, params).status_code != 200:
                raise SystemExit(f"{url} {params}: not 200")
        wall, cpu = [], []
        for _ in range(requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url, params)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, params)
        label = queue + "".join(f", {key}={value}" for key, value in params.items())
        results.append(
            {
                "page": label,
                "wall_ms": 1000 * statistics.median(wall),
                "p95_ms": 1000 * statistics.quantiles(wall, n=20)[-1],
                "cpu_ms": 1000 * statistics.median(cpu),
                "queries": len(queries),
            }
        )
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--without-index", default="", help="drop this index for the run (rolled back)")
    parser.add_argument("--label", default="")
    parser.add_argument("--json", type=Path, default=None, help="append the results as one JSON line to this file")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic here
    try:
        with transaction.atomic():
            if args.without_index:
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP INDEX "{args.without_index}"')  # an index name given by the operator
            results = measure(args.requests)
            raise Rollback
    except Rollback:
        pass
    print(f"\n### {args.label} (load average {' '.join(f'{v:.1f}' for v in os.getloadavg())})\n")
    print("| page | median ms | p95 ms | CPU median ms | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['page']} | {r['wall_ms']:.1f} | {r['p95_ms']:.1f} | {r['cpu_ms']:.1f} | {r['queries']} |")
    if args.json:
        with args.json.open("a") as out:
            out.write(json.dumps({"label": args.label, "load": os.getloadavg(), "pages": results}) + "\n")


if __name__ == "__main__":
    main()
