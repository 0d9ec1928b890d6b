"""Celery for real: a worker process on Redis, a broker that is down, a broker that never answers.

Elsewhere tasks run eagerly; here the web side publishes to a broker, as in production. Every key
this module writes to Redis carries a prefix of its own run, and only those keys are deleted: the
Redis database it is given may hold someone else's data.
"""

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection
from kombu import pools as kombu_pools

from booking.models import Booking, OutboundEmail
from booking.tasks import send_email_task, sweep_outbox_task
from prefecture.celery import app as celery_app
from prefecture.dispatch import background_publisher, send_task_safely
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.celery_worker

TEST_BROKER_URL = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
NAMESPACE_FAMILY = "celery-test-"
DEFAULT_QUEUE = "celery"

# The worker, run as `celery -A prefecture worker` would be, with its keys under the run's prefix.
WORKER_MAIN = (
    "import sys; from prefecture.celery import app; "
    "app.conf.broker_transport_options = {**app.conf.broker_transport_options, 'global_keyprefix': sys.argv[1]}; "
    "app.worker_main(sys.argv[2:])"
)


@contextmanager
def broker_namespace(url: str = TEST_BROKER_URL):
    """A key prefix of this run's own in the Redis database at `url`; its keys, and only they, go at the end."""
    prefix = f"{NAMESPACE_FAMILY}{uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{prefix}*", count=500):
            client.delete(key)
        client.close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released on exit: nothing listens there


def drain_publisher(timeout: float = 30) -> None:
    """Wait until the background publisher has tried everything queued before now."""
    background_publisher().submit(lambda: None).result(timeout=timeout)


def _reset_broker_pools() -> None:
    kombu_pools.reset()  # closes and forgets every pooled broker connection of this process
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def web_broker(url: str, *, prefix: str = ""):
    """Make this process publish to `url` (under `prefix`), not run tasks eagerly, as `make run` does."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager, conf.broker_transport_options
    _reset_broker_pools()
    conf.broker_url, conf.task_always_eager = url, False
    conf.broker_transport_options = {**saved[2], "global_keyprefix": prefix}
    try:
        yield
    finally:
        drain_publisher()
        _reset_broker_pools()
        conf.broker_url, conf.task_always_eager, conf.broker_transport_options = saved


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def future_slot(capacity: int = 5):
    return SlotFactory(
        starts_at=dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3), capacity=capacity
    )


def test_silent_redis_leaves_booking_latency_unchanged(db, silent_redis, django_capture_on_commit_callbacks):
    url, accepted = silent_redis
    slot = future_slot()
    with web_broker(url):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
        elapsed = time.monotonic() - started
        # Below the 2 s socket timeout: the request did not wait for the broker at all.
        assert elapsed < 1.5, f"booking took {elapsed:.1f} s with a silent broker"
        started = time.monotonic()
        drain_publisher()
        # The background publish gave up on its own, within the configured timeouts (minutes without them).
        assert time.monotonic() - started < 5
    assert accepted, "the publish never reached the silent server: this test tested nothing"
    assert OutboundEmail.objects.get(booking=booking, kind="confirmation").status == OutboundEmail.Status.QUEUED


def test_publish_to_a_silent_redis_gives_up_within_seconds(silent_redis):
    url, _accepted = silent_redis
    with web_broker(url):
        started = time.monotonic()
        assert send_task_safely(send_email_task, 0) is False
        assert time.monotonic() - started < 5


def test_a_run_deletes_its_own_broker_keys_and_nothing_else():
    client = redis.Redis.from_url(TEST_BROKER_URL)
    sentinel = f"sentinel-{uuid4().hex}"
    client.set(sentinel, "somebody else's data")
    try:
        with broker_namespace() as prefix:
            with web_broker(TEST_BROKER_URL, prefix=prefix):
                assert send_task_safely(send_email_task, 0) is True
            assert client.llen(f"{prefix}{DEFAULT_QUEUE}") == 1  # the message went under the prefix
        assert not list(client.scan_iter(match=f"{prefix}*"))
        assert client.get(sentinel) == b"somebody else's data"
    finally:
        client.delete(sentinel)
        client.close()


# --- A real worker ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="module")
def other_data():
    """A key someone else keeps in the test Redis database, there before the worker starts."""
    client = redis.Redis.from_url(TEST_BROKER_URL)
    key = f"sentinel-{uuid4().hex}"
    client.set(key, "somebody else's data")
    yield client, key
    client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def namespace():
    with broker_namespace() as prefix:
        yield prefix


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, mail_dir, other_data, namespace):
    """`celery worker` in its own process, on the test database and a key prefix of its own in Redis."""
    db = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "CELERY_BROKER_URL": TEST_BROKER_URL,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "SITE_URL": "http://testserver",
    }
    env.pop("EMAIL_HOST", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER_MAIN,
            namespace,
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    ready = threading.Event()

    def read():
        for line in process.stdout:
            log.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60):
        process.terminate()
        pytest.fail("the Celery worker did not start:\n" + "".join(log[-40:]))
    yield log
    process.terminate()
    process.wait(30)


def delivered(mail_dir: Path, message_id: str) -> int:
    return sum(path.read_text(errors="replace").count(f"Message-ID: {message_id}") for path in mail_dir.glob("*"))


def wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def wait_for_empty_queue(prefix: str, timeout: float = 30) -> None:
    client = redis.Redis.from_url(TEST_BROKER_URL)
    wait_until(lambda: client.llen(f"{prefix}{DEFAULT_QUEUE}") == 0, timeout)
    client.close()
    time.sleep(1.5)  # the last task taken may still be running


def test_a_real_worker_leaves_other_data_of_its_redis_database_intact(worker, other_data, namespace):
    client, key = other_data
    assert client.get(key) == b"somebody else's data"
    assert client.exists(f"{namespace}_kombu.binding.{DEFAULT_QUEUE}")  # the worker did declare its queue


def test_booking_leads_to_one_email_delivered_by_a_real_worker(transactional_db, worker, mail_dir, namespace):
    slot = future_slot()
    with web_broker(TEST_BROKER_URL, prefix=namespace):
        booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1))
        email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
        wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT)
        assert delivered(mail_dir, email.message_id) == 1

        # The same task delivered twice more: nothing more is sent.
        send_email_task.apply_async(args=[email.pk])
        send_email_task.apply_async(args=[email.pk])
        wait_for_empty_queue(namespace)
    assert delivered(mail_dir, email.message_id) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.SENT, 1)
    text = next(p for p in mail_dir.glob("*") if email.message_id in p.read_text(errors="replace")).read_text()
    assert "convocation-" in text and ".ics" in text


def test_broker_down_while_booking_then_back_and_swept_sends_exactly_one_email(
    transactional_db, worker, mail_dir, namespace
):
    slot = future_slot()
    with web_broker(f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(2))
        assert time.monotonic() - started < 1.5
        drain_publisher()
    assert Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).exists()
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert (email.status, email.attempts) == (OutboundEmail.Status.QUEUED, 0)

    # Minutes later, the broker is back and beat runs the sweep (twice, as it would).
    OutboundEmail.objects.filter(pk=email.pk).update(retry_after=email.retry_after - dt.timedelta(minutes=5))
    with web_broker(TEST_BROKER_URL, prefix=namespace):
        assert sweep_outbox_task() >= 1
        wait_until(lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT)
        assert sweep_outbox_task() == 0
        wait_for_empty_queue(namespace)
    assert delivered(mail_dir, email.message_id) == 1
    connection.close()
