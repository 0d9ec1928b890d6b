"""The statistics chart, drawn on the server as SVG: no script, no external library.

Per day, a bar of the appointments booked, split into those who came, those absent and those
still awaited, on an axis of its own; and the fill rate (booked / places offered) as a line on
a second axis, in per cent. Places offered are often a hundred times the absences: drawn on the
same scale, they would flatten everything else. The figures themselves are in the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .statistics import Figures

SEGMENTS = [  # bottom to top; together, the bookings not cancelled
    ("checked_in", gettext_lazy("Présents"), "#18753c"),
    ("no_shows", gettext_lazy("Absents"), "#ce0500"),
    ("awaited", gettext_lazy("Réservés, en attente"), "#6a6af4"),
]
RATE_COLOUR = "#000091"
RATE_LABEL = gettext_lazy("Taux de remplissage")
FONT_SIZE = 12
CHAR_WIDTH = 7  # a generous average at FONT_SIZE, to lay out the legend without measuring text
MAX_DAY_LABELS = 14


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Bar(Box):
    colour: str = ""
    series: str = ""
    value: int = 0
    label: str = ""


@dataclass(frozen=True)
class Tick:
    value: float
    y: float
    label: str


@dataclass(frozen=True)
class LegendItem(Box):
    colour: str = ""
    title: str = ""
    line: bool = False  # a line sample (the rate) rather than a box


@dataclass(frozen=True)
class Plot(Box):
    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


def nice_step(peak: float, *, ticks: int = 5) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ step (at least 1) that covers `peak` in at most `ticks` steps."""
    if peak <= ticks:
        return 1
    magnitude = 10 ** math.floor(math.log10(peak / ticks))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude * ticks >= peak)


def _awaited(day: Figures) -> int:
    return max(day.booked - day.checked_in - day.no_shows, 0)


def _value(day: Figures, series: str) -> int:
    return _awaited(day) if series == "awaited" else getattr(day, series)


def _round(value: float) -> float:
    return round(value, 1)


def _scale(plot: Plot, top: float):
    return lambda value: plot.height * value / top


def _bars(days: list[Figures], plot: Plot, top: int) -> list[Bar]:
    height_of = _scale(plot, top)
    slot = plot.width / len(days)
    width = max(slot * 0.6, 1)
    bars = []
    for index, day in enumerate(days):
        x, base = plot.x + slot * index + (slot - width) / 2, plot.bottom
        for series, title, colour in SEGMENTS:
            value = _value(day, series)
            if not value:
                continue
            height = height_of(value)
            base -= height
            label = f"{formats.date_format(day.day, 'SHORT_DATE_FORMAT')} · {title} : {value}"
            bars.append(Bar(_round(x), _round(base), _round(width), _round(height), colour, series, value, label))
    return bars


def _rate_points(days: list[Figures], plot: Plot) -> list[dict]:
    slot = plot.width / len(days)
    points = []
    for index, day in enumerate(days):
        if day.fill_rate is None:
            continue
        rate = min(day.fill_rate, 1)
        label = f"{formats.date_format(day.day, 'SHORT_DATE_FORMAT')} · {RATE_LABEL} : {round(day.fill_rate * 100)} %"
        points.append(
            {"x": _round(plot.x + slot * (index + 0.5)), "y": _round(plot.bottom - plot.height * rate), "label": label}
        )
    return points


def _day_labels(days: list[Figures], plot: Plot) -> list[dict]:
    slot = plot.width / len(days)
    every = math.ceil(len(days) / MAX_DAY_LABELS)
    return [
        {"x": _round(plot.x + slot * (index + 0.5)), "text": f"{day.day:%d/%m}"}
        for index, day in enumerate(days)
        if index % every == 0
    ]


def _legend(*, left: float, top: float, width: float) -> list[LegendItem]:
    """One row under the plot, wrapped when it would run past the right edge."""
    entries = [(str(title), colour, False) for _series, title, colour in SEGMENTS] + [
        (str(RATE_LABEL), RATE_COLOUR, True)
    ]
    items, x, y = [], left, top
    for title, colour, line in entries:
        item_width = 18 + CHAR_WIDTH * len(title)
        if x + item_width > left + width and x > left:
            x, y = left, y + FONT_SIZE + 8
        items.append(LegendItem(_round(x), _round(y), item_width, FONT_SIZE, colour, title, line))
        x += item_width + 24
    return items


def bar_chart(days: list[Figures], *, width: int = 720, plot_height: int = 220) -> dict:
    """Geometry of the chart for `days` (one Figures per day, in order): the template only draws it."""
    plot = Plot(x=56, y=12, width=width - 56 - 56, height=plot_height)
    peak = max(day.booked for day in days)
    step = nice_step(peak)
    top = max(step * math.ceil(peak / step), step)
    legend = _legend(left=plot.x, top=plot.bottom + 40, width=plot.width)
    rate_points = _rate_points(days, plot)
    return {
        "width": width,
        "height": int(legend[-1].y + legend[-1].height + 12),
        "plot": plot,
        "ticks": [
            Tick(value, _round(plot.bottom - plot.height * value / top), str(value))
            for value in range(0, top + 1, step)
        ],
        "rate_ticks": [
            Tick(rate, _round(plot.bottom - plot.height * rate / 100), f"{rate} %") for rate in range(0, 101, 25)
        ],
        "bars": _bars(days, plot, top),
        "rate_colour": RATE_COLOUR,
        "rate_points": rate_points,
        "rate_line": " ".join(f"{point['x']},{point['y']}" for point in rate_points),
        "day_labels": _day_labels(days, plot),
        "legend": legend,
        "description": _description(days),
    }


def _description(days: list[Figures]) -> str:
    total = Figures(None, "")
    for day in days:
        total.add(day)
    values = {
        "start": formats.date_format(days[0].day, "j F Y"),
        "end": formats.date_format(days[-1].day, "j F Y"),
        "booked": total.booked,
        "came": total.checked_in,
        "absent": total.no_shows,
        "offered": total.offered,
        "rate": round(total.fill_rate * 100) if total.fill_rate is not None else 0,
    }
    return (
        _(
            "Du %(start)s au %(end)s : %(booked)s rendez-vous réservés, dont %(came)s présents et %(absent)s "
            "absents, pour %(offered)s places offertes (taux de remplissage %(rate)s %%)."
        )
        % values
    )
