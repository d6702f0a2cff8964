"""The load balancer's probes: /healthz (the process answers) and /readyz (its database and Redis answer; the file
storage's case is in tests/storage/test_object_storage.py), each dependency taken down for real: the database's
address turned to a closed port, a redis-server of the test's own killed."""

import json

import pytest

from .test_faults import serve, unreachable_database


def probe(path: str) -> tuple[int, dict]:
    """One GET through Django's WSGI handler, as gunicorn serves it (the test client skips the connection checks)."""
    status, headers, body = serve(path)
    assert headers["Cache-Control"] == "no-store"
    return status, json.loads(body)


@pytest.mark.django_db(transaction=True)
def test_a_node_whose_dependencies_answer_is_alive_and_ready():
    assert probe("/healthz") == (200, {"status": "ok"})
    assert probe("/readyz") == (200, {"status": "ok"})


@pytest.mark.django_db(transaction=True)
def test_the_database_down_the_node_is_alive_and_not_ready_and_says_why():
    with unreachable_database():
        assert probe("/healthz") == (200, {"status": "ok"})
        assert probe("/readyz") == (503, {"status": "unavailable", "failed": ["database"]})
    assert probe("/readyz") == (200, {"status": "ok"})


@pytest.mark.django_db(transaction=True)
def test_redis_down_the_node_is_alive_and_not_ready_and_says_why(own_redis, settings):
    settings.REDIS_URL = own_redis.url()
    assert probe("/readyz") == (200, {"status": "ok"})

    own_redis.kill()

    assert probe("/healthz") == (200, {"status": "ok"})
    assert probe("/readyz") == (503, {"status": "unavailable", "failed": ["redis"]})


@pytest.mark.django_db
def test_a_probe_accepts_only_reads(client):
    assert client.post("/readyz").status_code == 405
    assert client.head("/healthz").status_code == 200
