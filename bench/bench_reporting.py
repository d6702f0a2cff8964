"""Measure the statistics: the full recompute against the bare SQL GROUP BY over the same dossiers, the incremental
job after N changed dossiers, and the statistics pages against an empty view, on a database that
bench/generate_dossiers.py filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_reporting.py --label "1,000,000 dossiers" [--repeat 5] [--requests 60] [--rounds 6]

Method, all in one process and one run, so that the load of the machine touches every measure alike:
- "bare GROUP BY": the least a summary of the dossiers costs, one pass over the table grouped by agency, procedure,
  channel and receipt day with the classes counted (`SELECT count(*) FROM (… GROUP BY …)`, nothing written);
- "full recompute": `statistics_recompute_full()` (working-day ordinals, truncate, the INSERT … SELECT of every
  flow, the monthly roll-up, commit);
- "incremental after N changes", three kinds of change, each made on a current summary, then
  `statistics_update_incremental()` timed: "touched", N random dossiers of the whole year with their `updated_at`
  set to now and nothing else (nothing the statistics count: nothing logged, nothing to do); "edits", N random
  received dossiers of the whole year each with an apology stamped on its receipt day (every change logged, its
  cells spread over the year: the worst case for the job before the log of changes); "transitions", N changes as
  the workflow makes them, stamped now, among the dossiers in flight: 60 % finished (result ready, early or late by
  their due date), 20 % paused for a supplement, 20 % of the paused ones resumed with their due date three days
  later;
- pages: Django's test Client through the whole stack (settings `bench.settings`), the public page (this year), the
  busiest agency's dashboard (its bench approver), its scorecard, the province's dashboard (a superuser) and the API,
  each warmed up, then `--requests` timed, spread over `--rounds` rounds that take every target in turn (a shared
  VM's speed drifts by a third within minutes: measured one after the other, a floor and its page could each meet
  a different machine); median, p95, the median CPU time of this process (Python's share: the database's work is
  not in it) and the SQL queries of one request. Each page is set against floors measured in the same run: the
  empty view (bench/urls.py, no template, no query); a page's floor as DESIGN.md means it, an empty view of the same
  kind: the empty page (a template extending the site shell with nothing in it, as the emptiest page of the portal
  would be) for the same user, the empty API view for the API; and, stricter, the site shell (`base.html`) rendered
  directly, without the `{% extends %}` every page pays.
Each timing of the recomputes is the median of `--repeat` runs, the bare GROUP BY and the full recompute taking
turns; every line carries the 1-minute load average when it was measured (the machine is shared). The run writes
the summary tables and changes dossiers (the transitions): use a database of its own. `--pages-only` measures the
pages alone and writes nothing but the bench's province user (the summary must be current: run the full recompute
once before, with `manage.py recompute_statistics`).
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


def bare_group_by() -> None:
    with connection.cursor() as cursor:
        cursor.execute(BARE_GROUP_BY, [settings.TIME_ZONE])
        cursor.fetchone()


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def touch(changes: int) -> None:
    from dossiers.models import Dossier

    ids = list(Dossier.objects.exclude(status="draft").values_list("id", flat=True).order_by("?")[:changes])
    Dossier.objects.filter(id__in=ids).update(updated_at=timezone.now())


def edits(changes: int) -> None:
    from django.db.models import F

    from dossiers.models import Dossier

    received = Dossier.objects.filter(received_at__isnull=False, apologized_at__isnull=True)
    ids = list(received.values_list("id", flat=True).order_by("?")[:changes])
    Dossier.objects.filter(id__in=ids).update(apologized_at=F("received_at"), updated_at=timezone.now())


def transitions(changes: int) -> None:
    from datetime import timedelta

    from django.db.models import Case, F, Value, When

    from dossiers.constants import CLOCK_RUNNING_STATUSES, DossierStatus, Timeliness
    from dossiers.deadlines import at_risk_refresh
    from dossiers.models import Dossier

    now = timezone.now()
    running = Dossier.objects.filter(status__in=CLOCK_RUNNING_STATUSES, paused_at__isnull=True)

    def some(queryset, count: int) -> list[int]:
        return list(queryset.values_list("id", flat=True).order_by("?")[:count])

    finishing, pausing = some(running, changes * 6 // 10), some(running, changes * 2 // 10)
    pausing = [pk for pk in pausing if pk not in set(finishing)]
    resuming = some(
        Dossier.objects.filter(status=DossierStatus.SUPPLEMENT_REQUESTED), changes - len(finishing) - len(pausing)
    )
    Dossier.objects.filter(id__in=finishing).update(
        status=DossierStatus.RESULT_READY,
        finished_at=now,
        timeliness=Case(When(due_at__lt=now, then=Value(Timeliness.LATE)), default=Value(Timeliness.EARLY)),
        updated_at=now,
    )
    Dossier.objects.filter(id__in=pausing).update(
        status=DossierStatus.SUPPLEMENT_REQUESTED, paused_at=now, updated_at=now
    )
    Dossier.objects.filter(id__in=resuming).update(
        status=DossierStatus.PROCESSING, paused_at=None, due_at=F("due_at") + timedelta(days=3), updated_at=now
    )
    # Written around the services, which keep the at-risk moment the queue pages read: set it as they would have.
    at_risk_refresh(Dossier.objects.filter(id__in=[*finishing, *pausing, *resuming]))


def incremental_after(change, changes: int) -> float:
    """The incremental job after `changes` changes; the summary is current before them (the full recompute's timing
    ran first, and each timed run brings it up to date again)."""
    from reporting import services

    change(changes)
    return timed(services.statistics_update_incremental)


def warm_up(client: Client, path: str, query: dict) -> float:
    """The first of three requests (the one after a statistics run when the run is the first since one: the pages
    keep what they computed until the next, reporting.pagecache)."""
    first = None
    for _ in range(3):
        started = time.perf_counter()
        status = client.get(path, query).status_code
        first = first or time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return first


def timed_requests(client: Client, path: str, query: dict, requests: int) -> tuple[list[float], list[float]]:
    """(wall, CPU time of this process) of each of `requests` requests."""
    wall, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path, query)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall, cpu


def query_count(client: Client, path: str, query: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(path, query)
    return len(queries.captured_queries)


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


def measure_pages(requests: int, rounds: int) -> None:
    """Each page against the empty view and against its floor (DESIGN.md: an empty view of the same kind): the empty
    page (a template extending the site shell, nothing in it) for the same user, the empty API view for the API; and,
    stricter, against the site shell (`base.html`) rendered directly, which no page of the portal is. All in this run:
    every target warmed up, then `rounds` rounds, each timing `requests / rounds` requests of every target in turn, so
    that the machine's drift (a shared VM's speed changes by a third within minutes) falls on floors and pages
    alike."""
    people = clients()
    year = {"period": "year", "year": str(timezone.localdate().year)}
    client_of = {**people, "api": people["anonymous"]}
    users = {"anonymous": "anonymous", "leader": "agency leader", "province": "province"}
    floors = [
        ("empty view", "empty", "anonymous", "/bench/empty/"),
        *((f"empty page, {name}", "page", who, "/bench/empty-page/") for who, name in users.items()),
        *((f"site shell, {name}", "shell", who, "/bench/floor-page/") for who, name in users.items()),
        ("empty API view (GET)", "page", "api", "/bench/empty-api/"),
    ]
    pages = [
        ("public page (this year)", "anonymous", "/thong-ke/"),
        ("agency dashboard (busiest agency, this year)", "leader", "/thong-ke/co-quan/"),
        ("scorecard (busiest agency, this year)", "leader", "/thong-ke/chi-so-phuc-vu/"),
        ("province dashboard (this year)", "province", "/thong-ke/toan-tinh/"),
        ("API /api/v1/statistics/ (this year)", "api", "/api/v1/statistics/"),
    ]
    targets = [(label, who, path, {}) for label, _kind, who, path in floors] + [
        (label, who, path, year) for label, who, path in pages
    ]
    first = {label: warm_up(client_of[who], path, query) for label, who, path, query in targets}
    wall, cpu = {label: [] for label, *_ in targets}, {label: [] for label, *_ in targets}
    per_round = max(1, requests // rounds)
    for _ in range(rounds):
        for label, who, path, query in targets:
            round_wall, round_cpu = timed_requests(client_of[who], path, query, per_round)
            wall[label] += round_wall
            cpu[label] += round_cpu
    median = {label: statistics.median(samples) for label, samples in wall.items()}
    floor_of = {(kind, who): median[label] for label, kind, who, _path in floors}
    print(f"Loads (1 min) at the end: {load()}; {rounds} rounds of {per_round} requests per target.\n")
    print("| page | first ms | median ms | p95 ms | CPU ms | × empty view | × floor | × site shell | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, who, path, query in targets:
        samples = sorted(wall[label])
        p95 = samples[int(0.95 * (len(samples) - 1))]
        floor, shell = floor_of.get(("page", who)), floor_of.get(("shell", who))
        is_floor = query is not year
        against_floor = "" if is_floor else f"{median[label] / floor:.1f}"
        against_shell = "" if is_floor or shell is None else f"{median[label] / shell:.1f}"
        print(
            f"| {label}{' (floor)' if is_floor else ''} | {first[label] * 1000:.1f} | {median[label] * 1000:.1f} "
            f"| {p95 * 1000:.1f} | {statistics.median(cpu[label]) * 1000:.1f} "
            f"| {median[label] / floor_of[('empty', 'anonymous')]:.1f} | {against_floor} | {against_shell} "
            f"| {query_count(client_of[who], path, query)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page, in all")
    parser.add_argument("--rounds", type=int, default=6, help="rounds the requests are spread over")
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--pages-only", action="store_true", help="measure the pages alone; write nothing")
    args = parser.parse_args()

    from dossiers.models import Dossier
    from reporting import services
    from reporting.models import DailyDossierStat

    dossiers = Dossier.objects.count()
    print(f"## {args.label or f'{dossiers:,} dossiers'}\n")
    if args.pages_only:
        measure_pages(args.requests, args.rounds)
        return
    call_command("migrate", verbosity=0)
    random.seed(11)
    bare_runs, full_runs = [], []
    for _ in range(args.repeat):
        bare_runs.append(timed(bare_group_by))
        full_runs.append(timed(services.statistics_recompute_full))
    bare, full, recompute_load = statistics.median(bare_runs), statistics.median(full_runs), load()
    rows = DailyDossierStat.objects.count()
    print("| measure | seconds | ratio | load (1 min) |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| bare GROUP BY over {dossiers:,} dossiers | {bare:.2f} | 1.0 | {recompute_load} |")
    print(f"| full recompute ({rows:,} daily rows) | {full:.2f} | {full / bare:.2f}× | {recompute_load} |")
    for kind, change in (("touched", touch), ("edits", edits), ("transitions", transitions)):
        incremental = statistics.median(incremental_after(change, args.changes) for _ in range(args.repeat))
        print(f"| incremental after {args.changes:,} changes ({kind}) | {incremental:.2f} | | {load()} |")
    print()

    measure_pages(args.requests, args.rounds)


if __name__ == "__main__":
    main()
