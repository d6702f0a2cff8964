"""The test suite: PostgreSQL and Redis, as in production (see `make test`)."""

import os
import uuid

from django.core.exceptions import ImproperlyConfigured

# base.py refuses to start without a secret key; the suite has no secret to protect.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-not-a-secret-" + "x" * 40)

from .base import *  # noqa: E402, F403
from .sandboxes import *  # noqa: E402, F403
from .signing_demo import demo_signing  # noqa: E402

# One demo root per xdist worker: two workers never make theirs at the same moment in the same place.
globals().update(demo_signing(BASE_DIR / ".test-signing" / os.environ.get("PYTEST_XDIST_WORKER", "main")))  # noqa: F405

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("The tests run on PostgreSQL: set DATABASE_URL (make test does).")
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured("The tests run on Redis: set REDIS_URL (make test does).")

# Every Redis key the suite writes (cache, rate limits, lookup answers, Celery's queues and results) starts
# with this, and the suite deletes only keys that do (tests/conftest.py): the Redis database may be the one
# a `make run` or another checkout's suite uses at the same time. One prefix per run and per xdist worker,
# so parallel workers, and two runs at once, never touch each other's keys.
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]
TEST_REDIS_KEY_PREFIX = f"test:{_RUN}:{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
CACHES["default"]["KEY_PREFIX"] = TEST_REDIS_KEY_PREFIX  # noqa: F405 (Django writes "<prefix>:<version>:<key>")
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": f"{TEST_REDIS_KEY_PREFIX}:"}  # noqa: F405
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{TEST_REDIS_KEY_PREFIX}:"}

# Fast hashing: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# No collectstatic before the tests: WhiteNoise looks for files per request instead of warning
# at start-up that STATIC_ROOT does not exist (the live server serves static files itself).
WHITENOISE_AUTOREFRESH = True
