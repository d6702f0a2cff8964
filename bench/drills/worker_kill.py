"""Drill: a Celery worker killed with SIGKILL in the middle of the outbox relay, and in the middle of the deadline
watch. The task is acknowledged late, so it is redone, and it succeeds once; every message is delivered once and
every overdue dossier is flagged, and its approver alerted, once.

    .venv/bin/python -m bench.drills.worker_kill [--kill child worker] [--messages 300] [--overdue 1000]

Everything is the drill's own, on free loopback ports: a throwaway PostgreSQL (initdb) and redis-server, and Celery
workers (prefork, one pool process) on that Redis. E-mail goes to the drill's mailbox file (bench/drills/mailbox.py),
each delivery taking DRILL_SEND_SECONDS (0.02 s, as a mail server would), so that the relay can be caught in the
middle. For each kill and each job (relay, watch):

- the drill writes the work (`--messages` e-mails in the outbox; `--overdue` dossiers past their due date, one
  approver), sends the job's task and waits until the job is part-way (some e-mails delivered; some dossiers flagged);
- `child`: kills the pool process running the task (as the kernel's OOM killer does); the worker sees it lost
  (CELERY_TASK_REJECT_ON_WORKER_LOST) and hands the task out again at once;
  `worker`: kills the whole worker, every process of it, and starts a new one once the broker's visibility timeout
  (CELERY_VISIBILITY_TIMEOUT_SECONDS, 10 s here instead of an hour) has passed: the unacknowledged task is handed out
  again when the new worker starts;
- standing in for beat (every minute in production), the drill sends a relay every 2 s until the outbox is empty;
  the messages the killed relay had claimed are due again when its lease ends (OUTBOX_CLAIM_LEASE_SECONDS, 20 s
  here instead of 5 minutes).

The checks: the killed task's id succeeded exactly once (the workers' logs), no message is pending or failed, each
was delivered once (the mailbox), each overdue dossier flagged and alerted once. Every wait is bounded; every
process is stopped and every folder removed at the end. Exit status 1 when a check fails.
"""

import argparse
import collections
import json
import os
import re
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

from .mailbox import deliveries, delivery_key
from .services import ROOT, ThrowawayPostgres, ThrowawayRedis, django_env, host_facts, setup_django, stop

SEND_SECONDS = 0.02
VISIBILITY_TIMEOUT_SECONDS = 10
CLAIM_LEASE_SECONDS = 20
RELAY_EVERY_SECONDS = 2.0
ROUND_SECONDS = 240  # the most one round may take before it is counted as failed


class Worker:
    """`celery worker` with one prefork pool process, in a process group of its own (so all of it can be killed)."""

    def __init__(self, env: dict, log: Path):
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - our own Celery, fixed arguments
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "--pool", "prefork"]
            + ["--concurrency", "1", "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise RuntimeError("the Celery worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def pool_process(self) -> int:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return int(children[0])

    def kill_pool_process(self) -> None:
        os.kill(self.pool_process(), signal.SIGKILL)

    def kill_all(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        stop(self.process, seconds=20)


def seed_messages(count: int, round_name: str) -> None:
    from portal.models import OutboxMessage

    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=OutboxMessage.Channel.EMAIL,
            recipient=f"nguoi{n}@example.vn",
            subject=f"[{round_name}] Thông báo số {n}",
            body=f"Thư thử số {n} của lượt {round_name}.",
        )
        for n in range(count)
    )


