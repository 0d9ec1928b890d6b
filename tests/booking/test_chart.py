"""The statistics chart: a real axis, bars of a visible height in proportion, a legend clear of them."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from booking.chart import CHAR_WIDTH, Box, bar_chart, nice_step
from booking.services import check_in_booking
from booking.statistics import Figures
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person

MONDAY = dt.date(2026, 3, 16)


def _day(offset: int, **figures) -> Figures:
    return Figures(MONDAY + dt.timedelta(days=offset), "", **figures)


# A day as at the Hérault's counters: 800 places, a few dozen booked, a handful absent.
BUSY_WEEK = [
    _day(0, offered=800, booked=30, checked_in=20, no_shows=6),
    _day(1, offered=800, booked=12, checked_in=10, no_shows=2),
    _day(2, offered=0, booked=0),
    _day(3, offered=400, booked=57, checked_in=0, no_shows=0),
]


@pytest.mark.parametrize(("peak", "step"), [(0, 1), (3, 1), (7, 2), (12, 5), (57, 20), (800, 200), (1234, 500)])
def test_axis_steps_are_round_numbers_covering_the_peak_in_five_or_fewer(peak, step):
    assert nice_step(peak) == step
    assert peak <= 5 * step


def test_the_bookings_axis_has_several_evenly_spaced_round_ticks():
    chart = bar_chart(BUSY_WEEK)
    ticks = chart["ticks"]
    assert [tick.label for tick in ticks] == ["0", "20", "40", "60"]
    assert ticks[0].y == chart["plot"].bottom and ticks[-1].y == chart["plot"].y
    gaps = [upper.y - lower.y for lower, upper in zip(ticks, ticks[1:], strict=False)]
    assert gaps == pytest.approx([gaps[0]] * len(gaps), abs=0.2) and gaps[0] < 0
    assert [tick.label for tick in chart["rate_ticks"]] == ["0 %", "25 %", "50 %", "75 %", "100 %"]


def test_present_absent_and_awaited_bars_are_visible_and_in_proportion_beside_800_places():
    chart = bar_chart(BUSY_WEEK)
    monday = [bar for bar in chart["bars"] if bar.x < chart["plot"].x + chart["plot"].width / 4]
    assert [(bar.series, bar.value) for bar in monday] == [("checked_in", 20), ("no_shows", 6), ("awaited", 4)]
    per_booking = chart["plot"].height / 60  # the axis tops at 60
    for bar in monday:
        assert bar.height == pytest.approx(bar.value * per_booking, abs=0.1)
        assert bar.height >= 10  # six absents out of 800 places: still a bar one sees
    # Stacked from the baseline up, one on the other.
    assert monday[0].y + monday[0].height == pytest.approx(chart["plot"].bottom, abs=0.1)
    assert monday[1].y + monday[1].height == pytest.approx(monday[0].y, abs=0.1)
    assert not any(bar.value == 0 for bar in chart["bars"])


def test_the_fill_rate_is_a_point_per_day_with_places_on_its_own_axis():
    chart = bar_chart(BUSY_WEEK)
    plot = chart["plot"]
    rates = [(plot.bottom - point["y"]) / plot.height for point in chart["rate_points"]]
    assert rates == pytest.approx([30 / 800, 12 / 800, 57 / 400], abs=0.001)  # no point on a day without places


def test_the_legend_lies_under_the_plot_clear_of_every_bar_and_inside_the_picture():
    chart = bar_chart(BUSY_WEEK)
    plot = chart["plot"]
    assert [item.title for item in chart["legend"]] == [
        "Présents",
        "Absents",
        "Réservés, en attente",
        "Taux de remplissage",
    ]
    for item in chart["legend"]:
        assert item.y > plot.bottom + 20  # below the day labels too
        assert item.x + item.width <= chart["width"] and item.y + item.height <= chart["height"]
        assert item.width >= 18 + CHAR_WIDTH * len(item.title)
        assert not any(item.overlaps(bar) for bar in chart["bars"])
        assert not item.overlaps(Box(plot.x, plot.y, plot.width, plot.height))
    boxes = chart["legend"]
    assert not any(a.overlaps(b) for a in boxes for b in boxes if a is not b)


def test_a_long_period_labels_a_readable_number_of_days():
    days = [_day(n, offered=10, booked=n % 7) for n in range(120)]
    chart = bar_chart(days)
    assert 8 <= len(chart["day_labels"]) <= 14
    assert all(bar.width >= 1 for bar in chart["bars"])


@pytest.mark.django_db
def test_the_statistics_page_draws_an_accessible_svg_of_the_figures(client, head):
    site = SiteFactory()
    monday = next_weekday(0)
    counter_type = CounterTypeFactory(site=site)
    slot = SlotFactory(counter_type=counter_type, starts_at=at(monday, 9), capacity=200)
    bookings = [book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(n)) for n in range(3)]
    check_in_booking(booking=bookings[0], agent=head, now=slot.starts_at)
    log_in(client, head)
    day = monday.isoformat()
    page = client.get(reverse("staff:statistics"), {"site": site.pk, "start": day, "end": day}).content.decode()

    svg = ET.fromstring(re.search(r"<svg.*?</svg>", page, re.DOTALL).group())
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "chart-title chart-desc"
    assert svg.find("title").text and "3 rendez-vous réservés, dont 1 présents" in svg.find("desc").text
    assert [t.text for t in svg.iter("text") if t.get("class") == "tick"] == ["0", "1", "2", "3"]
    bars = [rect for rect in svg.iter("rect") if rect.get("class") == "bar"]
    assert [(bar.get("data-series"), bar.get("data-value")) for bar in bars] == [("checked_in", "1"), ("awaited", "2")]
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2) and heights[0] > 50
    lowest_bar = max(float(bar.get("y")) + float(bar.get("height")) for bar in bars)
    legend = next(g for g in svg.iter("g") if g.get("class") == "legend")
    assert min(float(rect.get("y")) for rect in legend.iter("rect")) > lowest_bar + 20
    assert "," not in svg.find("rect[@class='bar']").get("y")  # numbers stay SVG numbers in French
