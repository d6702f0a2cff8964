"""Measure one sign-in's CPU and wall time with each password hasher: PBKDF2 at Django's default iterations (the
portal before Argon2) against the portal's Argon2 (portal/hashers.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
    .venv/bin/python bench/bench_sign_in.py [--requests 20]

In one process and one transaction rolled back at the end: a user whose password is hashed by the hasher under
test signs in through the login page with Django's test Client (the whole stack: django-axes, the sign-in backend,
the session), then its session is dropped; the two hashers alternate request by request, so a change of load on the
machine touches both alike. CPU is this process's (time.process_time): the hash is computed here.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

PASSWORD = "Mat-khau-do-hieu-nang-2026"  # noqa: S105 (a bench user in a rolled-back transaction)
HASHERS = {
    "PBKDF2-SHA256, 1,000,000 iterations (before)": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "Argon2id, m=19 MiB, t=2, p=1 (now)": "portal.hashers.PortalArgon2PasswordHasher",
}


class Rollback(Exception):
    pass


def measure(requests: int) -> dict[str, tuple[list[float], list[float]]]:
    login = reverse("portal:login")
    users = {}
    for n, (label, hasher) in enumerate(HASHERS.items()):
        with override_settings(PASSWORD_HASHERS=[hasher]):
            users[label] = get_user_model().objects.create(
                email=f"sign-in-{n}@bench.local", full_name="Bench", password=make_password(PASSWORD)
            )
    times = {label: ([], []) for label in HASHERS}
    for i in range(requests + 2):  # the first two of each: warm-up
        for label, hasher in HASHERS.items():
            client = Client()
            with override_settings(PASSWORD_HASHERS=[hasher]):
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.post(login, {"username": users[label].email, "password": PASSWORD})
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if response.status_code != 302:
                raise SystemExit(f"{label}: sign-in answered {response.status_code}")
            if i >= 2:
                times[label][0].append(cpu)
                times[label][1].append(wall)
    return times


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="timed sign-ins per hasher")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic here
    try:
        with transaction.atomic():
            times = measure(args.requests)
            raise Rollback
    except Rollback:
        pass
    print("| hasher | CPU per sign-in, median ms | wall, median ms | wall, p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    for label, (cpu, wall) in times.items():
        p95 = statistics.quantiles(wall, n=20)[-1]
        cpu_ms, wall_ms = 1000 * statistics.median(cpu), 1000 * statistics.median(wall)
        print(f"| {label} | {cpu_ms:.0f} | {wall_ms:.0f} | {1000 * p95:.0f} |")


if __name__ == "__main__":
    main()
