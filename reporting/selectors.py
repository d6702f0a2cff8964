"""Reads for the statistics pages, exports and API: the figures of a period from the daily summary, and the live
facts of an agency's dashboard (today's workload, dossiers at risk) from the dossiers.

Stocks from flows. The summary keeps each day's flows; the dossiers in progress at the end of a day D are those
received up to D less those finished up to D, and the overdue ones those whose due date is before D (`due_passed`
is dated the day after the due date) less those of them that had finished by D (`due_cleared`). So the figures sum
every row up to the period's reckoning day: with a condition on the day for the period's own flows, without one for
the stocks at its end, and `day < first day` for the stock it starts with (carried over).

Two queries, one per table (`_summed`): the monthly rows of the months before the one the sums must cut inside (the
reckoning day's month, or the first day's when the period starts within a month), and the daily rows from that cut
to the reckoning day; their figures add up. A year is so a dozen rows per key and the days of one month.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dossiers.constants import CLOCK_RUNNING_STATUSES, DossierStatus, Timeliness
from dossiers.deadlines import due_soon_condition, due_soon_horizon, overdue_condition
from dossiers.models import Dossier
from portal.constants import Role
from procedures.calendar import working_calendar_for_pages
from procedures.constants import Channel
from procedures.models import Agency

from .constants import RatingLevel
from .flows import ONE_DAY, day_start
from .models import DailyDossierStat, MonthlyDossierStat, Rating
from .periods import Period, ReportFilters

_FINISHED = F("finished_early") + F("finished_on_time") + F("finished_late")


@dataclass
class Figures:
    """A period's figures for one agency, field, procedure or month, in the periodic report's terms."""

    received_online: int = 0
    received_direct: int = 0  # at the counter or by post
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    refused: int = 0
    withdrawn: int = 0
    closed_before_receipt: int = 0
    in_progress: int = 0
    overdue: int = 0
    supplement_requests: int = 0
    apologies: int = 0
    processing_days: int = 0
    paid_online_count: int = 0
    paid_online_amount: int = 0
    rated_very_satisfied: int = 0
    rated_satisfied: int = 0
    rated_unsatisfied: int = 0

    @property
    def received_new(self) -> int:
        return self.received_online + self.received_direct

    @property
    def received_total(self) -> int:
        return self.received_new + self.carried_over

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def in_progress_within(self) -> int:
        return self.in_progress - self.overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """(early + on time) / resolved, in per cent to two decimals; None when nothing was resolved."""
        return percent(self.early + self.on_time, self.resolved)

    @property
    def online_share(self) -> Decimal | None:
        return percent(self.received_online, self.received_new)

    @property
    def average_processing_days(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (Decimal(self.processing_days) / self.resolved).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def ratings(self) -> int:
        return self.rated_very_satisfied + self.rated_satisfied + self.rated_unsatisfied

    @property
    def satisfied_share(self) -> Decimal | None:
        return percent(self.rated_very_satisfied + self.rated_satisfied, self.ratings)


def figures_sum(rows: list["FiguresRow"]) -> Figures:
    """The figures of several rows together: every figure is a count or a sum, so they add up."""
    return _added([row.figures for row in rows])


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class FiguresRow:
    """One line of a table: what it is about (`key`, `label`, `code`) and its figures."""

    key: object
    label: str
    figures: Figures
    code: str = ""
    extra: dict = field(default_factory=dict)


def _stat_rows(model, filters: ReportFilters) -> QuerySet:
    rows = model.objects.all()
    conditions = {
        "agency_id": filters.agency_id,
        "agency__level": filters.agency_level,
        "field_id": filters.field_id,
        "procedure_id": filters.procedure_id,
        "online_level": filters.online_level,
        "channel": filters.channel,
    }
    return rows.filter(**{name: value for name, value in conditions.items() if value is not None})


def _period_sums(period: Period, *, day: str = "day") -> dict:
    """The aggregates of `Figures` over rows up to the period's reckoning day (see the module's docstring); `day`:
    the rows' date column."""
    within = Q(**{f"{day}__gte": period.first_day})
    return {
        "received_online": Sum("received", filter=within & Q(channel=Channel.ONLINE), default=0),
        "received_direct": Sum("received", filter=within & ~Q(channel=Channel.ONLINE), default=0),
        "carried_over": Sum(F("received") - _FINISHED, filter=Q(**{f"{day}__lt": period.first_day}), default=0),
        "early": Sum("finished_early", filter=within, default=0),
        "on_time": Sum("finished_on_time", filter=within, default=0),
        "late": Sum("finished_late", filter=within, default=0),
        "refused": Sum("refused", filter=within, default=0),
        "withdrawn": Sum("withdrawn", filter=within, default=0),
        "closed_before_receipt": Sum("closed_before_receipt", filter=within, default=0),
        "in_progress": Sum(F("received") - _FINISHED, default=0),
        "overdue": Sum(F("due_passed") - F("due_cleared"), default=0),
        "supplement_requests": Sum("supplement_requests", filter=within, default=0),
        "apologies": Sum("apologies", filter=within, default=0),
        "processing_days": Sum("processing_days", filter=within, default=0),
        "paid_online_count": Sum("paid_online_count", filter=within, default=0),
        "paid_online_amount": Sum("paid_online_amount", filter=within, default=0),
        "rated_very_satisfied": Sum("rated_very_satisfied", filter=within, default=0),
        "rated_satisfied": Sum("rated_satisfied", filter=within, default=0),
        "rated_unsatisfied": Sum("rated_unsatisfied", filter=within, default=0),
    }


