"""The demo prefectures: Hérault (Montpellier), Hauts-de-Seine (Nanterre) and, overseas, La Réunion (Saint-Denis).

Figures follow what these prefectures publish: 800 visitors a day, 200 cards
handed over a day, 225 driving-licence exchanges a week, 100 extra weekly
appointments for students and employees, 200 places on an exceptional Saturday.
Their texts, in every shipped language, are in demo_content.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .demo_content import LOTTERY_OPENING, SATURDAY_OPENING, SITE_INFORMATION, procedure_fields, translations
from .models import Counter, CounterType, ExceptionalOpening, Handover, OpeningRule, Site

MON, TUE, WED, THU, FRI = range(5)
WEEKDAYS = (MON, TUE, WED, THU, FRI)
NOT_THURSDAY = (MON, TUE, WED, FRI)
MORNING_AFTERNOON = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(16, 0)))
HOUR = dt.timedelta(hours=1)


def _site(slug, **fields) -> Site:
    fields.update(translations("opening_information", SITE_INFORMATION[slug]))
    site, _ = Site.objects.update_or_create(slug=slug, defaults=fields)
    return site


def _type(site, code, **fields) -> CounterType:
    """A procedure with its texts in every language; the original `name` column too, in French."""
    texts = procedure_fields(code)
    fields.update(texts, name=texts["name_fr"])
    counter_type, _ = CounterType.objects.update_or_create(site=site, code=code, defaults=fields)
    return counter_type


def _counter(site, label, counter_type, *, days, hours, people=1, reserved=0) -> Counter:
    counter, _ = Counter.objects.update_or_create(site=site, label=label, defaults={"is_active": True})
    counter.counter_types.add(counter_type)
    counter.rules.all().delete()
    OpeningRule.objects.bulk_create(
        OpeningRule(
            counter=counter,
            counter_type=counter_type,
            weekday=day,
            start_time=start,
            end_time=end,
            people_per_slot=people,
            reserved_per_slot=reserved,
        )
        for day in days
        for start, end in hours
    )
    return counter


def _counters(site, prefix, count, counter_type, **rule) -> None:
    for number in range(1, count + 1):
        _counter(site, f"{prefix} {number}", counter_type, **rule)


def coming_saturday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)


def _seed_residence_procedures(site: Site) -> tuple[CounterType, CounterType, CounterType, CounterType]:
    """The procedures both demo prefectures share: expired permit, filing, card delivery, information."""
    expired = _type(
        site,
        "titre-expire",
        position=2,
        slot_duration_minutes=20,
        eligibility=CounterType.Eligibility.EXPIRED_PERMIT,
        handover=Handover.RECEIPT,
        min_days_ahead=0,
        max_days_ahead=14,
    )
    filing = _type(
        site,
        "depot-renouvellement",
        position=1,
        slot_duration_minutes=20,
        eligibility=CounterType.Eligibility.RENEWAL,
        handover=Handover.RECEIPT,
        urgent_counter_type=expired,
        max_days_ahead=60,
    )
    cards = _type(
        site,
        "remise-titre",
        position=3,
        slot_duration_minutes=10,
        eligibility=CounterType.Eligibility.CARD_READY,
        handover=Handover.PERMIT,
        max_days_ahead=30,
    )
    info = _type(
        site,
        "information",
        position=4,
        slot_duration_minutes=15,
        max_days_ahead=30,
    )
    return expired, filing, cards, info


@transaction.atomic
def seed_herault(today: dt.date) -> Site:
    site = _site(
        "herault",
        address="34 place des Martyrs de la Résistance",
        postal_code="34000",
        city="Montpellier",
        phone="04 67 61 61 61",
    )
    expired, filing, cards, info = _seed_residence_procedures(site)
    # 800 places a day: filing 15 counters × 16 slots (240), urgent 2 × 16 (32), card delivery
    # 5 × 33 × (1 + 1 kept for agents) (330), information 3 × 22 × (2 + 1 kept for agents) (198).
    # The places kept for agents serve people who call or come to the desk without internet.
    _counters(site, "Dépôt", 15, filing, days=WEEKDAYS, hours=MORNING_AFTERNOON)
    _counters(site, "Urgence", 2, expired, days=WEEKDAYS, hours=MORNING_AFTERNOON)
    _counters(site, "Remise", 5, cards, days=WEEKDAYS, hours=MORNING_AFTERNOON, people=1, reserved=1)
    _counters(site, "Information", 3, info, days=WEEKDAYS, hours=MORNING_AFTERNOON, people=2, reserved=1)
    saturday = coming_saturday(today)
    opening, _ = ExceptionalOpening.objects.update_or_create(
        site=site,
        date=saturday,
        start_time=dt.time(8, 30),
        defaults={
            "end_time": dt.time(12, 30),
            "places": 200,
            "published_at": ExceptionalOpening.objects.filter(site=site, date=saturday)
            .values_list("published_at", flat=True)
            .first()
            or timezone.now(),
            **translations("announcement_title", SATURDAY_OPENING["announcement_title"], day=saturday.day),
            **translations("announcement_text", SATURDAY_OPENING["announcement_text"]),
        },
    )
    opening.counter_types.set([filing, cards])
    return site


@transaction.atomic
def seed_hauts_de_seine(today: dt.date | None = None) -> Site:
    site = _site(
        "hauts-de-seine",
        address="167-177 avenue Joliot-Curie",
        postal_code="92000",
        city="Nanterre",
        phone="01 40 97 20 00",
    )
    expired, filing, cards, info = _seed_residence_procedures(site)
    licence = _type(
        site,
        "echange-permis",
        position=5,
        slot_duration_minutes=20,
        max_days_ahead=60,
    )
    students = _type(
        site,
        "etudiants-salaries",
        position=6,
        slot_duration_minutes=15,
        eligibility=CounterType.Eligibility.RENEWAL,
        urgent_counter_type=expired,
    )
    # The bureau du séjour is closed to the public on Thursdays …
    _counters(site, "Séjour", 6, filing, days=NOT_THURSDAY, hours=MORNING_AFTERNOON)
    _counters(site, "Urgence", 2, expired, days=NOT_THURSDAY, hours=MORNING_AFTERNOON)
    _counter(site, "Information", info, days=NOT_THURSDAY, hours=MORNING_AFTERNOON, people=1, reserved=1)
    # … while three card-delivery counters stay open every weekday: 3 × 33 slots × 2 = 198 cards a day.
    _counters(
        site,
        "Remise",
        3,
        cards,
        days=WEEKDAYS,
        hours=((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(16, 0))),
        people=2,
    )
    # 225 driving-licence exchanges a week: 3 counters × 15 slots × 5 days.
    _counters(
        site,
        "Permis",
        3,
        licence,
        days=WEEKDAYS,
        hours=((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(15, 30))),
    )
    # 100 extra appointments a week for students and employees: 25 a day, four days.
    _counter(
        site,
        "Étudiants et salariés",
        students,
        days=NOT_THURSDAY,
        hours=((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(16, 45))),
    )
    admission = _type(site, "admission-exceptionnelle", position=7, slot_duration_minutes=30)
    _seed_lottery_opening(site, admission, today or timezone.localdate())
    return site


def _seed_lottery_opening(site: Site, counter_type: CounterType, today: dt.date) -> ExceptionalOpening:
    """A Saturday morning in lottery mode: registrations open now until the Thursday before, at noon.

    The procedure has no weekly hours: its slot page finds no place, and offers the waiting list and the
    certificate. Run again, the window is kept (the draw may have happened).
    """
    saturday = coming_saturday(today + dt.timedelta(days=3))
    existing = ExceptionalOpening.objects.filter(site=site, date=saturday, start_time=dt.time(9)).first()
    now = timezone.now()
    closes_at = dt.datetime.combine(saturday - dt.timedelta(days=2), dt.time(12), tzinfo=site.zone)
    opening, _ = ExceptionalOpening.objects.update_or_create(
        site=site,
        date=saturday,
        start_time=dt.time(9),
        defaults={
            "end_time": dt.time(12),
            "places": 60,
            "published_at": existing.published_at if existing else now,
            "mode": ExceptionalOpening.Mode.LOTTERY,
            "registration_opens_at": existing.registration_opens_at if existing else now,
            "registration_closes_at": existing.registration_closes_at if existing else max(closes_at, now + HOUR),
            "confirm_hours": 24,
            **translations("announcement_title", LOTTERY_OPENING["announcement_title"], day=saturday.day),
            **translations("announcement_text", LOTTERY_OPENING["announcement_text"]),
        },
    )
    opening.counter_types.set([counter_type])
    return opening


@transaction.atomic
def seed_reunion() -> Site:
    """An overseas prefecture, four hours ahead of Paris (three in the Paris summer): its hours are its own."""
    site = _site(
        "la-reunion",
        address="6 rue des Messageries",
        postal_code="97400",
        city="Saint-Denis",
        phone="02 62 40 77 77",
        time_zone="Indian/Reunion",
    )
    expired, filing, cards, info = _seed_residence_procedures(site)
    hours = ((dt.time(8, 0), dt.time(12, 0)), (dt.time(13, 0), dt.time(15, 30)))
    _counters(site, "Séjour", 4, filing, days=WEEKDAYS, hours=hours)
    _counter(site, "Urgence", expired, days=WEEKDAYS, hours=hours)
    _counters(site, "Remise", 2, cards, days=WEEKDAYS, hours=hours, people=1, reserved=1)
    _counter(site, "Information", info, days=WEEKDAYS, hours=hours, people=1, reserved=1)
    return site
