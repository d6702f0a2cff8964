"""What a report covers: its period (a month, a quarter, a year or any span of days, with the day its stocks are
reckoned to) and its filters."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .constants import PeriodKind

# The longest custom period a page or the API computes (ten years of days).
MAX_CUSTOM_DAYS = 3660


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: date
    last_day: date

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(PeriodKind.MONTH, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first_month = 3 * (quarter - 1) + 1
        last = cls.month(year, first_month + 2).last_day
        return cls(PeriodKind.QUARTER, date(year, first_month, 1), last)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def custom(cls, first_day: date, last_day: date) -> "Period":
        return cls(PeriodKind.CUSTOM, first_day, last_day)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)d/%(year)d") % {"month": self.first_day.month, "year": self.first_day.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)d/%(year)d") % {
                "quarter": (self.first_day.month - 1) // 3 + 1,
                "year": self.first_day.year,
            }
        if self.kind == PeriodKind.YEAR:
            return _("Năm %(year)d") % {"year": self.first_day.year}
        return _("Từ %(first)s đến %(last)s") % {
            "first": self.first_day.strftime("%d/%m/%Y"),
            "last": self.last_day.strftime("%d/%m/%Y"),
        }

    @property
    def slug(self) -> str:
        """For file names: 2021, 2021-q2, 2021-05, 2021-01-01_2021-03-31."""
        if self.kind == PeriodKind.MONTH:
            return f"{self.first_day:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.first_day.year}-q{(self.first_day.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return f"{self.first_day.year}"
        return f"{self.first_day:%Y-%m-%d}_{self.last_day:%Y-%m-%d}"

    def reckoned_to(self, today: date) -> date:
        """The day the period's stocks (in progress, overdue) are counted at: its last day, or today while it runs."""
        return min(self.last_day, today)

    def whole_year(self) -> "Period":
        """The year the period ends in."""
        return Period.year(self.last_day.year)

    def months(self) -> list[date]:
        """The first day of each month the period touches."""
        months, month = [], self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class ReportFilters:
    """What the figures are restricted to (None: everything)."""

    agency_id: int | None = None
    agency_level: str | None = None
    field_id: int | None = None
    procedure_id: int | None = None
    online_level: int | None = None
    channel: int | None = None
