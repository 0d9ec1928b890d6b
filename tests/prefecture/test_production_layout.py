"""Smoke test of the production layout: nginx → gunicorn (shedding on) → PgBouncer → the test database.

The same layout `make serve-prod` and `make bench` run, started on free ports
with production settings, and residents driven over HTTP by bench/flow.py:
each from a loopback address of its own, solving the proof of work (made
cheap here: POW_COST), and typing the code the layout e-mailed to a file.
"""

import asyncio
import datetime as dt
import shutil
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import aiohttp
import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from bench.flow import Mailbox, Outcome, Resident, resident_address
from booking.models import Booking
from counters.models import Slot
from prefecture.deploy.layout import Layout, free_port
from tests.factories import CounterTypeFactory, SlotFactory
from tests.prefecture.conftest import database_url_for_tests

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

MAX_WAIT_MS = 1000


def start_layout(**env: str) -> Layout:
    run_dir = Path(tempfile.mkdtemp(prefix="prefecture-layout-"))
    run_dir.chmod(0o755)
    layout = Layout(
        database_url=database_url_for_tests(),
        broker_url="",  # no worker here: tasks run in the web process, after the commit
        run_dir=run_dir,
        http_port=free_port(),
        celery=False,
        migrate=False,
        web_workers=1,
        pool_size=4,
        env={
            "GUNICORN_THREADS": "8",
            "DATABASE_LOCK_TIMEOUT_MS": "10000",
            "LOG_LEVEL": "WARNING",
            "POW_COST": "20",
            **env,
        },
    )
    layout.start()
    return layout


@pytest.fixture(scope="module")
def layout(django_db_setup):
    """Shedding on, with a wait long enough for this machine, shared with other test runs, to serve them all."""
    layout = start_layout(ADMISSION_CONCURRENCY="4", ADMISSION_MAX_WAIT_MS="30000")
    yield layout
    layout.stop()
    shutil.rmtree(layout.run_dir, ignore_errors=True)


@pytest.fixture
def one_turn_layout(django_db_setup):
    """One request at a time, a short wait: shedding made easy to trigger."""
    layout = start_layout(
        ADMISSION_CONCURRENCY="1", ADMISSION_MAX_WAIT_MS=str(MAX_WAIT_MS), ADMISSION_RETRY_AFTER_S="15"
    )
    yield layout
    layout.stop()
    shutil.rmtree(layout.run_dir, ignore_errors=True)


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests leave an event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def open_slot(capacity: int) -> Slot:
    starts_at = (timezone.now() + dt.timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return SlotFactory(counter_type=CounterTypeFactory(min_days_ahead=0), starts_at=starts_at, capacity=capacity)


def slot_args(slot: Slot) -> dict:
    local = timezone.localtime(slot.starts_at)  # the site's time zone, as the page shows it
    return {"counter_type_id": slot.counter_type_id, "starts_at": local.isoformat(), "day": local.date().isoformat()}


def mailbox(layout: Layout) -> Mailbox:
    return Mailbox(layout.run_dir / "sent-emails")


async def crowd(layout: Layout, slot: Slot, clients: int) -> list[Outcome]:
    inbox = mailbox(layout)
    residents = [Resident(layout.base_url, mailbox=inbox, address=resident_address(n)) for n in range(clients)]
    try:
        return await asyncio.gather(*(resident.attempt(**slot_args(slot), n=n) for n, resident in enumerate(residents)))
    finally:
        await asyncio.gather(*(resident.close() for resident in residents))


def test_fifty_residents_for_ten_places_get_exactly_ten_bookings_and_no_5xx(layout):
    slot = open_slot(capacity=10)

    outcomes = run_apart(crowd(layout, slot, clients=50))

    results = [outcome.result for outcome in outcomes]
    statuses = [answer.status for outcome in outcomes for answer in outcome.answers]
    assert Counter(results) == {"booked": 10, "full": 40}
    assert not [status for status in statuses if status >= 500], Counter(statuses)
    assert Booking.objects.filter(slot=slot).count() == Slot.objects.get(pk=slot.pk).booked == 10
    # The secret links of these ten bookings were requested: none reached an access log.
    tokens = list(Booking.objects.values_list("token", flat=True))
    for log in ("nginx-access.log", "gunicorn.log"):
        text = (layout.run_dir / log).read_text()
        assert text.count("GET /rendez-vous/confirmation/[token]/") == 10, log
        assert not [token for token in tokens if token in text], log


def waiting_on_locks() -> int:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


async def hold_the_turn_then_knock(layout: Layout, slot: Slot, release: threading.Event):
    """A resident confirms on a locked slot (taking the only turn); another visitor knocks meanwhile."""
    base_url = layout.base_url
    async with aiohttp.TCPConnector(limit=0) as connector:
        holder = Resident(base_url, mailbox=mailbox(layout), connector=connector)
        visitor = Resident(base_url, mailbox=mailbox(layout), connector=connector)
        review = await holder.to_review(**slot_args(slot), n=100)
        confirming = asyncio.create_task(holder.confirm(review))
        deadline = time.monotonic() + 10
        while not await asyncio.to_thread(waiting_on_locks) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        started = time.monotonic()
        status, body, _ = await visitor.request("GET", "/", headers={"Accept-Language": "en"})
        shed = (status, visitor.answers[-1].retry_after, body.decode(), time.monotonic() - started)
        release.set()
        held = await confirming
        await holder.close()
        await visitor.close()
        return shed, held.result


def test_visitor_beyond_the_admission_limit_gets_a_quick_503_with_retry_after(one_turn_layout):
    slot = open_slot(capacity=5)
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with transaction.atomic():
            Slot.objects.select_for_update().get(pk=slot.pk)
            locked.set()
            release.wait(30)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(10)
    try:
        shed, held = run_apart(hold_the_turn_then_knock(one_turn_layout, slot, release))
    finally:
        release.set()
        holder.join()

    status, retry_after, page, waited = shed
    assert status == 503 and retry_after == "15"
    assert "Your booking in progress is kept" in page
    assert MAX_WAIT_MS / 1000 - 0.2 < waited < MAX_WAIT_MS / 1000 + 2
    assert held == "booked"  # the one who held the turn was served once the lock went


def test_answers_name_no_server_software_and_static_files_come_from_nginx(layout):
    async def heads():
        async with aiohttp.ClientSession(layout.base_url) as session:
            async with session.get("/") as page:
                css = next(line for line in (await page.text()).splitlines() if "/static/css/site." in line)
            path = css.split('href="')[1].split('"')[0]
            async with session.get(path) as static:
                return dict(page.headers), dict(static.headers), static.status

    page, static, status = run_apart(heads())
    assert "Server" not in page and "Server" not in static
    assert status == 200 and "immutable" in static["Cache-Control"]
