"""The test suite: PostgreSQL and Redis, as in production (see `make test`)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("The tests run on PostgreSQL: set DATABASE_URL (make test does).")
if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured("The tests run on Redis: set REDIS_URL (make test does).")

# Fast hashing: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
