"""The information service's figures for heads of bureau: questions received and answered, the time to a first
answer (median and 90th percentile), the backlog by age, calls logged per day and topic, helpfulness.

A few grouped queries whatever the period; days are the site's days (its time zone). Anonymised questions count
as the others: anonymising blanks their texts, never their dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.exports import _cell as safe_cell
from counters.models import Site
from counters.selectors import day_bounds
from prefecture.content import localized

from .models import PhoneCall, Question

Status = Question.Status
# The backlog's ages: open questions received less than 1 day ago, 1 to 3 days, 3 to 7 days, more.
AGE_BUCKETS = ((0, 1), (1, 3), (3, 7), (7, None))


@dataclass
class CallLine:
    day: dt.date
    topic: str
    answered: int = 0
    transferred: int = 0
    with_booking: int = 0

    @property
    def total(self) -> int:
        return self.answered + self.transferred


@dataclass
class QuestionFigures:
    received: int = 0
    answered: int = 0
    median_hours: float | None = None
    p90_hours: float | None = None
    backlog: list[tuple[str, int]] = field(default_factory=list)
    calls: list[CallLine] = field(default_factory=list)
    calls_total: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def helpful_rate(self) -> int | None:
        rated = self.helpful + self.not_helpful
        return round(100 * self.helpful / rated) if rated else None


def get_question_figures(
    *, site: Site, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> QuestionFigures:
    now = now or timezone.now()
    tz = ZoneInfo(site.time_zone)
    first, _unused = day_bounds(start, tz)
    _unused, after_last = day_bounds(end, tz)
    questions = Question.objects.filter(site=site)
    figures = QuestionFigures()
    figures.received = questions.filter(received_at__gte=first, received_at__lt=after_last).count()
    answered = questions.filter(first_answered_at__gte=first, first_answered_at__lt=after_last)
    totals = answered.aggregate(
        n_answered=Count("pk"),
        n_helpful=Count("pk", filter=Q(helpful=True)),
        n_not_helpful=Count("pk", filter=Q(helpful=False)),
    )
    figures.answered, figures.helpful = totals["n_answered"], totals["n_helpful"]
    figures.not_helpful = totals["n_not_helpful"]
    figures.median_hours, figures.p90_hours = _delays(site=site, first=first, after_last=after_last)
    figures.backlog = _backlog(questions.filter(status=Status.OPEN), now=now)
    figures.calls = _calls(site=site, first=first, after_last=after_last, tz=tz)
    figures.calls_total = sum(line.total for line in figures.calls)
    return figures


def _delays(*, site: Site, first: dt.datetime, after_last: dt.datetime) -> tuple[float | None, float | None]:
    """Median and 90th percentile of the hours from receipt to first answer, of the questions first answered in
    the period (PostgreSQL's percentile_cont; elsewhere computed here)."""
    rows = Question.objects.filter(site=site, first_answered_at__gte=first, first_answered_at__lt=after_last)
    if connection.vendor == "postgresql":
        sql, params = rows.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM "
                "q.first_answered_at - q.received_at) / 3600.0) FROM questions_question q WHERE q.id IN (" + sql + ")",
                params,
            )
            result = cursor.fetchone()[0]
        return (round(result[0], 1), round(result[1], 1)) if result else (None, None)
    hours = sorted(
        (answered - received).total_seconds() / 3600
        for answered, received in rows.values_list("first_answered_at", "received_at")
    )
    if not hours:
        return None, None
    return round(_percentile(hours, 0.5), 1), round(_percentile(hours, 0.9), 1)


def _percentile(values: list[float], fraction: float) -> float:
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def _backlog(open_questions, *, now: dt.datetime) -> list[tuple[str, int]]:
    counts = {}
    for low, high in AGE_BUCKETS:
        condition = Q(received_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            condition &= Q(received_at__gt=now - dt.timedelta(days=high))
        counts[(low, high)] = Count("pk", filter=condition)
    result = open_questions.aggregate(**{f"b{i}": c for i, c in enumerate(counts.values())})
    return [(_age_label(low, high), result[f"b{i}"]) for i, (low, high) in enumerate(counts)]


def _age_label(low: int, high: int | None) -> str:
    if low == 0:
        return _("Moins d'un jour")
    if high is None:
        return _("Plus de %(days)s jours") % {"days": low}
    return _("De %(low)s à %(high)s jours") % {"low": low, "high": high}


def _calls(*, site: Site, first: dt.datetime, after_last: dt.datetime, tz: ZoneInfo) -> list[CallLine]:
    rows = (
        PhoneCall.objects.filter(site=site, called_at__gte=first, called_at__lt=after_last)
        .annotate(day=TruncDate("called_at", tzinfo=tz), topic_name=localized("topic__name"))
        .values("day", "topic_id", "topic_name")
        .annotate(
            answered=Count("pk", filter=Q(outcome=PhoneCall.Outcome.ANSWERED)),
            transferred=Count("pk", filter=Q(outcome=PhoneCall.Outcome.TRANSFERRED)),
            with_booking=Count("pk", filter=Q(booking__isnull=False)),
        )
        .order_by("day", "topic_name")
    )
    return [
        CallLine(row["day"], row["topic_name"], row["answered"], row["transferred"], row["with_booking"])
        for row in rows
    ]


def count_calls_on(*, site: Site, day: dt.date) -> int:
    first, after = day_bounds(day, ZoneInfo(site.time_zone))
    return PhoneCall.objects.filter(site=site, called_at__gte=first, called_at__lt=after).count()


def figures_csv(figures: QuestionFigures) -> str:
    """The figures as CSV: one section of key figures, then the backlog, then the calls per day and topic."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Indicateur"), _("Valeur")])
    writer.writerow([_("Questions reçues"), figures.received])
    writer.writerow([_("Questions répondues"), figures.answered])
    writer.writerow([_("Délai médian de première réponse (heures)"), _blank(figures.median_hours)])
    writer.writerow([_("Délai de première réponse, 90e centile (heures)"), _blank(figures.p90_hours)])
    writer.writerow([_("Réponses jugées utiles"), figures.helpful])
    writer.writerow([_("Réponses jugées inutiles"), figures.not_helpful])
    for label, count in figures.backlog:
        writer.writerow([_("Questions en attente : %(age)s") % {"age": label}, count])
    writer.writerow([])
    writer.writerow([_("Jour"), _("Thème"), _("Appels répondus"), _("Appels transférés"), _("Rendez-vous pris")])
    for line in figures.calls:
        writer.writerow(
            [line.day.isoformat(), safe_cell(line.topic), line.answered, line.transferred, line.with_booking]
        )
    return out.getvalue()


def _blank(value) -> str:
    return "" if value is None else str(value)
