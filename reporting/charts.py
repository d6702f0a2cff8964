"""Charts as inline SVG drawn by the templates from these numbers (no script, no style attribute: the site's CSP
allows neither inline): horizontal bars, one per item, each labelled with its value. The page prints the same
numbers in a table beside the chart, for screen readers and for copying."""

from dataclasses import dataclass
from decimal import Decimal

from .numbers import grouped

ROW_HEIGHT = 28
BAR_HEIGHT = 18
LABEL_WIDTH = 220
BAR_AREA = 360
VALUE_WIDTH = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: int
    text_y: int
    # "low" below the chart's warning line (an on-time rate under 90 %), for the colour.
    low: bool


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_x: int = LABEL_WIDTH + 8
    value_x_pad: int = 6


def rate_chart(*, title: str, items: list[tuple[str, Decimal | None]], warn_below: Decimal = Decimal(90)) -> BarChart:
    """Bars of percentages (0-100) for `items` (label, rate); an item without a rate shows "—" and no bar."""
    bars = []
    for index, (label, rate) in enumerate(items):
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            Bar(
                label=label if len(label) <= 34 else label[:33] + "…",
                value_text="—" if rate is None else f"{grouped(rate, 2)}%",
                y=y,
                width=0 if rate is None else round(BAR_AREA * float(rate) / 100),
                text_y=y + BAR_HEIGHT - 4,
                low=rate is not None and rate < warn_below,
            )
        )
    return BarChart(
        title=title, bars=bars, width=LABEL_WIDTH + 8 + BAR_AREA + VALUE_WIDTH, height=max(1, len(items)) * ROW_HEIGHT
    )
