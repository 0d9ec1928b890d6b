"""What the benchmarks book and read, made afresh in the bench database on each run.

Runs in the harness's own process, on PostgreSQL directly. Procedures made
here have codes starting with "bench-" and live at the demo Hérault site; a run
first removes what the previous one left.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from booking.identity import identity_key
from booking.lottery.models import Lottery, Registration
from booking.lottery.services import ensure_lottery
from booking.models import Booking, OutboundEmail
from counters.models import Counter, CounterType, ExceptionalOpening, Site, Slot
from counters.services import publish_opening
from prefecture.benchfloor import TABLE as FLOOR_TABLE


@dataclass(frozen=True)
class SlotTarget:
    """A time residents aim for, as the flow client needs it."""

    counter_type_id: int
    slot_id: int
    starts_at: str  # as the page shows it: ISO, in the site's time zone
    day: str

    def flow_args(self) -> dict:
        return {"counter_type_id": self.counter_type_id, "starts_at": self.starts_at, "day": self.day}


def ensure_database() -> None:
    name = connections["default"].settings_dict["NAME"]
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, slot_id bigint NOT NULL, "
            "token text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"TRUNCATE {FLOOR_TABLE}")


def site() -> Site:
    return Site.objects.get(slug="herault")


@transaction.atomic
def clear_previous_run() -> None:
    bench_types = CounterType.objects.filter(code__startswith="bench-")
    clear_openings(bench_types)
    Booking.objects.filter(counter_type__in=bench_types).delete()
    Slot.objects.filter(counter_type__in=bench_types).delete()
    ExceptionalOpening.objects.filter(announcement_title__startswith=OPENING_TITLE).delete()
    Counter.objects.filter(label__startswith="Banc ").delete()
    bench_types.delete()


OPENING_TITLE = "Banc d'essai"


def _opening(counter_type: CounterType, day: dt.date) -> ExceptionalOpening:
    """An unpublished first-come opening holding the bench's slots, whose slots exist already.

    Slots outside any opening are the weekly hours' own: the slot generation (every 5 minutes, Celery
    beat) would close those no hours give, the bench's, in the middle of a phase.
    """
    opening = ExceptionalOpening.objects.create(
        site=site(),
        date=day,
        start_time=dt.time(9),
        end_time=dt.time(18),
        places=1,
        announcement_title=f"{OPENING_TITLE} {counter_type.code}",
        slots_created_at=timezone.now(),
    )
    opening.counter_types.add(counter_type)
    return opening


def clear_openings(bench_types) -> None:
    """The exceptional openings of bench procedures (bench/fairness.py's lottery), their draws and slots."""
    openings = ExceptionalOpening.objects.filter(counter_types__in=bench_types).distinct()
    Registration.objects.filter(lottery__opening__in=openings).delete()
    Lottery.objects.filter(opening__in=openings).delete()
    Booking.objects.filter(slot__opening__in=openings).delete()
    Slot.objects.filter(opening__in=openings).delete()
    ExceptionalOpening.objects.filter(pk__in=[opening.pk for opening in openings]).delete()


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(site().time_zone))


def _procedure(code: str, *, counters: int) -> tuple[CounterType, list[Counter]]:
    counter_type = CounterType.objects.create(
        site=site(), code=code, name=f"Banc d'essai {code}", slot_duration_minutes=15, min_days_ahead=0
    )
    made = Counter.objects.bulk_create(Counter(site=site(), label=f"Banc {code} {n}") for n in range(counters))
    for counter in made:
        counter.counter_types.add(counter_type)
    return counter_type, made


def one_slot(code: str, *, capacity: int) -> SlotTarget:
    """A procedure with a single slot, three days ahead at 10:00."""
    counter_type, (counter,) = _procedure(code, counters=1)
    starts_at = _local(timezone.localdate() + dt.timedelta(days=3), 10)
    slot = Slot.objects.create(
        counter_type=counter_type,
        counter=counter,
        opening=_opening(counter_type, starts_at.date()),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=15),
        capacity=capacity,
    )
    return SlotTarget(counter_type.pk, slot.pk, starts_at.isoformat(), starts_at.date().isoformat())


@dataclass(frozen=True)
class LotteryTarget:
    """An opening in lottery mode: where people register, and its slots' procedure."""

    opening_id: int
    counter_type_id: int


