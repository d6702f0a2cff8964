"""Dossier rows as the statistics read them, written directly with fixed moments (fast; the workflow's own
tests prove the services write these columns so), and the summary as comparable data."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from dossiers.constants import Channel
from dossiers.constants import DossierStatus as S
from dossiers.models import Dossier
from payments.models import Payment
from procedures.models import Procedure
from reporting.flows import KEYS, MEASURES
from reporting.models import DailyDossierStat
from tests.factories import DossierFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int = 9, year: int = 2025) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=HCM)


def dossier_row(
    procedure,
    *,
    received=None,
    due=None,
    finished=None,
    timeliness="",
    status=None,
    channel=Channel.ONLINE,
    paused=None,
    apologized=None,
    **extra,
):
    """A dossier of `procedure` submitted when received (or an hour before a closing without receipt)."""
    if status is None:
        status = S.RESULT_READY if finished else (S.PROCESSING if received else S.SUBMITTED)
    submitted = received or finished or at(1, 1)
    return DossierFactory(
        procedure=procedure,
        channel=channel,
        status=status,
        submitted_at=submitted,
        received_at=received,
        due_at=due,
        finished_at=finished,
        timeliness=timeliness,
        paused_at=paused,
        apologized_at=apologized,
        **extra,
    )


def summary() -> dict:
    """The summary table as {(day, agency, procedure, field, channel, level): measures}, zero rows left out."""
    rows = DailyDossierStat.objects.values("day", *KEYS, *MEASURES)
    return {
        (row["day"], *(row[key] for key in KEYS)): tuple(row[m] for m in MEASURES)
        for row in rows
        if any(row[m] for m in MEASURES)
    }


def row_of(procedure, day, channel=Channel.ONLINE) -> DailyDossierStat:
    return DailyDossierStat.objects.get(procedure=procedure, day=day, channel=channel)


def age_everything() -> None:
    """Make every dossier, payment and procedure look changed an hour ago, before the next run's watermark reaches
    back to (the ratings are never changed: they are read by their creation)."""
    an_hour_ago = timezone.now() - timedelta(hours=1)
    for model in (Dossier, Payment, Procedure):
        model.objects.update(updated_at=an_hour_ago)
