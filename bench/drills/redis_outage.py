"""Drill: Redis killed during steady submissions. Nothing is lost, no submission waits more than 2 s, the public
lookup answers 503 with Retry-After while its limits cannot be counted, and every notification is delivered, once,
after Redis returns.

    .venv/bin/python -m bench.drills.redis_outage [--outage-seconds 300] [--warmup 20] [--recovery 30]
                                                  [--clients 2] [--interval 0.5] [--workers 2]

Everything is the drill's own, on free loopback ports: a throwaway PostgreSQL (initdb) and redis-server, gunicorn
serving the portal (bench.settings, REDIS_URL on that Redis), a real Celery worker (prefork, one process) and
Celery beat. E-mail and SMS go to the drill's mailbox file (bench/drills/mailbox.py), so deliveries are counted.
After a few uncounted submissions that warm gunicorn's workers up, client threads each submit a dossier through the
API every `--interval` seconds; one more looks a dossier up every second. After `--warmup` seconds Redis is killed
(SIGKILL), kept down `--outage-seconds`, and started again on the same port, empty, as after a crash; the load goes
on `--recovery` seconds, then the drill waits (at most `--drain-seconds`) until the outbox is empty. Each answer is
counted in the phase it ran in: before, redis_down, after, or boundary when Redis went away or came back while it
ran. Every loop is bounded by time and count; every process is stopped and every folder removed at the end,
whatever happens. Exit status 1 when a check fails.
"""

import argparse
import collections
import json
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path

from .mailbox import deliveries, delivery_key
from .services import (
    ROOT,
    ThrowawayPostgres,
    ThrowawayRedis,
    django_env,
    free_port,
    host_facts,
    post_json,
    seed_procedure_and_citizen,
    setup_django,
    start_gunicorn,
    stop,
)

SLOW_SECONDS = 2.0
PHASES = ("before", "boundary", "redis_down", "after")
MAX_REQUESTS_PER_CLIENT = 10_000
CITIZEN_ID_ENDING = "0001"  # the seeded citizen's CCCD ends so: the lookup's second factor


def celery(*args: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own Celery, fixed arguments
        [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", *args, "--loglevel", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


class Timeline:
    """The phase each answer fell in: before the kill, while Redis was away, after it returned."""

    def __init__(self):
        self.killed_at = self.back_at = None

    def _phase(self, moment: float) -> str:
        if self.killed_at is None or moment < self.killed_at:
            return "before"
        if self.back_at is None or moment < self.back_at:
            return "redis_down"
        return "after"

    def phase(self, started: float) -> str:
        """The phase of a request that started at `started` and has just ended; "boundary" when Redis went away or
        came back while it ran."""
        first, last = self._phase(started), self._phase(time.monotonic())
        return first if first == last else "boundary"


class Load:
    def __init__(self, port: int, procedure_code: str, session: str, timeline: Timeline):
        self.port, self.procedure_code, self.session, self.timeline = port, procedure_code, session, timeline
        self.lock = threading.Lock()
        self.submissions = collections.defaultdict(list)  # phase -> [(status, seconds)]
        self.lookups = collections.defaultdict(list)  # phase -> [(status, seconds, retry_after)]
        self.acknowledged: list[str] = []

    def submitter(self, deadline: float, interval: float) -> None:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            started = time.monotonic()
            try:
                status, answer, _headers, seconds = post_json(
                    self.port,
                    "/api/v1/dossiers/",
                    {"procedure": self.procedure_code, "delivery_method": "counter"},
                    session=self.session,
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
            except OSError:
                status, answer, seconds = "no answer", {}, time.monotonic() - started
            with self.lock:
                self.submissions[self.timeline.phase(started)].append((status, seconds))
                if status == 201:
                    self.acknowledged.append(answer["code"])
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def looker(self, deadline: float) -> None:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            started = time.monotonic()
            with self.lock:
                code = self.acknowledged[0] if self.acknowledged else None
            if code is not None:
                try:
                    status, _answer, headers, seconds = post_json(
                        self.port, "/api/v1/lookup/", {"code": code, "second_factor": CITIZEN_ID_ENDING}
                    )
                    retry_after = headers.get("retry-after")
                except OSError:
                    status, seconds, retry_after = "no answer", time.monotonic() - started, None
                with self.lock:
                    self.lookups[self.timeline.phase(started)].append((status, seconds, retry_after))
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def warm_up(port: int, procedure_code: str, session: str, workers: int) -> None:
    """A few submissions at once before the drill, not counted: each gunicorn worker's first request loads what it
    lazily imports and reads (a second or more), which is not what the drill measures."""

    def submit():
        post_json(
            port,
            "/api/v1/dossiers/",
            {"procedure": procedure_code, "delivery_method": "counter"},
            session=session,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )

    for _round in range(2):
        threads = [threading.Thread(target=submit) for _ in range(workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)


def summary(answers: list[tuple]) -> dict:
    seconds = sorted(answer[1] for answer in answers)
    if not seconds:
        return {"requests": 0}
    return {
        "requests": len(seconds),
        "answers": dict(collections.Counter(str(answer[0]) for answer in answers)),
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))] * 1000, 1),
        "max_ms": round(seconds[-1] * 1000, 1),
    }


