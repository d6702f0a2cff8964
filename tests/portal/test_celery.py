"""Celery on Redis: a real worker runs the heartbeat task sent through the broker."""

from datetime import timedelta

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from config.celery import app
from portal.tasks import HEARTBEAT_CACHE_KEY, heartbeat


def test_tests_use_a_real_broker_not_eager_tasks():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.result_backend.startswith("redis://")


def test_beat_schedule_runs_the_heartbeat():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "portal.tasks.heartbeat" in tasks
    assert "portal.tasks.heartbeat" in app.tasks


def test_heartbeat_round_trip_through_redis():
    assert cache.get(HEARTBEAT_CACHE_KEY) is None

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        # The portal reads no task's result; this test reads this one, so it asks for it to be stored.
        result = heartbeat.apply_async(ignore_result=False)
        written = result.get(timeout=20)

    assert result.successful()
    assert cache.get(HEARTBEAT_CACHE_KEY) == written
    assert timezone.now() - parse_datetime(written) < timedelta(minutes=1)
    # The broker's and the result's keys are the suite's own too (config/settings/test.py), so a worker of a
    # `make run` on the same Redis database never takes the suite's tasks, nor the suite a `make run`'s.
    redis = cache._cache.get_client()
    assert redis.exists(f"{settings.TEST_REDIS_KEY_PREFIX}:celery-task-meta-{result.id}")
    assert not redis.exists(f"celery-task-meta-{result.id}")
