"""The service index of Decision 766/QĐ-TTg (DOMAIN.md "Service index"), per agency: each indicator with its inputs
and formula, so a leader sees why a value is what it is.

What the portal knows it computes from the period's figures and its records (fees paid, results issued signed); what
it cannot know yet (how procedures are published, digitised components, reuse of data, complaints) it says so and
shows no number. Points: DOMAIN.md gives each group's maximum and two thresholds (online submission at 50 %,
satisfaction at 90 % earn the indicator's full marks), not how a group's points split among its indicators; so the
card shows each indicator's value and, where a threshold is known, how far it is towards full marks, never an
invented score.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus
from dossiers.models import IssuedResult
from payments.constants import MONEY_TAKEN_STATUSES
from payments.models import Payment
from payments.providers.counter import CounterProvider
from procedures.constants import OnlineLevel
from procedures.models import Agency, Procedure

from .flows import ONE_DAY, day_start
from .periods import Period
from .selectors import Figures, percent


@dataclass
class Indicator:
    name: str
    formula: str
    inputs: list[tuple[str, object]] = field(default_factory=list)
    value: Decimal | None = None
    unit: str = "%"
    # How far the value is towards the indicator's full marks (per cent), when DOMAIN.md gives the threshold.
    towards_full_marks: Decimal | None = None
    unknown: str = ""  # why the portal cannot compute it yet


@dataclass
class IndicatorGroup:
    name: str
    max_points: int
    indicators: list[Indicator]


def _towards(value: Decimal | None, threshold: Decimal) -> Decimal | None:
    if value is None:
        return None
    return min(Decimal(100), (value * 100 / threshold).quantize(Decimal("0.01")))


def _fees_paid(*, agency: Agency, period: Period) -> tuple[int, int]:
    """(fees paid online, fees paid in all) of the agency's dossiers in the period (one query)."""
    counts = Payment.objects.filter(
        dossier__agency=agency,
        status__in=MONEY_TAKEN_STATUSES,
        paid_at__gte=day_start(period.first_day),
        paid_at__lt=day_start(period.last_day + ONE_DAY),
    ).aggregate(online=Count("id", filter=~Q(provider=CounterProvider.name)), total=Count("id"))
    return counts["online"], counts["total"]


def _electronic_results(*, agency: Agency, period: Period, figures: Figures) -> tuple[int, int]:
    """(dossiers granted a result in the period whose result the agency issued signed, dossiers granted a result in
    the period) for `agency`. Granted: received and finished, neither refused nor withdrawn; an issued result counts
    even if later revoked or replaced (it was issued electronically).

    The granted ones from the agency's `figures` of the period (every received dossier that finishes is classed
    early, on time or late, the refused and withdrawn among them); the signed ones from the issued results, joined to
    their dossiers (one query). Counting the granted dossiers here read the agency's whole period with a lookup per
    dossier: 700 ms for the busiest year at a million dossiers. The join costs what the results issued cost while
    they are few; once most dossiers have one it reads the agency's period again (360 ms with 220,000 results at a
    million, measured): what stays cheap is a summary measure of the results issued, per day like the others."""
    electronic = (
        IssuedResult.objects.filter(
            issued_at__isnull=False,
            dossier__agency=agency,
            dossier__received_at__isnull=False,
            dossier__finished_at__gte=day_start(period.first_day),
            dossier__finished_at__lt=day_start(period.last_day + ONE_DAY),
        )
        .exclude(dossier__status__in=[DossierStatus.REFUSED, DossierStatus.WITHDRAWN])
        .aggregate(dossiers=Count("dossier", distinct=True))["dossiers"]
    )
    return electronic, figures.resolved - figures.refused - figures.withdrawn


def _procedures_online(*, agency: Agency) -> tuple[int, int]:
    """(active procedures the agency handles that take online applications, all its active procedures)."""
    counts = (
        Procedure.objects.active()
        .filter(agency=agency)
        .aggregate(online=Count("id", filter=Q(online_level__gte=OnlineLevel.PARTIAL)), total=Count("id"))
    )
    return counts["online"], counts["total"]


