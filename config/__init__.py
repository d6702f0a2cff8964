"""The project shell: settings, root URLs, the API URL root, WSGI and the Celery app. Only this package
imports every app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