def _figures(values: dict) -> Figures:
    return Figures(**{name: int(values[name] or 0) for name in Figures.__dataclass_fields__})


def _summed(*, period: Period, filters: ReportFilters, today: date, first_day: date | None = None):
    """The two sources of a period's sums, as (rows, their date column): monthly rows before the cut, daily rows
    from it to the reckoning day (the module's docstring). `first_day`: read nothing before it."""
    last = period.reckoned_to(today)
    cut = min(last.replace(day=1), period.first_day.replace(day=1) if period.first_day.day != 1 else last)
    months = _stat_rows(MonthlyDossierStat, filters).filter(month__lt=cut)
    days = _stat_rows(DailyDossierStat, filters).filter(day__gte=cut, day__lte=last)
    if first_day is not None:
        months, days = months.filter(month__gte=first_day), days.filter(day__gte=first_day)
    return (months, "month"), (days, "day")


def _added(figures: list[Figures]) -> Figures:
    total = Figures()
    for each in figures:
        for name in Figures.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(each, name))
    return total


def figures_total(*, period: Period, filters: ReportFilters, today: date) -> Figures:
    """The period's figures over everything the filters keep (two queries)."""
    return _added(
        [
            _figures(rows.aggregate(**_period_sums(period, day=day)))
            for rows, day in _summed(period=period, filters=filters, today=today)
        ]
    )


GROUPS = {
    "agency": ("agency_id", "agency__name", "agency__code"),
    "field": ("field_id", "field__name", "field__code"),
    "procedure": ("procedure_id", "procedure__name", "procedure__code"),
}


def figures_by(*, period: Period, filters: ReportFilters, today: date, group: str) -> list[FiguresRow]:
    """The period's figures per agency, field or procedure (two queries), in the order of their names. Only what has
    had a dossier appears."""
    key, label, code = GROUPS[group]
    extra = ("agency__level",) if group == "agency" else ()
    by_key: dict[object, FiguresRow] = {}
    for rows, day in _summed(period=period, filters=filters, today=today):
        for row in rows.values(key, label, code, *extra).annotate(**_period_sums(period, day=day)).order_by():
            figures = _figures(row)
            if row[key] in by_key:
                by_key[row[key]].figures = _added([by_key[row[key]].figures, figures])
            else:
                by_key[row[key]] = FiguresRow(
                    key=row[key],
                    label=row[label],
                    code=row[code],
                    figures=figures,
                    extra={name: row[name] for name in extra},
                )
    return sorted(by_key.values(), key=lambda row: (row.label, row.key))


def figures_by_month(*, period: Period, filters: ReportFilters, today: date) -> list[FiguresRow]:
    """The flows of each month of the period (two queries), every month listed (those without a dossier at zero).
    Months have no stocks here: only what was received and resolved in each."""
    stocks = {"carried_over", "in_progress", "overdue"}
    by_month: dict[date, Figures] = defaultdict(Figures)
    for rows, day in _summed(period=period, filters=filters, today=today, first_day=period.first_day):
        sums = _period_sums(period, day=day)
        flows = {name: aggregate for name, aggregate in sums.items() if name not in stocks}
        months = rows.annotate(first_of_month=TruncMonth(day)).values("first_of_month").annotate(**flows).order_by()
        for row in months:
            figures = _figures({name: row.get(name, 0) for name in Figures.__dataclass_fields__})
            by_month[row["first_of_month"]] = _added([by_month[row["first_of_month"]], figures])
    return [
        FiguresRow(key=month, label=f"{month.month:02d}/{month.year}", figures=by_month[month])
        for month in period.months()
        if month <= period.reckoned_to(today)
    ]


# --- an agency's live facts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    awaiting_reception: int
    received_today: int
    finished_today: int
    in_progress: int
    waiting_applicant: int
    due_soon: int
    overdue: int


