"""Rehearsal: two web nodes behind a load balancer, one killed mid-run. No acknowledged dossier or file is lost, the
other node carries the load, and every file is readable from either node.

    .venv/bin/python -m bench.drills.multi_node [--seconds 90] [--citizens 4] [--officers 2] [--lookups 2]
                                                [--workers 2]

Everything is the rehearsal's own, on free loopback ports: a throwaway PostgreSQL (initdb), redis-server and
SeaweedFS (bench/drills/seaweedfs.py, STORAGE=s3), two gunicorn nodes (bench.settings, `--workers` sync workers
each) sharing them, and Debian's HAProxy (apt-get install haproxy) in front, probing each node's /readyz every
second. A mixed load goes through HAProxy, each client in a loop without pause:

- citizens submit a dossier with a PDF of their own through the API (multipart, a new `Idempotency-Key` each; a
  502/503 or a cut connection is sent again with the same key, as a client would, at most 5 times);
- reception officers open their workbench and receive the oldest new dossier through the API (409 when another
  officer took it first);
- the public looks dossiers up (POST /api/v1/lookup/).

After a third of `--seconds` node B is killed (SIGKILL, its workers too); after two thirds it is started again and
HAProxy takes it back once /readyz answers. Checks, at the end: every dossier acknowledged (201, or 200 for a key
sent again) is in the database with its one file, whose object in the bucket holds the bytes sent; every file
downloads, byte for byte, from node A and from node B directly; no client saw an error it could not retry past. A
JSON report, then `drill: passed` or `drill: FAILED` (exit 1). Every process is stopped and every folder removed at
the end, whatever happens.
"""

import argparse
import bisect
import collections
import contextlib
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from .seaweedfs import ThrowawaySeaweed
from .services import (
    ThrowawayPostgres,
    ThrowawayRedis,
    django_env,
    free_port,
    host_facts,
    post_json,
    request,
    seed_procedure_and_citizen,
    session_for,
    setup_django,
    start_gunicorn,
    stop,
)

MAX_REQUESTS_PER_CLIENT = 20_000
SUBMIT_ATTEMPTS = 5
RETRYABLE = {502, 503, 504, "no answer"}
PHASES = ("both", "one", "rejoined")
# A node starting while the machine is loaded (the other node, the load, the shared services) may take a minute.
START_SECONDS = 120

HAPROXY_CONFIG = """\
global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A request a dead node never took (connection refused or reset before an answer) goes to the other node.
    retries 3
    option redispatch
    retry-on conn-failure empty-response
frontend portal
    bind 127.0.0.1:{port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A node's sync workers may all be busy for a second or two under load: a probe waits up to 5 s for its
    # answer, and three failures in a row (6 s) take the node out; two good ones take it back.
    timeout check 5s
    default-server inter 2s fall 3 rise 2
    server a 127.0.0.1:{node_a} check
    server b 127.0.0.1:{node_b} check
"""


def pdf_bytes(text: str) -> bytes:
    """A small real PDF whose content names the submission (so each file is distinct)."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    for line in range(40):  # about 5 KB
        document.cell(text=f"{text} - dong {line}", new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(f"{head}Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def seed(citizens: int, officers: int) -> dict:
    """The drills' procedure and citizen (services.seed_procedure_and_citizen), the procedure asking for one PDF,
    citizens 2..`citizens` more, `officers` reception officers: their sessions. Citizen n's CCCD ends in n (0001,
    0002, ...), the lookup's second factor."""
    from django.contrib.auth.models import Group

    from portal.constants import Role
    from portal.models import User
    from procedures.models import Procedure, RequiredDocument

    code, first_citizen = seed_procedure_and_citizen()
    procedure = Procedure.objects.select_related("agency").get(code=code)
    component = RequiredDocument.objects.create(procedure=procedure, name="Tờ khai", accepted_file_types=["pdf"])

    def signed_in(email: str, role: str, **extra) -> str:
        person = User.objects.create_user(email=email, password=uuid.uuid4().hex, **extra)
        person.groups.add(Group.objects.get(name=role))
        return session_for(person)

    citizen_sessions = [first_citizen] + [
        signed_in(f"cd{n}@example.vn", Role.CITIZEN, full_name=f"Công Dân {n}", citizen_id=f"0010990{n:05d}")
        for n in range(2, citizens + 1)
    ]
    officer_sessions = [
        signed_in(f"tn{n}@example.vn", Role.RECEPTION_OFFICER, full_name=f"Cán Bộ {n}", agency=procedure.agency)
        for n in range(officers)
    ]
    return {"procedure": code, "component": component.pk, "citizens": citizen_sessions, "officers": officer_sessions}


