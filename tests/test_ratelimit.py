"""The rate limiter: fixed windows in the tests' Redis database, and what it does when Redis is out."""

import datetime as dt
import html
import logging
import socket
import threading
import time

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from prefecture import ratelimit
from prefecture.ratelimit import Limiter, Rate, client_ip
from tests.antibot import proof

# A fixed moment, early in an hour-long window: the window's end is 50 minutes away.
NOW = dt.datetime(2026, 11, 10, 9, 10, tzinfo=dt.UTC)
HOURLY = Rate(3, 3600)


def closed_port() -> int:
    """A local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_redis():
    """A server that accepts connections and never answers: the worst case for a client."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_limit_refuses_beyond_its_rate_until_the_window_ends():
    limiter = Limiter()
    hits = [limiter.hit("test", "someone", HOURLY, now=NOW) for _ in range(4)]
    assert [hit.allowed for hit in hits] == [True, True, True, False]
    assert hits[-1].retry_after == 50 * 60
    # Another key has its own count; the next window starts afresh.
    assert limiter.hit("test", "someone else", HOURLY, now=NOW).allowed
    assert limiter.hit("test", "someone", HOURLY, now=NOW + dt.timedelta(minutes=50)).allowed
    assert limiter.fallback_count() == 0  # all counted in Redis


def test_counts_live_in_redis_under_hashed_keys_with_an_expiry():
    Limiter().hit("test", "victim@example.org", HOURLY, now=NOW)
    client = redis.Redis.from_url(settings.RATELIMIT_REDIS_URL)
    keys = client.keys(f"{settings.RATELIMIT_KEY_PREFIX}:*")
    assert len(keys) == 1
    assert b"victim" not in keys[0] and b"@" not in keys[0]  # no address in Redis
    assert 0 < client.ttl(keys[0]) <= 3601


def test_concurrent_hits_are_counted_exactly_across_connections():
    limiter = Limiter()
    start = threading.Barrier(12)
    allowed = []

    def hit():
        start.wait()
        allowed.append(Limiter().hit("race", "one IP", Rate(5, 3600), now=NOW).allowed)

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(allowed) == [False] * 7 + [True] * 5
    assert limiter.peek("race", "one IP", Rate(5, 3600), now=NOW) == 12


def test_with_redis_down_the_same_limits_hold_in_memory_and_it_is_logged_and_counted(settings, caplog):
    settings.RATELIMIT_REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    limiter = Limiter()
    with caplog.at_level(logging.WARNING, logger="prefecture.ratelimit"):
        hits = [limiter.hit("test", "someone", HOURLY, now=NOW) for _ in range(4)]
    # Neither everything blocked nor everything let through: the fourth hit is refused, as with Redis.
    assert [hit.allowed for hit in hits] == [True, True, True, False]
    assert limiter.fallback_count() == 4
    warnings = [record.getMessage() for record in caplog.records if record.name == "prefecture.ratelimit"]
    assert len(warnings) == 1  # said once, not once per request
    assert "Redis unreachable" in warnings[0] and "1 count(s)" in warnings[0]


def test_a_redis_that_never_answers_costs_one_short_timeout_then_is_left_alone(settings, silent_redis):
    settings.RATELIMIT_REDIS_URL = silent_redis
    limiter = Limiter()
    started = time.monotonic()
    first = limiter.hit("test", "someone", HOURLY, now=NOW)
    first_took = time.monotonic() - started
    started = time.monotonic()
    for _ in range(3):
        limiter.hit("test", "someone", HOURLY, now=NOW)
    next_took = time.monotonic() - started
    assert first.allowed and first_took < 1.0  # the socket timeout (0.1 s), not the default 5 s
    assert next_took < 0.05  # Redis is skipped for a few seconds rather than waited for at each request
    assert limiter.hit("test", "someone", HOURLY, now=NOW).allowed is False
    assert limiter.fallback_count() == 5


@pytest.mark.django_db
def test_a_refused_request_gets_the_429_page_with_retry_after_in_the_visitors_language(client, settings):
    settings.RATE_LIMITS = {"lost-link:ip": (1, 3600)}
    data = {"reference": "ABCD-EFGH", "email": "nom@example.org"}
    first = client.post(reverse("booking:lost-link"), {**data, "altcha": proof("lost-link")})
    refused = client.post(reverse("booking:lost-link"), {**data, "altcha": proof("lost-link")})
    assert first.status_code == 200
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = html.unescape(refused.content.decode())
    assert "Trop de demandes" in page and "Réessayez dans" in page
    assert "Une réservation déjà en cours est conservée" in page and "par téléphone" in page
    english = client.post(
        reverse("booking:lost-link"), {**data, "altcha": proof("lost-link")}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 429 and "Too many requests" in english.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy trusted: the header is the client's own word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote first is ignored
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.1"),  # fewer entries than proxies: not believed
    ],
)
def test_the_client_address_comes_from_forwarded_for_only_behind_trusted_proxies(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_module_limiter_is_the_one_the_forms_use():
    from booking import limits

    assert limits.limiter is ratelimit.limiter
