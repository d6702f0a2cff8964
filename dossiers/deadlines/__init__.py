"""Every deadline rule of a dossier, in one room:

- `clock`: the due date at receipt, the pause for a supplement, and the early / on time / late class of
  the dossier at completion and of each step of its control sheet (one comparison of dates);
- `conditions`: which dossiers are overdue or due soon, in SQL for queues, counts, the API and the watch,
  and in Python for a loaded dossier;
- `steps`: each step's own deadline (its share of the allowed time), the risk of being late (the moment stored on
  the dossier, and how it is computed and refreshed), the time left;
- `watch`: the job that reminds before the due date and alerts after it, once per dossier and person,
  and who is told (`dossiers.tasks.watch_deadlines` runs it).

Services, selectors and the watch import these names from here.
"""

from .clock import classify, due_at_after_pause, due_at_for, step_timeliness, timeliness_by_date
from .conditions import due_soon_condition, due_soon_horizon, due_state, due_state_of, overdue_condition
from .steps import (
    at_risk_after,
    at_risk_condition,
    at_risk_refresh,
    step_due_at,
    step_entries,
    time_left,
    time_left_words,
)

__all__ = [
    "at_risk_after",
    "at_risk_condition",
    "at_risk_refresh",
    "classify",
    "due_at_after_pause",
    "due_at_for",
    "due_soon_condition",
    "due_soon_horizon",
    "due_state",
    "due_state_of",
    "overdue_condition",
    "step_due_at",
    "step_entries",
    "step_timeliness",
    "time_left",
    "time_left_words",
    "timeliness_by_date",
]
