from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.constants import Channel, OnlineLevel

from .constants import RATING_COMMENT_MAX_LENGTH, RatingLevel, RatingSource


class DossierFlows(models.Model):
    """The key and the measures of a summary row: what happened to the dossiers of one procedure received by one
    agency through one channel, in a day (`DailyDossierStat`) or a month (`MonthlyDossierStat`).

    Every measure is a count of events dated within the row's span (in the portal's time zone), except
    `processing_days` (a sum) and `paid_online_amount` (đồng); never a stock. A stock at the end of any day D
    (dossiers in progress, overdue) is the sum of the flows of every day up to D (`reporting.selectors`): received −
    finished for the dossiers in progress, `due_passed` − `due_cleared` for the overdue ones. `field` and
    `online_level` are the procedure's when the row was computed. Rows are written only by
    `reporting.services.aggregates` and are the same whichever run wrote them.

    The keys have no foreign-key constraint in the database (Django still deletes the rows with their agency,
    procedure or field): the rows are derived from dossiers that reference those, and checking three keys for each of
    the ~32,000 rows a full recompute writes took 0.4 s of its ~3 (docs/performance.md). Nor an index of their own:
    the (agency, day) and (procedure, day) indexes lead with them, a field is read within days (the unique index
    leads with the day), and three more indexes to fill cost the full recompute another 0.25 s."""

    agency = models.ForeignKey(
        "procedures.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    field = models.ForeignKey(
        "procedures.Field",
        verbose_name=_("lĩnh vực"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    channel = models.PositiveSmallIntegerField(_("hình thức nộp"), choices=Channel.choices)
    online_level = models.PositiveSmallIntegerField(_("mức độ trực tuyến"), choices=OnlineLevel.choices)

    # Received (the clock started).
    received = models.PositiveIntegerField(default=0)
    # Received dossiers that reached their first closing status, by class; among them the refused and the withdrawn
    # ones.
    finished_early = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    finished_late = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    # Refused or withdrawn before being received: never in the received, resolved or in-progress figures.
    closed_before_receipt = models.PositiveIntegerField(default=0)
    # Received dossiers whose due date was the day before (the first day they are overdue if still open), not
    # counting one whose clock stands still while it waits for the applicant; and, the day they finish, those
    # of them that finished after their due date.
    due_passed = models.PositiveIntegerField(default=0)
    due_cleared = models.PositiveIntegerField(default=0)
    supplement_requests = models.PositiveIntegerField(default=0)
    apologies = models.PositiveIntegerField(default=0)
    # Working days from the receipt day to the finishing day, summed over the dossiers finished.
    processing_days = models.PositiveIntegerField(default=0)
    paid_online_count = models.PositiveIntegerField(default=0)
    paid_online_amount = models.PositiveBigIntegerField(default=0)
    rated_very_satisfied = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_unsatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyDossierStat(DossierFlows):
    """The flows of one day (docs/decisions.md, "Statistics: a summary table of daily flows")."""

    day = models.DateField(_("ngày"))

    class Meta:
        verbose_name = _("số liệu hồ sơ theo ngày")
        verbose_name_plural = _("số liệu hồ sơ theo ngày")
        ordering = ["day", "agency_id", "procedure_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"], name="daily_stat_unique"),
        ]
        indexes = [
            # Pages: the days of the month a period is reckoned in, for an agency or for all.
            models.Index(fields=["agency", "day"], name="daily_stat_agency_day"),
            # Pages filtered by a procedure, province-wide.
            models.Index(fields=["procedure", "day"], name="daily_stat_procedure_day"),
        ]
        permissions = [("view_province_statistics", _("Xem thống kê toàn tỉnh và chỉ số phục vụ mọi cơ quan"))]

    def __str__(self):
        return f"{self.day} {self.agency_id}/{self.procedure_id}/{self.channel}"


class MonthlyDossierStat(DossierFlows):
    """The sums of a month's daily rows, key by key (`month` is its first day), rewritten with them, so that a page
    reads a dozen rows a year per key instead of 365 (docs/decisions.md, "Statistics: the monthly roll-up")."""

    month = models.DateField(_("tháng"))

    class Meta:
        verbose_name = _("số liệu hồ sơ theo tháng")
        verbose_name_plural = _("số liệu hồ sơ theo tháng")
        ordering = ["month", "agency_id", "procedure_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["month", "agency", "procedure", "channel"], name="monthly_stat_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "month"], name="monthly_stat_agency_month"),
            models.Index(fields=["procedure", "month"], name="monthly_stat_procedure_month"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.agency_id}/{self.procedure_id}/{self.channel}"


class WorkingDay(models.Model):
    """Each day with the number of working days up to it (working_calendar), so that the working days between two
    dates is a difference of two ordinals inside the aggregation's SQL. Rebuilt by every full recompute."""

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {self.ordinal}"


class ReportingState(models.Model):
    """The one row (pk 1) the aggregation jobs lock, so that two runs never write at once. Every run that changes the
    summary stamps it (a recompute, full or of a span, always; an incremental run when it had changes to apply): the
    stamps name the summary's generation (reporting.pagecache). The incremental run relabels the procedures edited
    since `watermark`."""

    watermark = models.DateTimeField(null=True, blank=True)
    last_incremental_at = models.DateTimeField(null=True, blank=True)
    last_full_at = models.DateTimeField(null=True, blank=True)
    last_span_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"watermark {self.watermark}"


class Rating(models.Model):
    """An applicant's answer to "how satisfied are you with the handling of this dossier", once per dossier after
    the result was handed back. Nothing records who answered: the pages and the API show only counts."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("mức độ hài lòng"), choices=RatingLevel.choices)
    comment = models.TextField(_("góp ý"), max_length=RATING_COMMENT_MAX_LENGTH, blank=True)
    source = models.CharField(_("nơi đánh giá"), max_length=20, choices=RatingSource.choices)
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier_id}: {self.get_level_display()}"


class FlowChange(models.Model):
    """A change of what a dossier, payment, supplement request or rating counts in the summary, written by database
    triggers (migration 0003, PostgreSQL) in the writer's own transaction: the row as it was (`sign` −1) and as it
    is (+1), only the columns the flows read, with the dossier's key. The incremental job sums the flows of these
    rows into the summary and deletes them in one statement, so a run costs what changed, not what the changed
    cells hold (docs/decisions.md, "Statistics: a log of changes"). No foreign keys: a deleted dossier's last row
    must stay until it is counted."""

    class Source(models.TextChoices):
        DOSSIER = "d"
        PAYMENT = "p"
        SUPPLEMENT_REQUEST = "s"
        RATING = "r"

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=1, choices=Source.choices)
    sign = models.SmallIntegerField()
    agency_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    channel = models.PositiveSmallIntegerField()
    # The dossier's own moments and classes (source "d").
    received_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    paused = models.BooleanField(null=True)
    apologized_at = models.DateTimeField(null=True)
    timeliness = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=30, blank=True)
    # A payment's, supplement request's or rating's moment (paid, requested, rated) and what it counts.
    moment = models.DateTimeField(null=True)
    amount = models.BigIntegerField(null=True)
    provider = models.CharField(max_length=30, blank=True)
    level = models.PositiveSmallIntegerField(null=True)

    def __str__(self):
        return f"{self.get_source_display()} {self.sign:+d}"