def seed_overdue(count: int, round_name: str) -> list[int]:
    """`count` dossiers in processing whose due date passed yesterday, in an agency with one approver."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from dossiers.constants import DossierStatus
    from dossiers.models import Dossier
    from portal.constants import Role
    from portal.models import User
    from procedures.models import Agency, Field, Procedure
    from procedures.services import procedure_save

    number = Agency.objects.count() + 1
    agency = Agency.objects.create(code=f"000.00.{number:02d}.H56", name=f"Sở {round_name}", level="province")
    field, _ = Field.objects.get_or_create(code="ho-tich", defaults={"name": "Hộ tịch"})
    procedure = procedure_save(
        procedure=Procedure(
            code=f"1.{number:02d}1612", name="Đăng ký khai sinh", field=field, agency=agency, processing_time=5
        )
    )
    approver = User.objects.create_user(
        email=f"lanh-dao-{round_name}@example.vn", password=None, full_name="Lãnh Đạo Duyệt", agency=agency
    )
    approver.groups.add(Group.objects.get(name=Role.APPROVER))
    applicant = User.objects.create_user(
        email=f"dan-{round_name}@example.vn",
        password=None,
        full_name="Nguyễn Văn Dân",
        citizen_id=f"0010990{number:05d}",
    )
    now = timezone.now()
    created = Dossier.objects.bulk_create(
        Dossier(
            procedure=procedure,
            agency=agency,
            applicant=applicant,
            applicant_name=applicant.full_name,
            applicant_id_number=applicant.citizen_id,
            applicant_email=applicant.email,
            applicant_phone="0912345678",
            status=DossierStatus.PROCESSING,
            code=f"{agency.code}-{round_name}-{n:05d}",
            submitted_at=now - timedelta(days=10),
            due_at=now - timedelta(days=1),
            processing_time=procedure.processing_time,
            processing_time_unit=procedure.processing_time_unit,
        )
        for n in range(count)
    )
    return [dossier.pk for dossier in created]


def succeeded_count(logs: list[Path], task_id: str) -> int:
    pattern = re.compile(rf"\[{re.escape(task_id)}\] succeeded")
    return sum(len(pattern.findall(log.read_text(errors="replace"))) for log in logs if log.exists())


def wait_for(condition, seconds: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def run_round(*, kill: str, job: str, args, env: dict, folder: Path, mailbox: Path) -> dict:
    from dossiers.models import Dossier
    from dossiers.tasks import watch_deadlines
    from portal.models import OutboxMessage
    from portal.tasks import relay_outbox

    round_name = f"{kill}-{job}"
    logs = [folder / f"worker-{round_name}-1.log"]
    worker = Worker(env, logs[0])
    started = time.monotonic()
    try:
        delivered_before = len(deliveries(mailbox))
        dossier_ids = []
        if job == "relay":
            seed_messages(args.messages, round_name)
            task = relay_outbox.apply_async()

            def part_way():
                return len(deliveries(mailbox)) - delivered_before >= 20
        else:
            dossier_ids = seed_overdue(args.overdue, round_name)
            task = watch_deadlines.apply_async()

            def part_way():
                return Dossier.objects.filter(pk__in=dossier_ids, overdue_flagged_at__isnull=False).exists()

        caught = wait_for(part_way, 60)
        if kill == "child":
            worker.kill_pool_process()
        else:
            worker.kill_all()
        killed_after = round(time.monotonic() - started, 2)
        if kill == "worker":
            time.sleep(VISIBILITY_TIMEOUT_SECONDS + 1)
            logs.append(folder / f"worker-{round_name}-2.log")
            worker = Worker(env, logs[-1])

        def done():
            return (
                succeeded_count(logs, task.id) >= 1
                and not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
            )

        last_relay = 0.0
        deadline = time.monotonic() + ROUND_SECONDS
        while time.monotonic() < deadline and not done():
            if time.monotonic() - last_relay >= RELAY_EVERY_SECONDS:
                relay_outbox.apply_async()
                last_relay = time.monotonic()
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        worker.stop()

    counts = collections.Counter(delivery_key(entry) for entry in deliveries(mailbox)[delivered_before:])
    outbox = collections.Counter(OutboxMessage.objects.values_list("status", flat=True))
    result = {
        "caught_part_way": caught,
        "killed_after_seconds": killed_after,
        "round_seconds": round(seconds, 1),
        "task_succeeded": succeeded_count(logs, task.id),
        "outbox_by_status": dict(outbox),
        "delivered": sum(counts.values()),
        "delivered_more_than_once": sum(1 for count in counts.values() if count > 1),
    }
    if job == "relay":
        result["messages"] = args.messages
        result["messages_delivered"] = len({key for key in counts if f"[{round_name}]" in key[2]})
    else:
        flagged = Dossier.objects.filter(pk__in=dossier_ids, overdue_flagged_at__isnull=False).count()
        alerts = OutboxMessage.objects.filter(dedupe_key__startswith="overdue:", subject__contains=round_name).count()
        result.update(
            overdue=args.overdue,
            flagged=flagged,
            alerts_queued=alerts,
            alerts_delivered=sum(1 for key in counts if round_name in key[2]),
        )
    result["passed"] = bool(
        caught
        and result["task_succeeded"] == 1
        and not outbox.get(OutboxMessage.Status.PENDING)
        and not outbox.get(OutboxMessage.Status.FAILED)
        and result["delivered_more_than_once"] == 0
        and (
            result.get("messages_delivered") == args.messages
            if job == "relay"
            else result["flagged"] == result["alerts_queued"] == result["alerts_delivered"] == args.overdue
        )
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kill", nargs="+", choices=["child", "worker"], default=["child", "worker"])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--overdue", type=int, default=1000)
    args = parser.parse_args()

    database, redis = ThrowawayPostgres(), ThrowawayRedis()
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
            DRILL_SEND_SECONDS=str(SEND_SECONDS),
            CELERY_VISIBILITY_TIMEOUT_SECONDS=str(VISIBILITY_TIMEOUT_SECONDS),
            OUTBOX_CLAIM_LEASE_SECONDS=str(CLAIM_LEASE_SECONDS),
        )
        setup_django(env)
        rounds = {
            f"{kill}-{job}": run_round(kill=kill, job=job, args=args, env=env, folder=database.folder, mailbox=mailbox)
            for kill in args.kill
            for job in ("relay", "watch")
        }
        report = {
            "host": host_facts(),
            "setup": {
                "worker": "celery prefork, 1 pool process",
                "send_seconds_per_message": SEND_SECONDS,
                "visibility_timeout_seconds": VISIBILITY_TIMEOUT_SECONDS,
                "claim_lease_seconds": CLAIM_LEASE_SECONDS,
                "relay_sent_every_seconds": RELAY_EVERY_SECONDS,
            },
            "rounds": rounds,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        failed = not all(result["passed"] for result in rounds.values())
        print("drill: FAILED" if failed else "drill: passed")
        return 1 if failed else 0
    finally:
        redis.remove()
        database.remove()


if __name__ == "__main__":
    raise SystemExit(main())
