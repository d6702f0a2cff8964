"""A Redis of the test's own, to take down or hang for real (no mock): `own_redis` starts a redis-server on a free
loopback port (bench/drills/services.ThrowawayRedis) and points the portal's cache and the Celery app's broker at it
for the test; the test then kills it (`kill`: connections refused), hangs it (`pause`: SIGSTOP, connections
accepted and never answered), and brings it back (`resume`, or `start` again on the same port, empty).

The cache follows the CACHES setting (Django drops its cache connections when a setting changes). The Celery app
read its configuration once, so the fixture sets the broker's and the result backend's URLs on the app and forgets
what the app built from the old ones (its two connection pools and its result backend, kept per thread), which the
app then builds again from the new; everything is put back afterwards."""

import threading

import pytest

from bench.drills.services import ThrowawayRedis
from config.celery import app


@pytest.fixture
def own_redis(settings, monkeypatch):
    server = ThrowawayRedis()
    server.start()
    # The other caches (the rendered fragments, in the process's memory) stay as they are.
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": server.url()}}
    monkeypatch.setattr(app.conf, "broker_url", server.url())
    monkeypatch.setattr(app.conf, "result_backend", server.url())
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    monkeypatch.setattr(app, "_backend_cache", None)
    monkeypatch.setattr(app, "_local", threading.local())
    try:
        yield server
    finally:
        app.pool.force_close_all()
        server.remove()
