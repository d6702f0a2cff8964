"""Settings of the benchmark (bench/bench_pages.py): the portal's base settings, production-like
(DEBUG off), plus the empty baseline view (bench/urls.py) and no lookup rate limit (one client sends
thousands of lookups on purpose). DATABASE_URL and REDIS_URL come from the environment as usual."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-key-never-used-in-production-" + "x" * 20)
os.environ["DJANGO_DEBUG"] = "0"

from portal.settings.base import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOOKUP_RATE_LIMIT = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
