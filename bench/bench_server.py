"""The throughput budget through a real server: gunicorn serves the portal on a loopback port, client
threads in this process send requests to it, and the public lookup's requests per second are compared
with those of an empty Django view, on the same server in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_server.py [--workers 2] [--threads 2] [--seconds 30] [--phases on,off]

gunicorn runs `config.wsgi` with `bench.settings` (DEBUG off, the empty views of bench/urls.py, a lookup
rate limit too high to refuse but counted as always) and sync workers. Two phases, each its own server:
"on", the portal as deployed (the lookup's answers cached; the 50 codes looked up are cached before the
timing), with a signed-in queue page for scale; "off", the same server with LOOKUP_CACHE_SECONDS=0, every
lookup reading the database (what a code looked up for the first time in a minute costs). Lookups are
POSTs: the API's JSON, and the page's form with the CSRF cookie and token that a GET of the page hands out
(as a browser does). Within a phase, targets are measured in alternating rounds (each round gives every
target the same slice of time), so that a change in the machine's load touches all of them alike. Every
loop is bounded by time and by count, talks to 127.0.0.1 only, and the server is stopped at the end of its
phase. Client and server share the machine's cores: the numbers are for comparison within a phase, not a
capacity figure.

Requests per second move with the machine's load from one slice to the next (other processes take the cores the
server waits for), so each target's server CPU per request is printed beside them: the CPU time gunicorn's
processes spent during the target's slices (user + system, read with psutil, which locust brings), divided by its
requests. It leaves out the client, Redis and PostgreSQL, which run in other processes (so it flatters what queries
the database), and moves
much less with the load; "floor's CPU ÷ this" is the share of its floor's throughput a lookup would reach if the
server's own CPU were all that counted.
"""

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

import psutil

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

