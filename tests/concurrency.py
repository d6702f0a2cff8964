"""Run the same work in several threads released at the same moment, each with its own database
connection, to prove a service is safe under concurrency on PostgreSQL."""

import threading

from django.db import connection


def run_at_once(count, target):
    """Call `target(index)` in `count` threads at once; return (results, errors) in completion order."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def runner(index):
        try:
            barrier.wait(timeout=10)
            results.append(target(index))
        except Exception as error:  # noqa: BLE001 - collected for the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