def agency_scorecard(
    *, agency: Agency, period: Period, figures: Figures, agency_figures: Figures | None = None
) -> list[IndicatorGroup]:
    """The card of `agency` for `period`, from its `figures` (reporting.selectors, as filtered), `agency_figures`
    (the agency's whole, when other filters narrow `figures`) and three queries."""
    paid_online, paid_total = _fees_paid(agency=agency, period=period)
    electronic, granted = _electronic_results(agency=agency, period=period, figures=agency_figures or figures)
    procedures_online, procedures_total = _procedures_online(agency=agency)
    late_rate = percent(figures.late, figures.resolved)
    not_yet = _("Cổng chưa ghi nhận dữ liệu này; chưa tính được.")
    return [
        IndicatorGroup(
            _("Công khai, minh bạch"),
            18,
            [Indicator(_("Công khai thủ tục, tiến độ và kết quả giải quyết"), formula="", unknown=not_yet)],
        ),
        IndicatorGroup(
            _("Tiến độ, kết quả giải quyết"),
            20,
            [
                Indicator(
                    _("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
                    formula=_("(trước hạn + đúng hạn) / đã giải quyết × 100%"),
                    inputs=[
                        (_("Trước hạn"), figures.early),
                        (_("Đúng hạn"), figures.on_time),
                        (_("Đã giải quyết"), figures.resolved),
                    ],
                    value=figures.on_time_rate,
                ),
                Indicator(
                    _("Thời gian giải quyết trung bình"),
                    formula=_("tổng số ngày làm việc từ tiếp nhận đến giải quyết xong / đã giải quyết"),
                    inputs=[
                        (_("Tổng số ngày làm việc"), figures.processing_days),
                        (_("Đã giải quyết"), figures.resolved),
                    ],
                    value=figures.average_processing_days,
                    unit=_(" ngày làm việc"),
                ),
            ],
        ),
        IndicatorGroup(
            _("Số hóa hồ sơ, kết quả"),
            22,
            [
                Indicator(
                    _("Tỷ lệ hồ sơ có kết quả điện tử"),
                    formula=_("hồ sơ có kết quả ký số do cơ quan ban hành / hồ sơ được giải quyết có kết quả × 100%"),
                    inputs=[
                        (_("Có kết quả điện tử (ký số)"), electronic),
                        (_("Được giải quyết có kết quả (không tính từ chối, rút)"), granted),
                    ],
                    value=percent(electronic, granted),
                ),
                Indicator(_("Tỷ lệ số hóa thành phần hồ sơ"), formula="", unknown=not_yet),
                Indicator(_("Tỷ lệ khai thác, tái sử dụng dữ liệu số hóa"), formula="", unknown=not_yet),
            ],
        ),
        IndicatorGroup(
            _("Cung cấp dịch vụ trực tuyến"),
            22,
            [
                Indicator(
                    _("Tỷ lệ thủ tục có dịch vụ trực tuyến (một phần, toàn trình)"),
                    formula=_("thủ tục trực tuyến / thủ tục đang áp dụng của cơ quan × 100%"),
                    inputs=[
                        (_("Thủ tục trực tuyến"), procedures_online),
                        (_("Thủ tục đang áp dụng"), procedures_total),
                    ],
                    value=percent(procedures_online, procedures_total),
                ),
                Indicator(
                    _("Tỷ lệ hồ sơ nộp trực tuyến"),
                    formula=_("tiếp nhận trực tuyến / tiếp nhận mới × 100%; đạt 50% là điểm tối đa"),
                    inputs=[
                        (_("Tiếp nhận trực tuyến"), figures.received_online),
                        (_("Tiếp nhận mới"), figures.received_new),
                    ],
                    value=figures.online_share,
                    towards_full_marks=_towards(figures.online_share, Decimal(50)),
                ),
                Indicator(
                    _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
                    formula=_("khoản phí nộp trực tuyến / khoản phí đã nộp × 100%"),
                    inputs=[(_("Nộp trực tuyến"), paid_online), (_("Đã nộp (mọi hình thức)"), paid_total)],
                    value=percent(paid_online, paid_total),
                ),
            ],
        ),
        IndicatorGroup(
            _("Mức độ hài lòng"),
            18,
            [
                Indicator(
                    _("Mức độ hài lòng"),
                    formula=_("100% − tỷ lệ hồ sơ quá hạn − tỷ lệ phản ánh, kiến nghị; đạt 90% là điểm tối đa"),
                    inputs=[(_("Tỷ lệ hồ sơ quá hạn (%)"), late_rate)],
                    unknown=_("Cổng chưa ghi nhận phản ánh, kiến nghị; chưa tính được."),
                ),
                Indicator(
                    _("Tỷ lệ người dân hài lòng qua đánh giá (tham khảo)"),
                    formula=_("(rất hài lòng + hài lòng) / số lượt đánh giá × 100%"),
                    inputs=[
                        (_("Rất hài lòng"), figures.rated_very_satisfied),
                        (_("Hài lòng"), figures.rated_satisfied),
                        (_("Không hài lòng"), figures.rated_unsatisfied),
                    ],
                    value=figures.satisfied_share,
                ),
            ],
        ),
    ]
