"""Every write of the reporting app: the summary's recomputes (`aggregates`) and the satisfaction ratings
(`ratings`)."""

from .aggregates import (
    RecomputeResult,
    statistics_recompute_full,
    statistics_recompute_period,
    statistics_update_incremental,
)
from .ratings import RatingRefused, dossier_can_be_rated, rating_exists, rating_submit, rating_submit_at_kiosk

__all__ = [
    "RatingRefused",
    "RecomputeResult",
    "dossier_can_be_rated",
    "rating_exists",
    "rating_submit",
    "rating_submit_at_kiosk",
    "statistics_recompute_full",
    "statistics_recompute_period",
    "statistics_update_incremental",
]