def agency_workload(*, agency: Agency, now: datetime, horizon: datetime) -> Workload:
    """Today's workload of an agency from its dossiers, as its queues count them (two queries)."""
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    running = sorted(CLOCK_RUNNING_STATUSES)
    open_statuses = [*running, DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.PAYMENT_REQUESTED]
    # The dossiers in flight per status, from the status and due date alone: an index-only scan of the agency's
    # in-flight entries, a few thousand at the busiest; seven filtered counts over them cost six times that, hence
    # the grouping (7 ms -> 1 ms at a million dossiers, docs/performance.md).
    by_status = {
        row["status"]: row
        for row in Dossier.objects.filter(agency=agency, status__in=[DossierStatus.SUBMITTED, *open_statuses])
        .values("status")
        .annotate(  # counting the status, never null: the rows' ids are not in the index
            dossiers=Count("status"),
            due_soon=Count("status", filter=due_soon_condition(now=now, horizon=horizon)),
            overdue=Count("status", filter=overdue_condition(now=now)),
        )
        .order_by()
    }

    def total(measure: str, statuses) -> int:
        return sum(by_status[status][measure] for status in statuses if status in by_status)

    # Received or finished today: the day's entries of the receipt and finishing indexes, whatever the statuses.
    today = Dossier.objects.filter(
        Q(received_at__gte=today_start) | Q(finished_at__gte=today_start), agency=agency
    ).aggregate(
        received_today=_count(Q(received_at__gte=today_start)), finished_today=_count(Q(finished_at__gte=today_start))
    )
    return Workload(
        awaiting_reception=total("dossiers", [DossierStatus.SUBMITTED]),
        in_progress=total("dossiers", open_statuses),
        waiting_applicant=total("dossiers", [DossierStatus.SUPPLEMENT_REQUESTED]),
        due_soon=total("due_soon", running),
        overdue=total("overdue", running),
        **today,
    )


def _count(condition: Q) -> Count:
    return Count("id", filter=condition)


def dossiers_at_risk(*, agency: Agency, now: datetime, horizon: datetime, limit: int = 20) -> list[dict]:
    """The agency's running dossiers already overdue or due within a working day, soonest due first (one query):
    code, procedure, status, due date and assignee, nothing of the applicant. As rows, not models: built on every
    request, three model instances per row cost more than the query (docs/performance.md)."""
    return list(
        Dossier.objects.filter(agency=agency, status__in=CLOCK_RUNNING_STATUSES, due_at__lte=horizon)
        .values("code", "status", "due_at", "procedure__name", "assignee__full_name")
        .order_by("due_at", "id")[:limit]
    )


def late_by_officer(*, agency: Agency, period: Period, limit: int = 10) -> list[dict]:
    """The officers who held the most of the agency's dossiers that finished late in the period (one query, an
    index-only scan of the agency's late dossiers of the period)."""
    first, last = period.first_day, period.last_day
    return list(
        Dossier.objects.filter(
            agency=agency,
            received_at__isnull=False,
            timeliness=Timeliness.LATE,
            finished_at__gte=day_start(first),
            finished_at__lt=day_start(last + ONE_DAY),
            assignee__isnull=False,
        )
        .values("assignee_id", "assignee__full_name")
        .annotate(late=Count("assignee"))  # not the ids: the index `dossier_late_finished` holds all that is read
        .order_by("-late", "assignee__full_name")[:limit]
    )


def rating_comments(*, agency: Agency, period: Period, limit: int = 30) -> list[dict]:
    """What the applicants wrote when rating the agency's dossiers in the period, newest first (one query): the
    answer, the comment, the procedure and the month only. Nothing that leads to the person: no name, no dossier code,
    no day (docs/decisions.md, "Rating comments on the leader's dashboard")."""
    rows = (
        Rating.objects.filter(
            dossier__agency=agency,
            created_at__gte=day_start(period.first_day),
            created_at__lt=day_start(period.last_day + ONE_DAY),
        )
        .exclude(comment="")
        .annotate(month=TruncMonth("created_at"))
        .values("month", "level", "comment", "dossier__procedure__name")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        {
            "month": row["month"],
            "level": RatingLevel(row["level"]).label,
            "comment": row["comment"],
            "procedure": row["dossier__procedure__name"],
        }
        for row in rows
    ]


def most_late(rows: list[FiguresRow], *, limit: int = 10) -> list[FiguresRow]:
    """The rows (procedures) with the most dossiers resolved late, most first; none without a late one."""
    return sorted((row for row in rows if row.figures.late), key=lambda row: (-row.figures.late, row.label))[:limit]


def dashboard_horizon(*, now: datetime) -> datetime:
    """The end of the "due soon" window, as the officers' queues compute it (the process's copy of the working
    calendar: no query but once a minute)."""
    return due_soon_horizon(now=now, calendar=working_calendar_for_pages())


# --- who sees what ---------------------------------------------------------------------------------------------


def sees_province(user) -> bool:
    """System administrators and those granted the province's statistics (a province leader)."""
    return user.is_authenticated and user.has_perm("reporting.view_province_statistics")


def leads_agency(user) -> bool:
    """An agency's leader: an approver of its agency."""
    return user.is_authenticated and user.agency_id is not None and user.has_role(Role.APPROVER)
