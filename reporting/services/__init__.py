"""Every write of the reporting app: the summary's recomputes (`aggregates`) and the satisfaction ratings
(`ratings`)."""

from .aggregates import (
    RecomputeResult,
    statistics_recompute_full,
    statistics_recompute_period,
    statistics_update_incremental,
)

__all__ = [
    "RecomputeResult",
    "statistics_recompute_full",
    "statistics_recompute_period",
    "statistics_update_incremental",
]