def lottery_opening(code: str, *, places: int, closes_in: dt.timedelta) -> LotteryTarget:
    """An opening of `places` places in lottery mode, a week ahead at 09:00 (one slot of 15 minutes), published,
    its registration window open from now for `closes_in`; its lottery (the seed's commitment) ready."""
    counter_type, _counters = _procedure(code, counters=1)
    now = timezone.now()
    opening = ExceptionalOpening.objects.create(
        site=site(),
        date=timezone.localdate() + dt.timedelta(days=7),
        start_time=dt.time(9, 0),
        end_time=dt.time(9, 15),
        places=places,
        announcement_title=f"Banc d'essai {code}",
        mode=ExceptionalOpening.Mode.LOTTERY,
        registration_opens_at=now - dt.timedelta(minutes=1),
        registration_closes_at=now + closes_in,
    )
    opening.counter_types.set([counter_type])
    publish_opening(opening=opening, at=now - dt.timedelta(minutes=1), confirmed=True)
    ensure_lottery(opening)
    return LotteryTarget(opening.pk, counter_type.pk)


def close_registrations(target: LotteryTarget) -> None:
    """Close the window now (as staff may by editing the opening), for the draw to be due."""
    ExceptionalOpening.objects.filter(pk=target.opening_id).update(registration_closes_at=timezone.now())


def slots_every_day(code: str, *, counters: int, days: int = 46, per_day: int = 3) -> SlotTarget:
    """`counters` counters, each with `per_day` slots every day of the window (46 × 3 = 138 slots each)."""
    counter_type, made = _procedure(code, counters=counters)
    first = timezone.localdate() + dt.timedelta(days=1)
    openings = {counter.pk: _opening(counter_type, first) for counter in made}  # one time per opening
    Slot.objects.bulk_create(
        Slot(
            counter_type=counter_type,
            counter=counter,
            opening=openings[counter.pk],
            starts_at=_local(first + dt.timedelta(days=d), 9 + h),
            ends_at=_local(first + dt.timedelta(days=d), 9 + h, 15),
            capacity=1000,
        )
        for counter in made
        for d in range(days)
        for h in range(per_day)
    )
    starts_at = _local(first + dt.timedelta(days=days // 2), 9)
    slot = Slot.objects.filter(counter_type=counter_type, starts_at=starts_at).order_by("pk").first()
    return SlotTarget(counter_type.pk, slot.pk, starts_at.isoformat(), starts_at.date().isoformat())


def read_procedure() -> CounterType:
    """The demo's busiest procedure: filing or renewing a permit at Montpellier, 60 days of slots."""
    return CounterType.objects.get(site__slug="herault", code="depot-renouvellement")


def queue_confirmations(target: SlotTarget, count: int) -> list[int]:
    """`count` bookings on one slot, each with its confirmation queued in the outbox (no task sent)."""
    bookings = Booking.objects.bulk_create(
        Booking(
            reference=f"BANC{n:06d}",
            token=secrets.token_urlsafe(32),
            slot_id=target.slot_id,
            counter_type_id=target.counter_type_id,
            last_name="Banc",
            first_names=f"Courriel {n}",
            birth_date=dt.date(1990, 1, 1),
            nationality="MA",
            email=f"courriel{n}@example.org",
            foreigner_number=f"{9100000000 + n}",
            foreigner_key=identity_key("foreigner", f"{9100000000 + n}", dt.date(1990, 1, 1)),
        )
        for n in range(count)
    )
    emails = OutboundEmail.objects.bulk_create(
        OutboundEmail(booking=booking, kind=OutboundEmail.Kind.CONFIRMATION) for booking in bookings
    )
    return [email.pk for email in emails]


def count_sent(ids: list[int]) -> int:
    return OutboundEmail.objects.filter(pk__in=ids, status=OutboundEmail.Status.SENT).count()


def count_bookings(target: SlotTarget) -> tuple[int, int, int]:
    """Bookings confirmed on the slot, those taking a place (confirmed or held), and the slot's own count."""
    slot = Slot.objects.get(pk=target.slot_id)
    bookings = Booking.objects.filter(slot_id=slot.pk)
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED).count()
    taking = bookings.filter(status__in=[Booking.Status.CONFIRMED, Booking.Status.HELD]).count()
    return confirmed, taking, slot.booked


def count_sent_for_slot(target: SlotTarget) -> tuple[int, int]:
    """Confirmation rows of the slot's bookings: sent, and in all."""
    rows = OutboundEmail.objects.filter(booking__slot_id=target.slot_id, kind=OutboundEmail.Kind.CONFIRMATION)
    return rows.filter(status=OutboundEmail.Status.SENT).count(), rows.count()


def count_slots(target: SlotTarget) -> int:
    return Slot.objects.filter(counter_type_id=target.counter_type_id).count()
