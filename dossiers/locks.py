"""The one way a dossier row is locked, so every lock has the same scope.

`dossier_lock` takes the row alone (`FOR UPDATE OF` the dossier table) and joins nothing. A joined row would be
read as it was when the statement started, not when the lock was granted: a request that waited for another
transaction holding the lock would see the dossier's new `assignee_id` beside the old (empty) assignee row.
Related rows (agency, procedure, assignee) are loaded when first used, after the lock, so they are current.

(The deadline watch locks its batches with SKIP LOCKED in dossiers/watch.py, and the at-risk refresh locks a chunk
of rows, then reads them in a statement of its own, in dossiers/deadlines/steps.py: different needs.)
"""

from .models import Dossier


def dossier_lock(pk: int) -> Dossier:
    """The dossier `pk`, locked until the current transaction ends (call it inside one)."""
    return Dossier.objects.select_for_update(of=("self",)).get(pk=pk)
