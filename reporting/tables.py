"""Every table the statistics pages show, as data: the page prints it, the exports write it (CSV, XLSX), so a
figure is the same wherever it is read.

The periodic report's layout (báo cáo tình hình giải quyết thủ tục hành chính): one row per agency, field or
procedure; received (total, online, direct or by post, carried over), resolved (total, early, on time, late, on-time
rate), in progress (total, within deadline, overdue).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from dossiers.constants import DossierStatus
from portal.text import short_datetime

from .numbers import grouped
from .selectors import Figures, FiguresRow

TEXT, COUNT, PERCENT, DECIMAL, MONEY = "text", "count", "percent", "decimal", "money"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT
    group: str = ""  # the heading over several columns ("Tiếp nhận"), "" for none


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # the "Tổng cộng" row
    empty_text: str = ""
    exports: dict[str, str] = field(default_factory=dict)  # file format → address (set by the page)

    @property
    def groups(self) -> list[tuple[str, int]]:
        """The heading row over the columns: (label, how many columns it spans), in order."""
        spans: list[tuple[str, int]] = []
        for column in self.columns:
            if spans and spans[-1][0] == column.group and column.group:
                spans[-1] = (column.group, spans[-1][1] + 1)
            else:
                spans.append((column.group, 1))
        return spans

    @property
    def has_groups(self) -> bool:
        return any(column.group for column in self.columns)

    @property
    def display_rows(self) -> list[list[tuple[str, str]]]:
        """Each row as (text, kind) cells, as the page prints them."""
        return [self._display(row) for row in self.rows]

    @property
    def display_total(self) -> list[tuple[str, str]] | None:
        return self._display(self.total) if self.total else None

    def _display(self, row: list) -> list[tuple[str, str]]:
        return [(cell_text(value, column.kind), column.kind) for value, column in zip(row, self.columns, strict=True)]


RECEIVED, RESOLVED, IN_PROGRESS = _("Tiếp nhận"), _("Đã giải quyết"), _("Đang giải quyết")


def periodic_columns(first: str) -> list[Column]:
    return [
        Column(first, TEXT),
        Column(_("Tổng số"), group=RECEIVED),
        Column(_("Trực tuyến"), group=RECEIVED),
        Column(_("Trực tiếp, bưu chính"), group=RECEIVED),
        Column(_("Kỳ trước chuyển sang"), group=RECEIVED),
        Column(_("Tổng số"), group=RESOLVED),
        Column(_("Trước hạn"), group=RESOLVED),
        Column(_("Đúng hạn"), group=RESOLVED),
        Column(_("Quá hạn"), group=RESOLVED),
        Column(_("Tỷ lệ đúng hạn (%)"), PERCENT, group=RESOLVED),
        Column(_("Tổng số"), group=IN_PROGRESS),
        Column(_("Trong hạn"), group=IN_PROGRESS),
        Column(_("Quá hạn"), group=IN_PROGRESS),
    ]


def periodic_cells(label: str, figures: Figures) -> list:
    return [
        label,
        figures.received_total,
        figures.received_online,
        figures.received_direct,
        figures.carried_over,
        figures.resolved,
        figures.early,
        figures.on_time,
        figures.late,
        figures.on_time_rate,
        figures.in_progress,
        figures.in_progress_within,
        figures.overdue,
    ]


def periodic_table(*, slug: str, title: str, first: str, rows: list[FiguresRow], total: Figures | None) -> Table:
    return Table(
        slug=slug,
        title=title,
        columns=periodic_columns(first),
        rows=[periodic_cells(row.label, row.figures) for row in rows],
        total=periodic_cells(str(_("Tổng cộng")), total) if total is not None else None,
        empty_text=str(_("Chưa có hồ sơ nào trong kỳ này.")),
    )


def monthly_table(*, rows: list[FiguresRow]) -> Table:
    return Table(
        slug="months",
        title=str(_("Kết quả giải quyết theo tháng")),
        columns=[
            Column(_("Tháng"), TEXT),
            Column(_("Tiếp nhận mới")),
            Column(_("Đã giải quyết")),
            Column(_("Trước hạn, đúng hạn")),
            Column(_("Quá hạn")),
            Column(_("Tỷ lệ đúng hạn (%)"), PERCENT),
            Column(_("Thời gian giải quyết trung bình (ngày làm việc)"), DECIMAL),
        ],
        rows=[
            [
                row.label,
                row.figures.received_new,
                row.figures.resolved,
                row.figures.early + row.figures.on_time,
                row.figures.late,
                row.figures.on_time_rate,
                row.figures.average_processing_days,
            ]
            for row in rows
        ],
        empty_text=str(_("Chưa có hồ sơ nào trong kỳ này.")),
    )


def late_procedures_table(*, rows: list[FiguresRow]) -> Table:
    return Table(
        slug="late_procedures",
        title=str(_("Thủ tục có nhiều hồ sơ quá hạn nhất")),
        columns=[
            Column(_("Mã thủ tục"), TEXT),
            Column(_("Tên thủ tục"), TEXT),
            Column(_("Đã giải quyết")),
            Column(_("Quá hạn")),
            Column(_("Tỷ lệ đúng hạn (%)"), PERCENT),
        ],
        rows=[[r.code, r.label, r.figures.resolved, r.figures.late, r.figures.on_time_rate] for r in rows],
        empty_text=str(_("Không có hồ sơ quá hạn trong kỳ này.")),
    )


def late_officers_table(*, rows: list[dict]) -> Table:
    return Table(
        slug="late_officers",
        title=str(_("Cán bộ xử lý có nhiều hồ sơ quá hạn nhất")),
        columns=[Column(_("Cán bộ xử lý"), TEXT), Column(_("Hồ sơ giải quyết quá hạn"))],
        rows=[[row["assignee__full_name"], row["late"]] for row in rows],
        empty_text=str(_("Không có hồ sơ quá hạn trong kỳ này.")),
    )


def rating_comments_table(*, rows: list[dict]) -> Table:
    return Table(
        slug="comments",
        title=str(_("Góp ý của người dân khi đánh giá mức độ hài lòng")),
        columns=[
            Column(_("Tháng"), TEXT),
            Column(_("Thủ tục"), TEXT),
            Column(_("Mức độ hài lòng"), TEXT),
            Column(_("Góp ý"), TEXT),
        ],
        rows=[[f"{row['month']:%m/%Y}", row["procedure"], str(row["level"]), row["comment"]] for row in rows],
        empty_text=str(_("Chưa có góp ý nào trong kỳ này.")),
    )


def at_risk_table(*, dossiers: list[dict], now) -> Table:
    """The dossiers at risk (`selectors.dossiers_at_risk`'s rows)."""
    # Computed on every request (reporting.views): each label once, not per row (get_status_display hashes the
    # choices at each call).
    statuses = {status: str(status.label) for status in DossierStatus}
    overdue, due_soon = str(_("Quá hạn")), str(_("Sắp đến hạn"))
    return Table(
        slug="at_risk",
        title=str(_("Hồ sơ quá hạn hoặc sắp đến hạn")),
        columns=[
            Column(_("Mã hồ sơ"), TEXT),
            Column(_("Thủ tục"), TEXT),
            Column(_("Trạng thái"), TEXT),
            Column(_("Hẹn trả"), TEXT),
            Column(_("Tình trạng"), TEXT),
            Column(_("Cán bộ xử lý"), TEXT),
        ],
        rows=[
            [
                dossier["code"],
                dossier["procedure__name"],
                statuses.get(dossier["status"], dossier["status"]),
                short_datetime(dossier["due_at"]),
                overdue if dossier["due_at"] < now else due_soon,
                dossier["assignee__full_name"] or "",
            ]
            for dossier in dossiers
        ],
        empty_text=str(_("Không có hồ sơ nào quá hạn hoặc sắp đến hạn.")),
    )


def cell_text(value, kind: str) -> str:
    """A cell as the page prints it, in the language of the page (1.234 and 92,61 in Vietnamese); "—" for a rate of
    nothing."""
    if value is None:
        return "—"
    if kind in (COUNT, MONEY):
        return grouped(value)
    if kind in (PERCENT, DECIMAL):
        return grouped(value, 2 if kind == PERCENT else 1)
    return str(value)
