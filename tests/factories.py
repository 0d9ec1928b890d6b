import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from booking.services import PersonData
from counters.models import Counter, CounterType, ExceptionalOpening, OpeningRule, Site, Slot
from counters.services import french_public_holidays

PARIS = ZoneInfo("Europe/Paris")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def next_weekday(weekday: int, *, after: dt.date | None = None, weeks: int = 0) -> dt.date:
    """The first `weekday` strictly after `after` (today by default) that is a working day, or the
    `weeks`-th working one after it.

    French public holidays are skipped, as slot generation skips them: "next Monday" run on the
    Wednesday before Easter would otherwise be Easter Monday, a day with no slot at all.
    """
    after = after or timezone.localdate()
    holidays = french_public_holidays(range(after.year, after.year + 2))
    day = after + dt.timedelta(days=(weekday - after.weekday()) % 7 or 7)
    found = -1
    while True:
        if day not in holidays:
            found += 1
            if found == weeks:
                return day
        day += dt.timedelta(days=7)


def days_through(day: dt.date) -> int:
    """How many days `generate_slots(days=…)`, starting today, must cover to reach `day`."""
    return (day - timezone.localdate()).days + 1


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Préfecture {n}")
    slug = factory.Sequence(lambda n: f"site-{n}")
    address = "1 rue de la République"
    postal_code = "34000"
    city = "Montpellier"


class CounterTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounterType

    site = factory.SubFactory(SiteFactory)
    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Démarche {n}")
    documents_to_bring = "Passeport\nJustificatif de domicile"
    slot_duration_minutes = 15
    min_days_ahead = 0
    max_days_ahead = 60


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    label = factory.Sequence(lambda n: f"Guichet {n}")

    @factory.post_generation
    def counter_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.counter_types.add(*extracted)


class OpeningRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningRule

    counter = factory.SubFactory(CounterFactory)
    counter_type = factory.SubFactory(CounterTypeFactory)
    weekday = 0
    start_time = dt.time(9, 0)
    end_time = dt.time(12, 0)
    people_per_slot = 1


class ExceptionalOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExceptionalOpening
        skip_postgeneration_save = True

    site = factory.SubFactory(SiteFactory)
    date = factory.LazyFunction(lambda: next_weekday(5))
    start_time = dt.time(8, 30)
    end_time = dt.time(12, 30)
    places = 200
    published_at = factory.LazyFunction(timezone.now)
    announcement_title = "Ouverture exceptionnelle samedi matin"

    @factory.post_generation
    def counter_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.counter_types.set(extracted)


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot

    counter_type = factory.SubFactory(CounterTypeFactory)
    counter = factory.SubFactory(CounterFactory, site=factory.SelfAttribute("..counter_type.site"))
    starts_at = factory.LazyFunction(lambda: at(next_weekday(0), 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=15))
    capacity = 1


def person(n: int = 0, **overrides) -> PersonData:
    data = {
        "last_name": "Diallo",
        "first_names": "Aminata",
        "birth_date": dt.date(1990, 5, 17),
        "nationality": "SN",
        "email": f"aminata{n}@example.org",
        "foreigner_number": f"{7500000000 + n}",
    }
    data.update(overrides)
    return PersonData(**data)


def book_confirmed(**kwargs):
    """Book as the public flow does, then confirm from the e-mail's link: a CONFIRMED online booking."""
    from booking.services import book_appointment, confirm_hold

    held = book_appointment(**kwargs)
    if held.verification_token is None:  # booked by an agent: confirmed already
        return held
    return confirm_hold(token=held.verification_token, now=kwargs.get("now"))
