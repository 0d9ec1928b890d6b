"""Where an answer's time goes: each step of the flow in-process, its SQL, and a cProfile summary.

Run by bench/run.py after the load phases, to explain the figures that miss
their target. In-process (Django's test client, DEBUG off), so it shows the
application's own cost without the network and server layers. (Not named
profile.py: that would hide the standard module cProfile imports.)
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict
from pathlib import Path

from django.db import connection
from django.test import Client

from booking.models import Booking
from booking.services.holds import verification_code

from . import data
from .flow import identity, resident_address, solve_proof

ROOT_PREFIX = Path(__file__).resolve().parent.parent


class StepTimes:
    def __init__(self) -> None:
        self.total: dict[str, list[float]] = defaultdict(list)
        self.sql: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self._sql_ms = 0.0
        self._queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self._sql_ms += (time.perf_counter() - started) * 1000
            self._queries += 1

    def request(self, name: str, send):
        self._sql_ms, self._queries = 0.0, 0
        started = time.perf_counter()
        response = send()
        self.total[name].append((time.perf_counter() - started) * 1000)
        self.sql[name].append(self._sql_ms)
        self.queries[name].append(self._queries)
        return response

    def rows(self) -> list[str]:
        lines = ["| Step | ms per answer | of which SQL | queries |", "|---|---|---|---|"]
        for name, values in self.total.items():
            n = len(values)
            lines.append(
                f"| {name} | {sum(values) / n:.1f} | {sum(self.sql[name]) / n:.1f} | "
                f"{sum(self.queries[name]) / n:.0f} |"
            )
        return lines


def attempt(times: StepTimes, target: data.SlotTarget, n: int, profiler: cProfile.Profile | None = None) -> None:
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=resident_address(n))
    # No questions for the bench's procedure: its link leads straight to the times.
    times.request("start (redirect)", lambda: client.get(f"/rendez-vous/demarche/{target.counter_type_id}/"))
    times.request("times page", lambda: client.get("/rendez-vous/creneau/"))
    choice = {"jour": target.day, "starts_at": target.starts_at}
    times.request("choose a time (POST)", lambda: client.post("/rendez-vous/creneau/", choice))
    times.request("identity page", lambda: client.get("/rendez-vous/coordonnees/"))
    person = identity(n)
    times.request("identity (POST)", lambda: client.post("/rendez-vous/coordonnees/", person))
    times.request("review page", lambda: client.get("/rendez-vous/verification/"))
    challenge = times.request("proof's challenge", lambda: client.get("/anti-robot/defi/hold/"))
    if profiler is not None:
        profiler.disable()
    payload = solve_proof(challenge.json())  # the browser's work: neither timed nor profiled
    if profiler is not None:
        profiler.enable()
    response = times.request(
        "hold (POST)", lambda: client.post("/rendez-vous/verification/", {"certify": "on", "altcha": payload})
    )
    assert response.status_code == 302, response.status_code
    times.request("code page", lambda: client.get("/rendez-vous/code/"))
    held = Booking.objects.filter(slot_id=target.slot_id, email=person["email"]).latest("pk")
    code = verification_code(held)  # what the e-mail says, without waiting for a worker
    response = times.request("code (POST)", lambda: client.post("/rendez-vous/code/", {"code": code}))
    assert response.status_code == 302, response.status_code
    times.request("confirmation page", lambda: client.get(response["Location"]))


def profile(target: data.SlotTarget, *, attempts: int = 30) -> str:
    # New people on each run: the limits per identity, e-mail and IP (this process's own keys) last an hour.
    first = 900_000 + int(time.time()) // 60 % 1000 * 50
    times = StepTimes()
    attempt(times, target, first)  # warm up: templates compiled, connection open
    times = StepTimes()
    with connection.execute_wrapper(times):
        for n in range(attempts):
            attempt(times, target, first + 1 + n)
    profiler = cProfile.Profile()  # apart: its own overhead would swell the times above
    profiler.enable()
    for n in range(10):
        attempt(StepTimes(), target, first + 1 + attempts + n, profiler)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    summary = "\n".join(line.replace(str(ROOT_PREFIX), "") for line in out.getvalue().splitlines() if line.strip())
    return "\n".join(
        [
            f"In-process (Django's test client, DEBUG off), {attempts} residents booking one after the other, "
            "on the machine as it was after the load phases:",
            "",
            *times.rows(),
            "",
            "The functions with the most time of their own (cProfile, 10 more residents):",
            "",
            "```",
            summary,
            "```",
        ]
    )
