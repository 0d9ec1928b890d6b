"""Load generators: wrk for single-page loads, an asyncio client (bench/flow.py) for the booking flow."""

from __future__ import annotations

import asyncio
import itertools
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from .flow import Mailbox, Outcome, Resident, resident_address

# --- wrk -----------------------------------------------------------------------------------------

ROTATE_COOKIES = """
local cookies = {%(cookies)s}
local counter = 0
wrk.method = "%(method)s"
request = function()
  counter = counter + 1
  local headers = {}
  if #cookies > 0 then headers["Cookie"] = cookies[(counter %% #cookies) + 1] end
  return wrk.format(nil, "%(path)s", headers)
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


@dataclass
class WrkResult:
    requests: int
    per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non_2xx_3xx: int
    socket_errors: dict[str, int]

    @property
    def unanswered(self) -> int:
        return sum(self.socket_errors.values())


def run_wrk(
    url: str,
    path: str,
    *,
    connections: int,
    seconds: int,
    cookies: list[str] = (),
    method: str = "GET",
    timeout_s: int = 10,
    threads: int = 2,
) -> WrkResult:
    """wrk on `path`, each request with the next of `cookies` (one browser session each)."""
    script = ROTATE_COOKIES % {
        "cookies": ", ".join(f'"{cookie}"' for cookie in cookies),
        "method": method,
        "path": path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            f"--timeout={timeout_s}s",
            "--latency",
            f"--script={lua.name}",
            url,
        ]
        finished = subprocess.run(command, capture_output=True, text=True, check=True)
        output = finished.stdout + finished.stderr
    return parse_wrk(output)


def parse_wrk(output: str) -> WrkResult:
    latency = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output)
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.M))
    if not latency or len(percentiles) != 2:
        raise RuntimeError(f"wrk measured nothing:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        max_ms=_ms(latency.group(3)),
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        socket_errors=dict(zip(("connect", "read", "write", "timeout"), map(int, errors.groups()), strict=True))
        if errors
        else {},
    )


# --- the booking flow, many residents --------------------------------------------------------------


@dataclass
class FlowRun:
    """Every answer and outcome of a run of the flow."""

    outcomes: list[tuple[float, Outcome]] = field(default_factory=list)  # (finished at, outcome)
    errors: int = 0  # requests that got no answer at all (timeout, connection refused or reset)
    started: float = 0.0
    finished: float = 0.0

    @property
    def seconds(self) -> float:
        return self.finished - self.started

    @property
    def answers(self) -> list:
        return [answer for _, outcome in self.outcomes for answer in outcome.answers]

    def count(self, result: str) -> int:
        return sum(1 for _, outcome in self.outcomes if outcome.result == result)


async def _one_attempt(base_url: str, mailbox: Mailbox, target, n: int, run: FlowRun, timeout: float) -> None:
    """Person `n`: new cookies, a loopback address of its own (the limits per IP count people apart)."""
    resident = Resident(base_url, mailbox=mailbox, address=resident_address(n), timeout=timeout)
    try:
        outcome = await resident.attempt(**target.flow_args(), n=n)
    except (aiohttp.ClientError, TimeoutError, OSError):
        run.errors += 1
        outcome = Outcome("no-answer", resident.answers)
    finally:
        await resident.close()
    run.outcomes.append((time.perf_counter(), outcome))


async def rush(base_url: str, target, *, mailbox: Mailbox, clients: int, attempts: int, first_n: int = 0) -> FlowRun:
    """`clients` residents at once, each starting a new attempt (new person, new address) when one ends."""
    run = FlowRun()
    numbers = itertools.count(first_n)
    last = first_n + attempts

    async def client() -> None:
        while (n := next(numbers)) < last:
            await _one_attempt(base_url, mailbox, target, n, run, timeout=30)

    run.started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    run.finished = time.perf_counter()
    return run


async def steady(
    base_url: str, target, *, mailbox: Mailbox, attempts_per_s: float, seconds: float, first_n: int
) -> FlowRun:
    """New residents arrive at a fixed rate whatever the answers (open loop), for `seconds`."""
    run = FlowRun()
    run.started = time.perf_counter()
    tasks = []
    for i in range(int(attempts_per_s * seconds)):
        delay = run.started + i / attempts_per_s - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_one_attempt(base_url, mailbox, target, first_n + i, run, 15)))
    await asyncio.gather(*tasks)
    run.finished = time.perf_counter()
    return run


async def read_sessions(
    base_url: str, counter_type_id: int, *, mailbox: Mailbox, count: int, permit_expires_on: str
) -> list[str]:
    """`count` browser sessions that reached the slot page of a procedure, as Cookie header values."""
    cookies = []
    async with aiohttp.TCPConnector(limit=20) as connector:
        for n in range(count):
            resident = Resident(base_url, mailbox=mailbox, connector=connector)
            for _ in range(10):  # a server still shedding the previous phase's load asks to come back
                status, body, path = await resident.get_following(f"/rendez-vous/demarche/{counter_type_id}/")
                if status != 503:
                    break
                await asyncio.sleep(int(resident.answers[-1].retry_after or 1))
            if path.startswith("/rendez-vous/conditions/"):
                # A renewal of a permit expiring in a month: the day list is the renewal's own.
                answers = {"application_kind": "permit_renewal", "permit_expires_on": permit_expires_on}
                status, _, location = await resident.post(path, body, answers)
                status, body, path = await resident.get_following(location)
            assert status == 200 and path.startswith("/rendez-vous/creneau/"), (n, status, path)
            jar = resident.session.cookie_jar.filter_cookies(base_url)
            cookies.append("; ".join(f"{name}={morsel.value}" for name, morsel in jar.items()))
            await resident.close()
    return cookies


async def timed_gets(base_url: str, path: str, cookie: str, *, times: int) -> list[float]:
    """One visitor loading `path` again and again: milliseconds per answer."""
    durations = []
    async with aiohttp.ClientSession(base_url, headers={"Cookie": cookie}) as session:
        for _ in range(times):
            started = time.perf_counter()
            async with session.get(path) as response:
                await response.read()
                assert response.status == 200, response.status
            durations.append((time.perf_counter() - started) * 1000)
    return durations


async def timed_confirmations(
    base_url: str, target, *, mailbox: Mailbox, times: int, first_n: int
) -> tuple[list[float], list[float]]:
    """Residents one after the other, each booking: milliseconds of the holding POST and of the code's POST."""
    holds, codes = [], []
    for n in range(first_n, first_n + times):
        resident = Resident(base_url, mailbox=mailbox, address=resident_address(n))
        try:
            review = await resident.to_review(**target.flow_args(), n=n)
            assert not isinstance(review, Outcome), review
            before = len(resident.answers)
            outcome = await resident.confirm(review)
        finally:
            await resident.close()
        assert outcome.result == "booked", outcome
        # After the review: the challenge, the holding POST, the code page, the code's POST, the confirmation.
        holds.append(outcome.answers[before + 1].ms)
        codes.append(outcome.answers[-2].ms)
    return holds, codes


def tmp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="prefecture-bench-"))


async def settle(base_url: str, *, timeout: float = 90) -> float:
    """Wait until the home page answers 200 within a second again; returns the seconds waited."""
    started = time.perf_counter()
    async with aiohttp.ClientSession(base_url) as session:
        while time.perf_counter() - started < timeout:
            began = time.perf_counter()
            try:
                async with session.get("/", timeout=aiohttp.ClientTimeout(total=5)) as response:
                    await response.read()
                    if response.status == 200 and time.perf_counter() - began < 1:
                        return time.perf_counter() - started
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(1)
    return time.perf_counter() - started
