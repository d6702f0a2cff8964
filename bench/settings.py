"""Settings of the benchmark (bench/bench_pages.py, bench/bench_server.py): the portal's base settings,
production-like (DEBUG off), plus the empty baseline view (bench/urls.py) and a lookup rate limit too high
to refuse (one client sends thousands of lookups on purpose; every attempt is still counted in Redis).
DATABASE_URL and REDIS_URL come from the environment as usual, and so does LOOKUP_CACHE_SECONDS (0: the
lookup's cache off, as bench_server.py's second server runs)."""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-never-used-in-production-" + "x" * 20)
os.environ["DJANGO_DEBUG"] = "0"

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOOKUP_RATE_LIMIT = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The benchmark's own templates (bench/templates: the empty page).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]  # noqa: F405