MAX_REQUESTS_PER_SLICE = 20_000  # a bound on every loop, whatever the time slice
# Each lookup's floor (DESIGN.md, performance budget): an empty view of the same kind with the same Redis round trip.
FLOORS = {
    "public lookup page": "floor of the page: site shell rendered + the Redis round trip",
    "API lookup": "floor of the API: DRF JSON POST + the Redis round trip",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Request:
    """One request of a target: method, path, headers and body, and what a good answer contains."""

    def __init__(self, path: str, *, method: str = "GET", headers=None, body: bytes | None = None, expect=b""):
        self.path, self.method, self.headers, self.body, self.expect = path, method, headers or {}, body, expect


def _send(port: int, request: Request) -> tuple[int, bytes, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def _get(port: int, path: str) -> int:
    return _send(port, Request(path))[0]


def _start_server(port: int, workers: int, env_extra: dict) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **env_extra}
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
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


def _server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) spent so far by gunicorn's master and workers."""
    master = psutil.Process(server.pid)
    total = 0.0
    for process in (master, *master.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _slice(port: int, requests: list[Request], threads: int, seconds: float) -> list[float]:
    """`threads` clients sending `requests` (cycling through them) for `seconds`; the latencies."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int):
        mine, i = [], offset
        while time.monotonic() < deadline and len(mine) < MAX_REQUESTS_PER_SLICE:
            request = requests[i % len(requests)]
            start = time.perf_counter()
            status, body, _response = _send(port, request)
            mine.append(time.perf_counter() - start)
            if status != 200 or request.expect not in body:
                errors.append(f"{request.method} {request.path}: {status}")
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


def _csrf(port: int, page: str) -> tuple[str, str]:
    """The CSRF cookie and form token a GET of the lookup page hands out, as a browser would send them back."""
    status, body, response = _send(port, Request(page))
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not cookie or not token:
        raise SystemExit(f"{page}: no CSRF cookie or token ({status})")
    return cookie.group(1), token.group(1).decode()


def _lookup_requests(port: int, sample, page: str) -> dict[str, list[Request]]:
    cookie, token = _csrf(port, page)
    form_headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    json_headers = {"Content-Type": "application/json"}
    floor_form = urlencode({"code": "x", "second_factor": "x", "csrfmiddlewaretoken": token}).encode()
    return {
        "floor of the page: site shell rendered + the Redis round trip": [
            Request("/bench/floor-lookup-page/", method="POST", headers=form_headers, body=floor_form)
        ],
        "floor of the API: DRF JSON POST + the Redis round trip": [
            Request(
                "/bench/floor-api-lookup/",
                method="POST",
                headers=json_headers,
                body=b'{"code": "x"}',
                expect=b'"status"',
            )
        ],
        "public lookup page": [
            Request(
                page,
                method="POST",
                headers=form_headers,
                body=urlencode({"code": code, "second_factor": factor, "csrfmiddlewaretoken": token}).encode(),
                expect=b"lookup-result",
            )
            for code, factor in sample
        ],
        "reference: API lookup as a plain Django view": [
            Request(
                "/bench/plain-lookup/",
                method="POST",
                headers=json_headers,
                body=json.dumps({"code": code, "second_factor": factor}).encode(),
                expect=b'"status"',
            )
            for code, factor in sample
        ],
        "API lookup": [
            Request(
                "/api/v1/lookup/",
                method="POST",
                headers=json_headers,
                body=json.dumps({"code": code, "second_factor": factor}).encode(),
                expect=b'"status"',
            )
            for code, factor in sample
        ],
    }


def _phase(*, env_extra: dict, targets_for, args) -> dict[str, tuple[list[float], float, float]]:
    """Start a server, warm it, measure the targets in rounds, stop it; {target: (latencies, seconds, server CPU
    seconds)}."""
    port = _free_port()
    server = _start_server(port, args.workers, env_extra)
    try:
        targets = targets_for(port)
        for requests in targets.values():  # warm every worker up; fills the cache when it is on
            for request in requests:
                _send(port, request)
            _slice(port, requests, args.threads, 1.0)
        latencies = {target: [] for target in targets}
        elapsed = dict.fromkeys(targets, 0.0)
        cpu = dict.fromkeys(targets, 0.0)
        per_slice = args.seconds / args.rounds
        for _round in range(args.rounds):
            for target, requests in targets.items():
                start, cpu_start = time.monotonic(), _server_cpu(server)
                latencies[target] += _slice(port, requests, args.threads, per_slice)
                elapsed[target] += time.monotonic() - start
                cpu[target] += _server_cpu(server) - cpu_start
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {target: (latencies[target], elapsed[target], cpu[target]) for target in latencies}


def main(argv=None) -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.bench_pages import QUEUE_OFFICER, _forget_cached_lookups, _lookup_sample, _officers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=2, help="client threads")
    parser.add_argument("--seconds", type=float, default=30, help="time per target and phase, over all rounds")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--phases", default="on,off", help="lookup cache on, off, or both (on,off)")
    parser.add_argument("--label", default="")
    args = parser.parse_args(argv)

    sample = _lookup_sample()
    _forget_cached_lookups(sample)
    _agency, agency_dossiers, officers = _officers()
    browser = Client()
    browser.force_login(officers[QUEUE_OFFICER["to_process"]])
    session = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    page = reverse("dossiers:lookup")
    empty = [Request(reverse("bench-empty"), expect=b"ok")]
    empty_api = [
        Request(
            reverse("bench-empty-api"),
            method="POST",
            headers={"Content-Type": "application/json"},
            body=b'{"code": "x"}',
            expect=b'"status"',
        )
    ]
    queue = [Request(reverse("dossiers:officer-queue", args=["to_process"]), headers={"Cookie": session})]

    def cache_on(port):
        lookups = _lookup_requests(port, sample, page)
        return {
            "empty Django view": empty,
            "empty API view (DRF, JSON POST)": empty_api,
            "floor of the page: site shell rendered + the Redis round trip": lookups[
                "floor of the page: site shell rendered + the Redis round trip"
            ],
            "floor of the API: DRF JSON POST + the Redis round trip": lookups[
                "floor of the API: DRF JSON POST + the Redis round trip"
            ],
            "public lookup page, cached": lookups["public lookup page"],
            "API lookup, cached": lookups["API lookup"],
            "reference: API lookup, cached, as a plain Django view (bench only)": lookups[
                "reference: API lookup as a plain Django view"
            ],
            "queue to_process (signed in)": queue,
        }

    def cache_off(port):
        lookups = _lookup_requests(port, sample, page)
        return {
            "empty Django view": empty,
            "floor of the page: site shell rendered + the Redis round trip": lookups[
                "floor of the page: site shell rendered + the Redis round trip"
            ],
            "floor of the API: DRF JSON POST + the Redis round trip": lookups[
                "floor of the API: DRF JSON POST + the Redis round trip"
            ],
            "public lookup page, no cache": lookups["public lookup page"],
            "API lookup, no cache": lookups["API lookup"],
        }

    phases = {"on": ({}, cache_on), "off": ({"LOOKUP_CACHE_SECONDS": "0"}, cache_off)}
    print(
        f"\n### {args.label or 'Server'}: gunicorn, {args.workers} sync workers, {args.threads} client threads, "
        f"{args.seconds:.0f} s per target in {args.rounds} rounds, {os.cpu_count()} CPUs\n"
    )
    print(
        "| phase | target | requests | req/s | % of empty view | % of its floor | median ms | p95 ms "
        "| server CPU µs/request | floor's CPU ÷ this |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.phases.split(","):
        env_extra, targets_for = phases[name.strip()]
        measured = _phase(env_extra=env_extra, targets_for=targets_for, args=args)
        empty_values, empty_seconds, _cpu = measured["empty Django view"]
        empty_rps = len(empty_values) / empty_seconds
        rates = {target: len(values) / seconds for target, (values, seconds, _cpu) in measured.items()}
        cpu_each = {target: cpu / len(values) for target, (values, _seconds, cpu) in measured.items()}
        for target, (values, _seconds, _cpu) in measured.items():
            values.sort()
            rps = rates[target]
            p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
            # DESIGN.md: each lookup against the floor of its own kind (the page's or the API's), same round trip.
            floor = next((f for kind, f in FLOORS.items() if target.startswith(kind)), None)
            of_floor = f"{100 * rps / rates[floor]:.0f} %" if floor else ""
            cpu_of_floor = f"{100 * cpu_each[floor] / cpu_each[target]:.0f} %" if floor else ""
            print(
                f"| cache {name} | {target} | {len(values):,} | {rps:.0f} | {100 * rps / empty_rps:.0f} % | "
                f"{of_floor} | {statistics.median(values) * 1000:.1f} | {p95 * 1000:.1f} | "
                f"{cpu_each[target] * 1e6:.0f} | {cpu_of_floor} |",
                flush=True,
            )
    print(f"\n(the signed-in officer's agency has {agency_dossiers:,} dossiers)")


if __name__ == "__main__":
    main()