def wait_for_outbox(seconds: float) -> float:
    """Seconds until no outbox message is pending any more (at most `seconds`)."""
    from portal.models import OutboxMessage

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists():
            break
        time.sleep(1)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage-seconds", type=float, default=300.0)
    parser.add_argument("--warmup", type=float, default=20.0)
    parser.add_argument("--recovery", type=float, default=30.0)
    parser.add_argument("--drain-seconds", type=float, default=180.0)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between one client's submissions")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's sync workers")
    args = parser.parse_args()

    database, redis = ThrowawayPostgres(), ThrowawayRedis()
    processes: list[subprocess.Popen] = []
    try:
        database.init()
        redis.start()
        mailbox = database.folder / "mailbox.jsonl"
        env = django_env(
            database.url("drill"),
            redis.url(),
            DJANGO_EMAIL_BACKEND="bench.drills.mailbox.DrillMailBackend",
            SMS_BACKEND="bench.drills.mailbox.DrillSmsBackend",
            DRILL_MAILBOX=str(mailbox),
        )
        setup_django(env)
        procedure_code, session = seed_procedure_and_citizen()
        from django.db import connections
        from django.utils import timezone

        connections.close_all()

        port = free_port()
        processes.append(start_gunicorn(port, args.workers, env, database.folder / "gunicorn.log"))
        warm_up(port, procedure_code, session, args.workers)
        worker_log, beat_log = database.folder / "worker.log", database.folder / "beat.log"
        processes.append(celery("worker", "--pool", "prefork", "--concurrency", "1", env=env, log=worker_log))
        processes.append(celery("beat", "--schedule", str(database.folder / "beat-schedule"), env=env, log=beat_log))

        timeline = Timeline()
        load = Load(port, procedure_code, session, timeline)
        deadline = time.monotonic() + args.warmup + args.outage_seconds + args.recovery
        threads = [threading.Thread(target=load.submitter, args=(deadline, args.interval)) for _ in range(args.clients)]
        threads.append(threading.Thread(target=load.looker, args=(deadline,)))
        for thread in threads:
            thread.start()

        time.sleep(args.warmup)
        redis.kill()
        timeline.killed_at = time.monotonic()
        time.sleep(args.outage_seconds)
        redis.start()
        timeline.back_at = time.monotonic()
        back = timezone.now()
        for thread in threads:
            thread.join(timeout=args.recovery + 120)
        drained_seconds = wait_for_outbox(args.drain_seconds)

        from django.db.models import Max

        from dossiers.models import Dossier
        from portal.models import OutboxMessage

        last_outage_delivery = (
            OutboxMessage.objects.filter(created_at__lt=back).aggregate(last=Max("sent_at"))["last"] or back
        )
        stored = set(Dossier.objects.filter(code__in=load.acknowledged).values_list("code", flat=True))
        outbox = collections.Counter(OutboxMessage.objects.values_list("status", flat=True))
        delivered = collections.Counter(delivery_key(entry) for entry in deliveries(mailbox))
        queued = OutboxMessage.objects.count()
        all_submissions = [answer for answers in load.submissions.values() for answer in answers]
        slow = [seconds for _status, seconds in all_submissions if seconds > SLOW_SECONDS]
        refused = [status for status, _seconds in all_submissions if status != 201]
        down_lookups = load.lookups["redis_down"]
        report = {
            "host": host_facts(),
            "load": {
                "submitting_clients": args.clients,
                "seconds_between_submissions": args.interval,
                "lookup_clients": 1,
                "gunicorn_sync_workers": args.workers,
                "celery": "1 prefork worker process + beat",
            },
            "redis_down_seconds": round(timeline.back_at - timeline.killed_at, 1),
            "submissions": {phase: summary(load.submissions[phase]) for phase in PHASES},
            "lookups": {phase: summary(load.lookups[phase]) for phase in PHASES},
            "acknowledged": len(load.acknowledged),
            "acknowledged_and_stored": len(stored),
            "lost": sorted(set(load.acknowledged) - stored),
            "submissions_not_201": len(refused),
            "submissions_over_2_s": len(slow),
            "lookups_503_without_retry_after": sum(1 for s, _t, r in down_lookups if s == 503 and not r),
            "outbox_messages": queued,
            "outbox_by_status": dict(outbox),
            "seconds_from_redis_back_to_the_last_outage_notification_sent": round(
                (last_outage_delivery - back).total_seconds(), 1
            ),
            "seconds_to_empty_the_outbox_after_the_load": round(drained_seconds, 1),
            "delivered": sum(delivered.values()),
            "delivered_more_than_once": sum(1 for count in delivered.values() if count > 1),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        failed = bool(
            report["lost"]
            or refused
            or slow
            or report["lookups_503_without_retry_after"]
            or any(status != 503 for status, _t, _r in down_lookups)
            or any(status != 200 for status, _t, _r in load.lookups["after"])
            or outbox.get(OutboxMessage.Status.PENDING)
            or outbox.get(OutboxMessage.Status.FAILED)
            or len(delivered) != queued
            or report["delivered_more_than_once"]
        )
        print("drill: FAILED" if failed else "drill: passed")
        return 1 if failed else 0
    finally:
        for process in reversed(processes):
            stop(process)
        redis.remove()
        database.remove()


if __name__ == "__main__":
    raise SystemExit(main())
