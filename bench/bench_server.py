"""The throughput budget through a real server: gunicorn serves the portal on a loopback port, client
threads in this process send requests to it, and the public lookup's requests per second are compared
with those of an empty Django view, on the same server in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_server.py [--workers 2] [--threads 4] [--seconds 40]

gunicorn runs `portal.wsgi` with `bench.settings` (DEBUG off, the empty and lean-lookup views of
bench/urls.py, no lookup rate limit) and sync workers. Targets are measured in alternating rounds
(each round gives every target the same slice of time), so that a change in the machine's load touches
all of them alike. Every loop is bounded by time and by count, talks to 127.0.0.1 only, and the server
is stopped at the end. Client and server share the machine's cores: the numbers are for comparison
within the run, not a capacity figure.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

MAX_REQUESTS_PER_SLICE = 20_000  # a bound on every loop, whatever the time slice


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, cookie: str = "") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _get(port, "/bench/empty/") == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer within 30 s")


def _slice(port: int, paths: list[str], cookie: str, threads: int, seconds: float) -> list[float]:
    """`threads` clients sending GETs (cycling through `paths`) for `seconds`; the latencies."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int):
        mine, i = [], offset
        while time.monotonic() < deadline and len(mine) < MAX_REQUESTS_PER_SLICE:
            path = paths[i % len(paths)]
            start = time.perf_counter()
            status = _get(port, path, cookie)
            mine.append(time.perf_counter() - start)
            if status != 200:
                errors.append(f"{path}: {status}")
                break
            i += 1
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client, args=(n * 7,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"unexpected answers: {errors[:3]}")
    return latencies


def main(argv=None) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.bench_pages import QUEUE_OFFICER, _lookup_sample, _officers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--seconds", type=float, default=40, help="time per target, over all rounds")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)

    sample = _lookup_sample()
    lookups = [urlencode({"code": code, "second_factor": factor}) for code, factor in sample]
    _agency, agency_dossiers, officers = _officers()
    browser = Client()
    browser.force_login(officers[QUEUE_OFFICER["to_process"]])
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    targets = {
        "empty Django view": ([reverse("bench-empty")], ""),
        "public lookup page": ([f"{reverse('dossiers:lookup')}?{q}" for q in lookups], ""),
        "API lookup": ([f"/api/v1/lookup/?{q}" for q in lookups], ""),
        "reference: lean lookup (bench only)": ([f"{reverse('bench-lean-lookup')}?{q}" for q in lookups], ""),
        "queue to_process (signed in)": ([reverse("dossiers:officer-queue", args=["to_process"])], cookie),
    }

    port = _free_port()
    server = _start_server(port, args.workers)
    try:
        for paths, target_cookie in targets.values():  # warm every worker up
            _slice(port, paths, target_cookie, args.threads, 1.0)
        latencies = {name: [] for name in targets}
        elapsed = dict.fromkeys(targets, 0.0)
        per_slice = args.seconds / args.rounds
        for _round in range(args.rounds):
            for name, (paths, target_cookie) in targets.items():
                start = time.monotonic()
                latencies[name] += _slice(port, paths, target_cookie, args.threads, per_slice)
                elapsed[name] += time.monotonic() - start
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\n### {args.label or 'Server'}: gunicorn, {args.workers} sync workers, {args.threads} client threads, "
        f"{args.seconds:.0f} s per target in {args.rounds} rounds, {os.cpu_count()} CPUs\n"
    )
    print("| target | requests | req/s | % of empty view | median ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    empty_rps = len(latencies["empty Django view"]) / elapsed["empty Django view"]
    for name, values in latencies.items():
        values.sort()
        rps = len(values) / elapsed[name]
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"| {name} | {len(values):,} | {rps:.0f} | {100 * rps / empty_rps:.0f} % | "
            f"{statistics.median(values) * 1000:.1f} | {p95 * 1000:.1f} |"
        )
    print(f"\n(the signed-in officer's agency has {agency_dossiers:,} dossiers)")


if __name__ == "__main__":
    main()