class Timeline:
    """The phase a request started in: from the moments node B died and came back, as they happen."""

    def __init__(self):
        self.changes: list[float] = []

    def phase(self, moment: float) -> str:
        return PHASES[bisect.bisect_right(self.changes, moment)]


class Load:
    def __init__(self, port: int, seeded: dict, timeline: Timeline, deadline: float):
        self.port, self.seeded, self.timeline, self.deadline = port, seeded, timeline, deadline
        self.lock = threading.Lock()
        self.answers = collections.defaultdict(list)  # (kind, phase) -> [(status, seconds)]
        self.acknowledged: dict[str, str] = {}  # dossier code -> sha256 of the file sent
        self.second_factor: dict[str, str] = {}  # dossier code -> the last 4 digits of its applicant's CCCD
        self.unacknowledged = 0  # submissions that gave up after SUBMIT_ATTEMPTS
        self.retried = 0

    def _record(self, kind: str, started: float, status, seconds: float) -> None:
        with self.lock:
            self.answers[(kind, self.timeline.phase(started))].append((status, seconds))

    def _request(self, method: str, path: str, **kwargs):
        try:
            status, headers, body, seconds = request(self.port, method, path, **kwargs)
        except OSError:
            return "no answer", {}, b"", 0.0
        return status, headers, body, seconds

    def citizen(self, session: str, number: int) -> None:
        for count in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= self.deadline:
                return
            content = pdf_bytes(f"Cong dan {number}, ho so {count}, {uuid.uuid4()}")
            body, content_type = multipart(
                {"procedure": self.seeded["procedure"], "delivery_method": "counter"},
                {f"document_{self.seeded['component']}": ("to-khai.pdf", content, "application/pdf")},
            )
            headers = {"Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())}
            for attempt in range(SUBMIT_ATTEMPTS):
                started = time.monotonic()
                status, _headers, raw, seconds = self._request(
                    "POST", "/api/v1/dossiers/", session=session, body=body, headers=headers
                )
                self._record("submit", started, status, seconds or time.monotonic() - started)
                if status in (200, 201):
                    code = json.loads(raw)["code"]
                    with self.lock:
                        self.acknowledged[code] = hashlib.sha256(content).hexdigest()
                        self.second_factor[code] = f"{number:04d}"
                    break
                if status not in RETRYABLE:
                    break
                with self.lock:
                    self.retried += 1
                time.sleep(0.2 * (attempt + 1))
            else:
                with self.lock:
                    self.unacknowledged += 1

    def officer(self, session: str) -> None:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= self.deadline:
                return
            started = time.monotonic()
            status, _headers, _body, seconds = self._request("GET", "/can-bo/hang-doi/new/", session=session)
            self._record("queue", started, status, seconds)
            if status in RETRYABLE:
                time.sleep(0.2)  # as a person would wait before trying again
                continue
            with self.lock:
                codes = list(self.acknowledged)
            if codes:
                code = random.choice(codes)  # noqa: S311 - a load pattern, not a secret
                started = time.monotonic()
                try:
                    status, _answer, _headers, seconds = post_json(
                        self.port, f"/api/v1/dossiers/{code}/receive/", {}, session=session
                    )
                except OSError:
                    status, seconds = "no answer", time.monotonic() - started
                self._record("receive", started, status, seconds)

    def looker(self) -> None:
        for count in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= self.deadline:
                return
            with self.lock:
                codes = list(self.second_factor.items())
            if not codes:
                time.sleep(0.2)
                continue
            code, second_factor = codes[count % len(codes)]
            started = time.monotonic()
            try:
                status, _answer, _headers, seconds = post_json(
                    self.port, "/api/v1/lookup/", {"code": code, "second_factor": second_factor}
                )
            except OSError:
                status, seconds = "no answer", time.monotonic() - started
            self._record("lookup", started, status, seconds)
            if status in RETRYABLE:
                time.sleep(0.2)


def summary(answers: list[tuple], seconds: float) -> dict:
    times = sorted(elapsed for _status, elapsed in answers)
    statuses = collections.Counter(str(status) for status, _elapsed in answers)
    return {
        "requests": len(answers),
        "per_second": round(len(answers) / seconds, 1) if seconds else None,
        "statuses": dict(statuses),
        "p50_ms": round(statistics.median(times) * 1000) if times else None,
        "p95_ms": round(times[int(len(times) * 0.95)] * 1000) if times else None,
        "slowest_ms": round(times[-1] * 1000) if times else None,
    }


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) used so far by a process and its children (gunicorn's master and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if stat.parent.name == str(pid) or fields[1] == str(pid):  # fields[1]: the parent's pid
                total += int(fields[11]) + int(fields[12])
    return total / tick


def kill_node(server: subprocess.Popen) -> None:
    """SIGKILL gunicorn's master and its workers (by their parent's id), as a machine that dies takes them all."""
    subprocess.run(["pkill", "-KILL", "-P", str(server.pid)], check=False)  # noqa: S603, S607
    server.kill()
    server.wait(timeout=10)


def verify(load: Load, node_ports: dict[str, int], officer_session: str, s3_client, bucket: str) -> dict:
    """Every acknowledged dossier stored with its file; each file in the bucket as sent, and downloadable from
    every node."""
    from dossiers.models import Dossier

    stored = {
        dossier.code: dossier
        for dossier in Dossier.objects.filter(code__in=list(load.acknowledged)).prefetch_related("documents")
    }
    missing_dossiers = sorted(set(load.acknowledged) - set(stored))
    bad_objects, bad_downloads, downloads = [], [], 0
    for code, sha256 in load.acknowledged.items():
        dossier = stored.get(code)
        if dossier is None:
            continue
        documents = list(dossier.documents.all())
        if len(documents) != 1:
            bad_objects.append(code)
            continue
        document = documents[0]
        content = s3_client.get_object(Bucket=bucket, Key=document.file.name)["Body"].read()
        if hashlib.sha256(content).hexdigest() != sha256:
            bad_objects.append(code)
        for node, port in node_ports.items():
            status, _headers, body, _seconds = request(
                port, "GET", f"/ho-so/{dossier.pk}/tep/{document.pk}/", session=officer_session
            )
            downloads += 1
            if status != 200 or hashlib.sha256(body).hexdigest() != sha256:
                bad_downloads.append((code, node, status))
    return {
        "acknowledged": len(load.acknowledged),
        "stored": len(stored),
        "missing_dossiers": missing_dossiers,
        "objects_not_as_sent": bad_objects,
        "downloads_from_each_node": downloads,
        "downloads_failed": bad_downloads[:20],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=90)
    parser.add_argument("--citizens", type=int, default=4)
    parser.add_argument("--officers", type=int, default=2)
    parser.add_argument("--lookups", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per node")
    arguments = parser.parse_args()
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise SystemExit("drill: HAProxy not found (apt-get install haproxy)")

    folder = Path(tempfile.mkdtemp(prefix="drill-multi-node-"))
    postgres, redis_server, seaweed = ThrowawayPostgres(), ThrowawayRedis(), ThrowawaySeaweed()
    processes: dict[str, subprocess.Popen | None] = {"a": None, "b": None, "haproxy": None}
    try:
        postgres.init()
        redis_server.start()
        seaweed.start()
        seaweed.create_bucket("portal")
        env = django_env(postgres.url("drill"), redis_server.url(), **seaweed.environment("portal"))
        setup_django(env)
        seeded = seed(arguments.citizens, arguments.officers)

        node_ports = {"a": free_port(), "b": free_port()}
        for node, port in node_ports.items():
            processes[node] = start_gunicorn(
                port, arguments.workers, env, folder / f"node-{node}.log", wait_seconds=START_SECONDS
            )
        balancer_port = free_port()
        (folder / "haproxy.cfg").write_text(
            HAPROXY_CONFIG.format(port=balancer_port, **{f"node_{node}": port for node, port in node_ports.items()})
        )
        processes["haproxy"] = subprocess.Popen(  # noqa: S603 - Debian's haproxy, our own configuration
            [haproxy, "-f", str(folder / "haproxy.cfg"), "-db"],
            stdout=(folder / "haproxy.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        time.sleep(5)  # both nodes pass their first checks (rise 2, every 2 s)

        timeline = Timeline()
        start = time.monotonic()
        load = Load(balancer_port, seeded, timeline, deadline=start + arguments.seconds)
        threads = [
            threading.Thread(target=load.citizen, args=(session, n))
            for n, session in enumerate(seeded["citizens"], start=1)
        ]
        threads += [threading.Thread(target=load.officer, args=(session,)) for session in seeded["officers"]]
        threads += [threading.Thread(target=load.looker) for _ in range(arguments.lookups)]
        for thread in threads:
            thread.start()

        time.sleep(arguments.seconds / 3)
        cpu_seconds = tree_cpu_seconds(processes["b"].pid)
        kill_node(processes["b"])
        timeline.changes.append(time.monotonic())
        time.sleep(max(0.0, start + 2 * arguments.seconds / 3 - time.monotonic()))
        processes["b"] = start_gunicorn(
            node_ports["b"], arguments.workers, env, folder / "node-b-again.log", wait_seconds=START_SECONDS
        )
        timeline.changes.append(time.monotonic())
        for thread in threads:
            thread.join(timeout=arguments.seconds + 120)
        ended = time.monotonic()
        cpu_seconds += tree_cpu_seconds(processes["a"].pid) + tree_cpu_seconds(processes["b"].pid)
        answered = sum(len(answers) for answers in load.answers.values())

        bounds = [start, *timeline.changes, ended]
        durations = {phase: bounds[n + 1] - bounds[n] for n, phase in enumerate(PHASES)}
        phases = {
            phase: {
                kind: summary(load.answers[(kind, phase)], durations[phase])
                for kind in ("submit", "queue", "receive", "lookup")
            }
            for phase in PHASES
        }
        for phase in PHASES:
            everything = [answer for (_kind, p), answers in load.answers.items() if p == phase for answer in answers]
            phases[phase]["all"] = summary(everything, durations[phase])
        checks = verify(load, node_ports, seeded["officers"][0], seaweed.client(), "portal")
        server_errors = sum(
            1
            for answers in load.answers.values()
            for status, _seconds in answers
            if status == 500 or (isinstance(status, int) and status >= 500 and status not in RETRYABLE)
        )
        report = {
            "host": host_facts(),
            "setup": {
                "nodes": 2,
                "gunicorn_sync_workers_per_node": arguments.workers,
                "clients": {
                    "citizens": arguments.citizens,
                    "officers": arguments.officers,
                    "lookups": arguments.lookups,
                },
                "phase_seconds": {phase: round(seconds, 1) for phase, seconds in durations.items()},
            },
            "phases": phases,
            # What the mixed load costs the web nodes (their processes' CPU time over the requests answered, both
            # nodes, warm-up and health checks included): how many requests a node with 2 cores of its own serves.
            "web_cpu_ms_per_request": round(cpu_seconds * 1000 / answered, 1),
            "requests_per_second_per_2_core_node": round(2 * answered / cpu_seconds, 1),
            "submissions_retried": load.retried,
            "submissions_given_up": load.unacknowledged,
            "server_errors": server_errors,
            "checks": checks,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
        failed = (
            checks["missing_dossiers"]
            or checks["objects_not_as_sent"]
            or checks["downloads_failed"]
            or load.unacknowledged
            or server_errors
            or not load.acknowledged
            or not phases["one"]["submit"]["statuses"].get("201")
        )
        if failed:  # the nodes' and the balancer's logs outlive the drill's folder
            kept = Path(tempfile.mkdtemp(prefix="drill-multi-node-logs-"))
            for log in folder.glob("*.log"):
                shutil.copy(log, kept)
            print(f"drill: FAILED (logs in {kept})")
            return 1
        print("drill: passed")
        return 0
    finally:
        for process in processes.values():
            with contextlib.suppress(Exception):
                stop(process)
        seaweed.remove()
        redis_server.remove()
        postgres.remove()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
