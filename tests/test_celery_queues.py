"""Celery's queues per workload (settings.CELERY_TASK_ROUTES): each of the portal's tasks goes to the queue of its
workload, every such queue is one a worker started without -Q consumes, and each task is acknowledged late (each
is safe to run twice: docs/operations.md, "Queues per workload")."""

import pytest

from config.celery import app

EXPECTED_QUEUES = {
    "portal.tasks.relay_outbox": "notifications",
    "portal.tasks.heartbeat": "celery",
    "dossiers.tasks.watch_deadlines": "deadlines",
    "reporting.tasks.update_statistics": "statistics",
    "reporting.tasks.recompute_statistics": "statistics",
    "payments.tasks.reconcile_payments": "partners",
    "payments.tasks.send_refund": "partners",
    "postal.tasks.send_shipment": "partners",
    "postal.tasks.send_pending_shipments": "partners",
}
PORTAL_APPS = ("portal.", "dossiers.", "payments.", "postal.", "reporting.")


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(("task_name", "queue"), EXPECTED_QUEUES.items())
def test_each_task_goes_to_the_queue_of_its_workload(task_name, queue):
    assert queue_of(task_name) == queue


def test_every_task_of_the_portal_goes_to_a_declared_queue_and_is_acknowledged_late():
    app.loader.import_default_modules()
    declared = set(app.amqp.queues)
    tasks = {name: task for name, task in app.tasks.items() if name.startswith(PORTAL_APPS)}
    assert set(EXPECTED_QUEUES) <= set(tasks)
    for name, task in tasks.items():
        assert queue_of(name) in declared, name
        assert task.acks_late, name


def test_the_beat_schedule_names_only_routed_tasks():
    from django.conf import settings

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks or entry["task"].startswith(PORTAL_APPS)
        assert queue_of(entry["task"]) in set(app.amqp.queues)
