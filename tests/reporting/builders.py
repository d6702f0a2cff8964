"""Dossier rows as the statistics read them, written directly with fixed moments (fast; the workflow's own
tests prove the services write these columns so), and the summary as comparable data."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from dossiers.constants import Channel
from dossiers.constants import DossierStatus as S
from dossiers.models import Dossier
from payments.models import Payment
from procedures.constants import AgencyLevel
from procedures.models import Procedure
from reporting import pagecache
from reporting.flows import KEYS, MEASURES, Scope
from reporting.models import DailyDossierStat, MonthlyDossierStat, ReportingState
from reporting.services.aggregates import roll_up_months
from tests.factories import AgencyFactory, DossierFactory, ProcedureFactory

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
    """The summary tables as {(day or month, agency, procedure, field, channel, level, table): measures}, zero rows
    left out."""
    days = DailyDossierStat.objects.values("day", *KEYS, *MEASURES)
    months = MonthlyDossierStat.objects.annotate(day=F("month")).values("day", *KEYS, *MEASURES)
    return {
        (row["day"], *(row[key] for key in KEYS), table): tuple(row[m] for m in MEASURES)
        for table, rows in (("day", days), ("month", months))
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


def stamped() -> None:
    """What a statistics job's run leaves (the seeds write the summary directly, without one): new stamps, announced
    to the pages' cache as a run does (reporting.pagecache), which from now on keeps what the pages computed until the
    next run."""
    state, _ = ReportingState.objects.update_or_create(pk=1, defaults={"watermark": timezone.now()})
    pagecache.generation_changed(state)


def seeds_2021():
    """The seeds' year 2021 (../shared/seeds: Thái Bình's report) as summary rows: 187,333 dossiers received, 85,517
    of them online, 173,475 resolved early or on time. The report's 92.61% is that over the dossiers resolved in the
    year: 173,475 / 187,318 (15 were still in progress at the end of the year); over all 187,333 it would be 92.60%.
    Returns the two agencies."""
    province_centre = AgencyFactory(name="Trung tâm Phục vụ hành chính công tỉnh")
    commune = AgencyFactory(name="UBND xã Thử nghiệm", level=AgencyLevel.COMMUNE)
    first, second = ProcedureFactory(agency=province_centre), ProcedureFactory(agency=commune)

    def row(procedure, day, channel, received, early, on_time, late):
        DailyDossierStat.objects.create(
            day=day,
            agency=procedure.agency,
            procedure=procedure,
            field=procedure.field,
            channel=channel,
            online_level=procedure.online_level,
            received=received,
            finished_early=early,
            finished_on_time=on_time,
            finished_late=late,
            processing_days=2 * (early + on_time + late),
        )

    row(first, date(2021, 3, 15), Channel.ONLINE, 85_517, 80_000, 0, 5_517)
    row(first, date(2021, 6, 15), Channel.COUNTER, 50_000, 40_000, 6_000, 4_000)
    row(second, date(2021, 9, 15), Channel.COUNTER, 51_816, 40_000, 7_475, 4_326)
    roll_up_months(Scope())
    return province_centre, commune
