"""Benchmarks, run by `make bench` on PostgreSQL; figures go to docs/benchmarks.md.

Never part of the test suite: timings depend on the machine. What they check
for correctness (no overbooking) is also asserted by the tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prefecture.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prefecture_bench")
# As in production, a booking only publishes its e-mail task; here to an in-memory broker.
os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from booking.eligibility import Answers  # noqa: E402
from booking.exceptions import AlreadyBooked, ServiceBusy, SlotFull  # noqa: E402
from booking.models import ApplicationKind, Booking  # noqa: E402
from booking.services import PersonData, book_appointment  # noqa: E402
from counters import selectors  # noqa: E402
from counters.models import CounterType, Slot  # noqa: E402
from counters.services import generate_slots  # noqa: E402

RESULTS: list[tuple[str, str]] = []
# The opening's procedures are filing and card delivery: answers both rules accept.
ANSWERS = Answers(ApplicationKind.FIRST, card_ready=True)


def ensure_database() -> None:
    name = settings.DATABASES["default"]["NAME"]
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def record(name: str, value: str) -> None:
    RESULTS.append((name, value))
    print(f"{name}: {value}")


def bench_generation() -> None:
    Slot.objects.filter(bookings__isnull=True).delete()
    started = time.perf_counter()
    report = generate_slots()
    first = time.perf_counter() - started
    started = time.perf_counter()
    generate_slots()
    again = time.perf_counter() - started
    record(
        "Slot generation, demo data, full horizon",
        f"{report.created} slots created in {first:.2f} s; regeneration with nothing to change {again:.2f} s",
    )


def bench_availability() -> None:
    counter_type = CounterType.objects.get(site__slug="herault", code="depot-renouvellement")
    samples = []
    for _ in range(50):
        started = time.perf_counter()
        days = selectors.list_available_days(counter_type)
        selectors.list_available_times(counter_type, day=days[0].day)
        samples.append((time.perf_counter() - started) * 1000)
    record(
        "Days and times with places left (Montpellier filing, 60 days)",
        f"median {statistics.median(samples):.1f} ms, max {max(samples):.1f} ms over 50 runs",
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/")  # warm up: templates compiled, connection open
    reset_queries()  # the generation above filled Django's query log past its limit
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/")
        home_ms = (time.perf_counter() - started) * 1000
    record("Home page", f"HTTP {response.status_code}, {home_ms:.1f} ms, {len(queries)} queries")


def person(n: int) -> PersonData:
    import datetime as dt

    return PersonData(
        last_name="Bench",
        first_names=f"P{n}",
        birth_date=dt.date(1990, 1, 1),
        nationality="MA",
        email=f"bench{n}@example.org",
        foreigner_number=f"{9000000000 + n}",
    )


def bench_rush(clients: int = 64, places: int = 50) -> None:
    """`clients` threads, each with its own connection, rush one slot of `places` places."""
    slot = Slot.objects.filter(opening__isnull=False, booked=0).order_by("starts_at").first()
    Slot.objects.filter(pk=slot.pk).update(capacity=places)
    Booking.objects.filter(last_name="Bench").delete()
    barrier = threading.Barrier(clients)
    outcomes: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            book_appointment(
                counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n), answers=ANSWERS
            )
            outcome = "booked"
        except (SlotFull, AlreadyBooked, ServiceBusy) as error:
            outcome = type(error).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)
            latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    slot.refresh_from_db()
    made = Booking.objects.filter(slot=slot, last_name="Bench").count()
    assert made == slot.booked == places, (made, slot.booked)
    latencies.sort()
    record(
        f"Rush: {clients} clients for one slot of {places} places",
        f"{outcomes.count('booked')} booked, {outcomes.count('SlotFull')} told full, "
        f"{outcomes.count('ServiceBusy')} told busy; slot booked={slot.booked} (never more); "
        f"{elapsed:.2f} s in all, p50 {latencies[len(latencies) // 2]:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms per booking",
    )
    Booking.objects.filter(slot=slot, last_name="Bench").delete()
    Slot.objects.filter(pk=slot.pk).update(booked=0)


def write_report() -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`) on PostgreSQL with the demo data. "
        f"Machine: {os.cpu_count()} cores. Figures vary with the machine; the rush also checks that "
        "no slot is ever overbooked. The rush runs its clients as threads of one Python process, so they also "
        "queue for the interpreter lock: a pessimistic figure next to web workers in separate processes. "
        "One slot's bookings are serialised by its row lock (the conditional UPDATE), held only until commit.",
        "",
        "| Benchmark | Result |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in RESULTS],
        "",
    ]
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines))


def main() -> None:
    ensure_database()
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))
    bench_generation()
    bench_availability()
    bench_rush()
    write_report()


if __name__ == "__main__":
    main()
