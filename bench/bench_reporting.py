"""Measure the statistics: the full recompute against the bare SQL GROUP BY over the same dossiers, the incremental
job after N changed dossiers, and the statistics pages against an empty view, on a database that
bench/generate_dossiers.py filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_reporting.py --label "1,000,000 dossiers" [--repeat 3] [--requests 30]

Method, all in one process and one run, so that the load of the machine touches every measure alike:
- "bare GROUP BY": the least a summary of the dossiers costs, one pass over the table grouped by agency, procedure,
  channel and receipt day with the classes counted (`SELECT count(*) FROM (… GROUP BY …)`, nothing written);
- "full recompute": `statistics_recompute_full()` (working-day ordinals, delete, the INSERT … SELECT of every flow,
  commit);
- "incremental after N changes": a full recompute, then N random dossiers touched (their `updated_at` set to now, as
  a transition does), then `statistics_update_incremental()` timed;
- pages: Django's test Client through the whole stack (settings `bench.settings`), the empty view, the public page
  (this year), the busiest agency's dashboard (its bench approver) and the province's (a superuser), each warmed up,
  then `--requests` timed; median, p95 and the SQL queries of one request.
Each timing of the recomputes is the median of `--repeat` runs. The run writes the summary tables (and touches
`updated_at` of N dossiers): use a database of its own.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

BARE_GROUP_BY = """
SELECT count(*) FROM (
    SELECT agency_id, procedure_id, channel, (received_at AT TIME ZONE %s)::date AS day,
           count(*) AS received,
           count(*) FILTER (WHERE timeliness = 'early') AS early,
           count(*) FILTER (WHERE timeliness = 'on_time') AS on_time,
           count(*) FILTER (WHERE timeliness = 'late') AS late
    FROM dossiers_dossier WHERE received_at IS NOT NULL
    GROUP BY 1, 2, 3, 4
) grouped
"""


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def median_of(repeat: int, function) -> float:
    return statistics.median(timed(function) for _ in range(repeat))


def bare_group_by() -> None:
    with connection.cursor() as cursor:
        cursor.execute(BARE_GROUP_BY, [settings.TIME_ZONE])
        cursor.fetchone()


def incremental_after(changes: int) -> float:
    from dossiers.models import Dossier
    from reporting import services

    services.statistics_recompute_full()
    ids = list(Dossier.objects.exclude(status="draft").values_list("id", flat=True).order_by("?")[:changes])
    Dossier.objects.filter(id__in=ids).update(updated_at=timezone.now())
    return timed(services.statistics_update_incremental)


def page_timings(client: Client, path: str, query: dict, requests: int) -> tuple[float, float, int]:
    for _ in range(3):
        status = client.get(path, query).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path, query)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(path, query)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], len(queries.captured_queries)


def clients() -> dict[str, Client]:
    from django.db.models import Count

    from dossiers.models import Dossier
    from portal.constants import Role
    from portal.models import User

    busiest = Dossier.objects.values("agency_id").annotate(n=Count("id")).order_by("-n")[0]["agency_id"]
    leader = User.objects.filter(agency_id=busiest, groups__name=Role.APPROVER).first()
    province, _ = User.objects.get_or_create(
        email="bench.province@bench.local",
        defaults={"full_name": "Bench province", "is_superuser": True, "is_staff": True},
    )
    anonymous, leader_client, province_client = Client(), Client(), Client()
    leader_client.force_login(leader)
    province_client.force_login(province)
    return {"anonymous": anonymous, "leader": leader_client, "province": province_client}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args()

    from dossiers.models import Dossier
    from reporting import services
    from reporting.models import DailyDossierStat

    call_command("migrate", verbosity=0)
    random.seed(11)
    dossiers = Dossier.objects.count()
    print(f"## {args.label or f'{dossiers:,} dossiers'}\n")
    bare = median_of(args.repeat, bare_group_by)
    full = median_of(args.repeat, services.statistics_recompute_full)
    rows = DailyDossierStat.objects.count()
    incremental = statistics.median(incremental_after(args.changes) for _ in range(args.repeat))
    print("| measure | seconds | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| bare GROUP BY over {dossiers:,} dossiers | {bare:.2f} | 1.0 |")
    print(f"| full recompute ({rows:,} summary rows) | {full:.2f} | {full / bare:.1f}× |")
    print(f"| incremental after {args.changes:,} changed dossiers | {incremental:.2f} | |\n")

    people = clients()
    year = {"period": "year", "year": str(timezone.localdate().year)}
    targets = [
        ("empty view", people["anonymous"], "/bench/empty/", {}),
        ("public page (this year)", people["anonymous"], "/thong-ke/", year),
        ("agency dashboard (busiest agency, this year)", people["leader"], "/thong-ke/co-quan/", year),
        ("province dashboard (this year)", people["province"], "/thong-ke/toan-tinh/", year),
        ("API /api/v1/statistics/ (this year)", people["anonymous"], "/api/v1/statistics/", year),
    ]
    print("| page | median ms | p95 ms | × empty | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    empty_median = None
    for label, client, path, query in targets:
        median, p95, queries = page_timings(client, path, query, args.requests)
        empty_median = empty_median or median
        print(f"| {label} | {median * 1000:.1f} | {p95 * 1000:.1f} | {median / empty_median:.1f} | {queries} |")


if __name__ == "__main__":
    main()
