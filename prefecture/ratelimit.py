"""Counting requests per key in fixed windows, in Redis, with a fallback when Redis is out.

A limit is a number of hits per window (say 3 per hour). Each hit INCRs the
key of the current window (`<prefix>:<name>:<window>:<digest of the key>`)
and sets its expiry, in one pipelined transaction: atomic across processes
and servers. Keys are keyed hashes, so Redis holds no e-mail address or IP.

Fixed windows are simple and cheap; their known weakness (a burst at the end
of one window and the start of the next gets twice the limit) is accepted:
the limits are set with it in mind.

When Redis is down or silent (a socket timeout of RATELIMIT_TIMEOUT_SECONDS,
~100 ms), the limiter neither blocks every request nor lets everything
through: it counts in this process's memory, with the same limits, for a few
seconds before trying Redis again. With several processes, each counts
alone, so a client may get a few times the limit while Redis is out; that is
the price of staying up. Every fallback is counted (`fallback_count()`) and
logged, at most once a minute, with the running count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from .client_ip import client_ip as _client_address

logger = logging.getLogger(__name__)

# After a Redis failure, go straight to memory for this long (seconds): one timeout, not one per request.
REDIS_PAUSE = 5.0
WARNING_INTERVAL = 60.0


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


@dataclass(frozen=True)
class Hit:
    count: int  # hits in this window, this one included
    allowed: bool
    retry_after: int  # seconds until the window ends


class RateLimited(Exception):
    """Refused by a limit: answered with a 429 page and a Retry-After header (prefecture.middleware)."""

    def __init__(self, *, retry_after: int, name: str = ""):
        self.retry_after = max(int(retry_after), 1)
        self.name = name
        super().__init__(f"rate limited ({name}), retry after {self.retry_after}s")


def _digest(key: str) -> str:
    secret = hashlib.sha256(f"ratelimit:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()[:32]


def _window(rate: Rate, now: dt.datetime) -> tuple[int, int]:
    """The window's number and the seconds left in it."""
    stamp = int(now.timestamp())
    return stamp // rate.seconds, rate.seconds - stamp % rate.seconds


class _MemoryCounts:
    """The fallback: per-process counts of the current windows."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts: dict[str, tuple[int, float]] = {}  # key → (count, expiry as time.time())

    def incr(self, key: str, amount: int, ttl: int) -> int:
        with self.lock:
            now = time.time()
            if len(self.counts) > 10_000:
                self.counts = {k: v for k, v in self.counts.items() if v[1] > now}
            count, expiry = self.counts.get(key, (0, now + ttl))
            if expiry <= now:
                count, expiry = 0, now + ttl
            self.counts[key] = (count + amount, expiry)
            return count + amount


class Limiter:
    def __init__(self):
        self._clients: dict[str, redis.Redis] = {}
        self._memory = _MemoryCounts()
        self._lock = threading.Lock()
        self._paused_until = 0.0
        self._last_warning = 0.0
        self._fallbacks = 0

    def fallback_count(self) -> int:
        """How many counts went to memory because Redis was out, since this process started."""
        return self._fallbacks

    def _client(self) -> redis.Redis | None:
        url = settings.RATELIMIT_REDIS_URL
        if not url or time.monotonic() < self._paused_until:
            return None
        with self._lock:
            if url not in self._clients:
                timeout = settings.RATELIMIT_TIMEOUT_SECONDS
                self._clients[url] = redis.Redis.from_url(
                    url,
                    socket_timeout=timeout,
                    socket_connect_timeout=timeout,
                    retry_on_timeout=False,
                    retry=Retry(NoBackoff(), 0),
                    health_check_interval=0,
                )
            return self._clients[url]

    def _fell_back(self, error: Exception | None) -> None:
        with self._lock:
            self._fallbacks += 1
            if error is not None:
                self._paused_until = time.monotonic() + REDIS_PAUSE
            warn = time.monotonic() - self._last_warning >= WARNING_INTERVAL
            if warn:
                self._last_warning = time.monotonic()
        if warn:
            logger.warning(
                "Rate limits counted in memory, Redis unreachable (%s); %s count(s) so in this process",
                type(error).__name__ if error else "paused",
                self._fallbacks,
            )

    def _incr(self, key: str, amount: int, ttl: int) -> int:
        client = self._client()
        if client is not None:
            try:
                pipe = client.pipeline(transaction=True)
                pipe.incrby(key, amount)
                pipe.expire(key, ttl)
                return int(pipe.execute()[0])
            except redis.RedisError as error:
                self._fell_back(error)
        elif settings.RATELIMIT_REDIS_URL:
            self._fell_back(None)
        return self._memory.incr(key, amount, ttl)

    def _key(self, name: str, key: str, rate: Rate, now: dt.datetime) -> tuple[str, int]:
        window, left = _window(rate, now)
        return f"{settings.RATELIMIT_KEY_PREFIX}:{name}:{rate.seconds}:{window}:{_digest(key)}", left

    def hit(self, name: str, key: str, rate: Rate, *, now: dt.datetime | None = None) -> Hit:
        """Count one hit for `key` under the limit `name`; `allowed` is False once over the rate."""
        redis_key, left = self._key(name, key, rate, now or timezone.now())
        count = self._incr(redis_key, 1, rate.seconds + 1)
        return Hit(count=count, allowed=count <= rate.count, retry_after=left)

    def set_once(self, name: str, key: str, ttl: int) -> bool | None:
        """Record `key` for `ttl` seconds: True the first time, False after; None when Redis is out.

        No memory fallback here: what must be remembered across processes (a
        proof already used) falls back on the database instead.
        """
        client = self._client()
        if client is None:
            if settings.RATELIMIT_REDIS_URL:
                self._fell_back(None)
            return None
        try:
            return bool(client.set(f"{settings.RATELIMIT_KEY_PREFIX}:{name}:{key}", b"1", nx=True, ex=ttl))
        except redis.RedisError as error:
            self._fell_back(error)
            return None

    def peek(self, name: str, key: str, rate: Rate, *, now: dt.datetime | None = None) -> int:
        """The hits counted for `key` in the current window, without counting one."""
        redis_key, _ = self._key(name, key, rate, now or timezone.now())
        return self._incr(redis_key, 0, rate.seconds + 1)


limiter = Limiter()


def client_ip(request) -> str:
    """The client's address as prefecture.client_ip reads it, or "unknown" (a key must be a string)."""
    return _client_address(request) or "unknown"
