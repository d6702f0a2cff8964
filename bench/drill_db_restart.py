"""Drill: PostgreSQL restarted under load. Nothing a client was told is saved may be lost, and while the
database is away every request is answered 503 (JSON with Retry-After on the API), never a 500.

    .venv/bin/python bench/drill_db_restart.py [--clients 4] [--seconds 20] [--down 3] [--workers 2]

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
import contextlib
import glob
import http.client
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS_PER_CLIENT = 5_000
RETRY_LIMIT = 60  # per dossier: with Retry-After capped below, a client gives up after about a minute
CSRF_TOKEN = "drill" + "x" * 27  # a well-formed 32-character token, sent as cookie and header alike


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a loopback port; removed on exit."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise SystemExit("drill: PostgreSQL's initdb not found (apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.data, self.log = self.folder / "data", self.folder / "postgres.log"
        self.as_user = []
        if os.geteuid() == 0:  # PostgreSQL will not run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, cwd=self.folder)  # noqa: S603

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def init(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "drill")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def django_env(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    return {
        **env,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def seed() -> tuple[str, str]:
    """A procedure that asks for no file, and a signed-in citizen: its session cookie. Returns (code, session)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from portal.constants import Role
    from portal.models import User
    from procedures.models import Agency, Field, Procedure
    from procedures.services import procedure_save

    agency = Agency.objects.create(code="000.00.25.H56", name="Sở Tư pháp", level="province")
    field = Field.objects.create(code="ho-tich", name="Hộ tịch")
    procedure = procedure_save(
        procedure=Procedure(
            code="1.001612", name="Đăng ký khai sinh", field=field, agency=agency, processing_time=5, fee=0
        )
    )
    citizen = User.objects.create_user(
        email="drill@example.vn", password=uuid.uuid4().hex, full_name="Nguyễn Văn Diễn Tập", citizen_id="001099000001"
    )
    citizen.groups.add(Group.objects.get(name=Role.CITIZEN))
    session = SessionStore()
    session[SESSION_KEY] = str(citizen.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = citizen.get_session_auth_hash()
    session.create()
    return procedure.code, session.session_key


def start_gunicorn(port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
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
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            submit(port, procedure_code="", session="", key="probe")  # any answer: the server is up
            return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("drill: gunicorn did not answer within 30 s")


def submit(port: int, *, procedure_code: str, session: str, key: str) -> tuple[int, dict, float]:
    """POST /api/v1/dossiers/ as the citizen: (status, JSON body or {}, seconds)."""
    body = json.dumps({"procedure": procedure_code, "delivery_method": "counter"}).encode()
    headers = {
        "Content-Type": "application/json",
        "Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}",
        "X-CSRFToken": CSRF_TOKEN,
        "Idempotency-Key": key,
        "Host": "127.0.0.1",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    try:
        connection.request("POST", "/api/v1/dossiers/", body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - start
        answer = json.loads(raw) if response.getheader("Content-Type", "").startswith("application/json") else {}
        if response.status == 503:
            answer["retry_after"] = response.getheader("Retry-After")
        return response.status, answer, elapsed
    finally:
        connection.close()


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
        os.environ.pop("REDIS_URL", None)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        procedure_code, session = seed()
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
            "clients": args.clients,
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
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=10)
        database.remove()


if __name__ == "__main__":
    raise SystemExit(main())
