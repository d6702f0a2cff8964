"""Drill: PostgreSQL restarted under load. Nothing a client was told is saved may be lost, and while the
database is away every request is answered 503 (JSON with Retry-After on the API), never a 500.

    .venv/bin/python -m bench.drills.db_restart [--clients 4] [--seconds 20] [--down 3] [--workers 2]

The drill starts its own throwaway PostgreSQL (initdb in a temporary folder, on a free loopback port; as the
`postgres` system user when run as root, since PostgreSQL refuses root) and never reads DATABASE_URL: the
shared database is not touched. REDIS_URL is dropped too (tasks run in-process, the cache is per worker).
gunicorn serves the portal (bench.settings: DEBUG off, kept connections with health checks) on another free
loopback port. Client threads submit dossiers through the API, each with its own Idempotency-Key, retrying
a refused submission with the same key after the Retry-After it was given, as an API client should. After
`--seconds / 3` the database is stopped (fast shutdown: open connections are cut), kept down `--down`
seconds, and started again. At the end every dossier acknowledged with 201 or 200 must be in the database.
Every loop is bounded by time and count; the server and the database are stopped and the folder removed at
the end, whatever happens. Exit status 1 when a dossier is lost or a 500 (or any answer other than 200, 201
and 503) was seen.
"""

import argparse
import collections
import json
import threading
import time
import uuid

from .services import (
    ThrowawayPostgres,
    django_env,
    free_port,
    host_facts,
    post_json,
    seed_procedure_and_citizen,
    setup_django,
    start_gunicorn,
    stop,
)

MAX_REQUESTS_PER_CLIENT = 5_000
RETRY_LIMIT = 60  # per dossier: with Retry-After capped below, a client gives up after about a minute


def submit(port: int, *, procedure_code: str, session: str, key: str) -> tuple[int, dict, float]:
    """POST /api/v1/dossiers/ as the citizen: (status, JSON body or {} with the Retry-After of a 503, seconds)."""
    status, answer, headers, seconds = post_json(
        port,
        "/api/v1/dossiers/",
        {"procedure": procedure_code, "delivery_method": "counter"},
        session=session,
        headers={"Idempotency-Key": key},
    )
    if status == 503:
        answer["retry_after"] = headers.get("retry-after")
    return status, answer, seconds


class Load:
    """Client threads submitting dossiers until the deadline; what each was answered."""

    def __init__(self, port: int, procedure_code: str, session: str):
        self.port, self.procedure_code, self.session = port, procedure_code, session
        self.lock = threading.Lock()
        self.statuses = collections.Counter()
        self.acknowledged: dict[str, str] = {}  # Idempotency-Key -> dossier code
        self.given_up: list[str] = []
        self.unavailable_without_retry_after = 0
        self.slowest = 0.0
        self.outage_answers: list[float] = []  # seconds each 503 took

    def client(self, deadline: float) -> None:
        sent = 0
        while time.monotonic() < deadline and sent < MAX_REQUESTS_PER_CLIENT:
            key = str(uuid.uuid4())
            for _attempt in range(RETRY_LIMIT):
                sent += 1
                try:
                    status, answer, elapsed = submit(
                        self.port, procedure_code=self.procedure_code, session=self.session, key=key
                    )
                except OSError:
                    status, answer, elapsed = "no answer", {}, 0.0
                with self.lock:
                    self.statuses[status] += 1
                    self.slowest = max(self.slowest, elapsed)
                if status in {200, 201}:
                    with self.lock:
                        self.acknowledged[key] = answer["code"]
                    break
                if status == 503:
                    with self.lock:
                        self.outage_answers.append(elapsed)
                        if not answer.get("retry_after"):
                            self.unavailable_without_retry_after += 1
                    # Retry-After says 30 s; the drill's outage is seconds long, so it waits at most 1 s.
                    time.sleep(min(float(answer.get("retry_after") or 1), 1.0))
                    continue
                break  # any other answer is a defect: counted, not retried
            else:
                self.given_up.append(key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--down", type=float, default=3.0, help="seconds the database stays stopped")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    database = ThrowawayPostgres()
    server = None
    try:
        database.init()
        env = django_env(database.url("drill"))
        setup_django(env)
        procedure_code, session = seed_procedure_and_citizen()
        from django.db import connections

        connections.close_all()

        port = free_port()
        server = start_gunicorn(port, args.workers, env, database.folder / "gunicorn.log")
        load = Load(port, procedure_code, session)
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=load.client, args=(deadline,)) for _ in range(args.clients)]
        for thread in threads:
            thread.start()

        time.sleep(args.seconds / 3)
        stopped = time.monotonic()
        database.stop()
        time.sleep(args.down)
        database.start()
        outage = time.monotonic() - stopped
        for thread in threads:
            thread.join(timeout=args.seconds + RETRY_LIMIT * 2)

        from dossiers.models import Dossier

        stored = set(Dossier.objects.filter(code__in=load.acknowledged.values()).values_list("code", flat=True))
        lost = sorted(set(load.acknowledged.values()) - stored)
        wrong = {status: n for status, n in load.statuses.items() if status not in {200, 201, 503}}
        report = {
            "host": host_facts(),
            "clients": args.clients,
            "gunicorn_workers": args.workers,
            "seconds": args.seconds,
            "database_away_seconds": round(outage, 1),
            "answers": {str(status): n for status, n in sorted(load.statuses.items(), key=str)},
            "acknowledged": len(load.acknowledged),
            "acknowledged_and_stored": len(stored),
            "lost": lost,
            "unexpected_answers": {str(status): n for status, n in wrong.items()},
            "503_without_retry_after": load.unavailable_without_retry_after,
            "503_slowest_seconds": round(max(load.outage_answers, default=0.0), 3),
            "slowest_answer_seconds": round(load.slowest, 3),
            "gave_up": len(load.given_up),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        failed = bool(lost or wrong or load.unavailable_without_retry_after or load.given_up)
        print("drill: FAILED" if failed else "drill: passed")
        return 1 if failed else 0
    finally:
        stop(server)
        database.remove()


if __name__ == "__main__":
    raise SystemExit(main())
