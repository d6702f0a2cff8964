"""Throwaway services for the drills (bench/drills/) and the fault tests (tests/fault_services.py): a PostgreSQL
cluster and a redis-server of their own, each on a free loopback port and in a temporary folder, never the shared
ones; and what the drills share to drive the portal through gunicorn. Everything binds to 127.0.0.1 only, and every
wait here is bounded."""

import contextlib
import glob
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
CSRF_TOKEN = "drill" + "x" * 27  # a well-formed 32-character token, sent as cookie and header (or field) alike


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary folder, on a loopback port; removed on exit. As the
    `postgres` system user when run as root, since PostgreSQL refuses root."""

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


class ThrowawayRedis:
    """A redis-server of its own on a free loopback port, nothing written to disk unless asked (`save`). `kill`
    takes it down (connections refused); `pause` stops it with SIGSTOP (hung: the kernel still accepts connections,
    nothing answers) until `resume`; `start` again serves on the same port, empty as after a crash, or with what
    it held at its last `save`."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="drill-redis-"))
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder), "--logfile", "redis.log"]
        self.process = subprocess.Popen(command, cwd=self.folder, stdout=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port} (see {self.folder / 'redis.log'})")

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
        return False

    def save(self) -> None:
        """Write what it holds to disk: the next `start` loads it, as a Redis with persistence restarts."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as client:
            client.sendall(b"SAVE\r\n")
            if not client.recv(16).startswith(b"+OK"):
                raise RuntimeError("redis-server did not save")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def remove(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # SIGKILL ends a stopped process too
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


def django_env(database_url: str, redis_url: str = "", **extra: str) -> dict:
    """The environment of the drill's portal processes: its own database, its own Redis or none (tasks
    in-process, a cache per process), never the shared ones of the caller's environment."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="bench.settings", **extra)
    env.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def setup_django(env: dict) -> None:
    """Django in the drill's own process, on the drill's database (migrated)."""
    import sys

    os.environ.update(env)
    if "REDIS_URL" not in env:
        os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def session_for(user) -> str:
    """A session cookie value signed in as `user` (as the sign-in page would leave it)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def seed_procedure_and_citizen() -> tuple[str, str]:
    """A procedure that asks for no file, and a signed-in citizen: its session. Returns (code, session)."""
    from django.contrib.auth.models import Group

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
    return procedure.code, session_for(citizen)


def start_gunicorn(port: int, workers: int, env: dict, log: Path, *, wait_seconds: float = 30) -> subprocess.Popen:
    """gunicorn serving the portal on 127.0.0.1:`port` with sync workers, up within `wait_seconds` or stopped."""
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            request(port, "GET", "/thu-tuc/")  # any answer: the server is up
            return server
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"drill: gunicorn did not answer within {wait_seconds:g} s")


def stop(process: subprocess.Popen | None, *, seconds: float = 15) -> None:
    """SIGTERM, then SIGKILL if it has not ended within `seconds`."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def request(
    port: int, method: str, path: str, *, session: str = "", body: bytes = b"", headers: dict | None = None
) -> tuple[int, dict, bytes, float]:
    """One request to 127.0.0.1:`port` with the drill's CSRF cookie and header (and the session, if any):
    (status, headers with lower-case names, body, seconds)."""
    cookies = f"csrftoken={CSRF_TOKEN}" + (f"; sessionid={session}" if session else "")
    sent = {"Cookie": cookies, "X-CSRFToken": CSRF_TOKEN, "Host": "127.0.0.1", **(headers or {})}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        answer_headers = {}
        for name, value in response.getheaders():  # a repeated header (Set-Cookie) one value a line
            name = name.lower()
            answer_headers[name] = f"{answer_headers[name]}\n{value}" if name in answer_headers else value
        return response.status, answer_headers, raw, time.perf_counter() - start
    finally:
        connection.close()


def post_json(port: int, path: str, data: dict, *, session: str = "", headers: dict | None = None):
    """POST a JSON body: (status, JSON answer or {}, response headers, seconds)."""
    status, answer_headers, raw, seconds = request(
        port,
        "POST",
        path,
        session=session,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    answer = json.loads(raw) if answer_headers.get("content-type", "").startswith("application/json") else {}
    return status, answer, answer_headers, seconds


def host_facts() -> dict:
    """What a figure was measured on: cores, memory, the load averages at the moment."""
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(total_kb / 1024 / 1024, 1),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }
