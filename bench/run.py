"""`make bench`: every figure against the production layout, load from this separate process.

nginx → gunicorn → PgBouncer → PostgreSQL, Celery worker and beat, production
settings (prefecture/deploy/layout.py, as `make serve-prod` runs it). wrk loads
single pages; the asyncio client of bench/flow.py runs residents through the
booking flow, each with its own cookies and CSRF token. Figures go to
bench/results.json and docs/benchmarks.md, next to the first run's
(bench/baseline.json, kept as the "before" column). Never part of the tests.

BENCH_QUICK=1 runs every phase small, to check the harness itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prefecture.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prefecture_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_DEBUG", "false")  # the harness's own requests (bench/profile.py) as in production

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import breakdown, cpu, data, emails, fairness, flow, inbox, load, report  # noqa: E402
from prefecture.deploy.layout import Layout, free_port  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
PLACES = 200
# A booking, request by request: the start (a redirect), the times, the choice, the identity (form, post),
# the review (form, the proof's challenge, the holding post), the code (form, post), the confirmation.
ANSWERS_PER_BOOKING = 11
CLIENTS = 50 if QUICK else 500
ATTEMPTS = 400 if QUICK else 10_000
READERS = 100
OVERLOAD_CLIENTS = 300 if QUICK else 2_000
PHASE_S = 5 if QUICK else 15
EMAILS = 200 if QUICK else 10_000
EMAIL_MAX_S = 30 if QUICK else 150
ALL_PHASES = {"floor", "read", "rush", "overload", "growth", "email", "profile", "inbox", "fairness"}
# The team's inbox (bench/inbox.py): questions stored, in this process through Django's test client.
INBOX_QUESTIONS = 5_000 if QUICK else 50_000
# A few phases only (BENCH_PHASES=overload,growth): printed, nothing written but bench/profile.md.
PHASES = set(os.environ.get("BENCH_PHASES", ",".join(sorted(ALL_PHASES))).split(","))


def mailbox(layout: Layout) -> flow.Mailbox:
    """The codes the layout's Celery worker e-mails, as files in its run folder (one reader per phase)."""
    return flow.Mailbox(layout.run_dir / "sent-emails")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def measure_floor(layout: Layout, slot_id: int) -> load.WrkResult:
    return load.run_wrk(layout.base_url, f"/bench/floor/{slot_id}/", connections=64, seconds=PHASE_S, method="POST")


def measure_read(layout: Layout, cookies: list[str], floor_per_s: float) -> dict:
    result = load.run_wrk(
        layout.base_url, "/rendez-vous/creneau/", connections=READERS, seconds=PHASE_S, cookies=cookies
    )
    return {
        "readers": READERS,
        "p50_ms": round(result.p50_ms, 1),
        "p99_ms": round(result.p99_ms, 1),
        "per_s": round(result.per_s, 1),
        "ratio_to_floor": round(result.per_s / floor_per_s, 3),
        "non_2xx": result.non_2xx_3xx,
    }


def measure_rush(layout: Layout, target: data.SlotTarget, floor_per_s: float) -> dict:
    web_before, machine_before = cpu.tree_cpu_seconds(layout.processes["gunicorn"].pid), cpu.machine_busy_seconds()
    own_before = time.process_time()  # this process: the residents' HTTP and their proofs of work
    run = asyncio.run(load.rush(layout.base_url, target, mailbox=mailbox(layout), clients=CLIENTS, attempts=ATTEMPTS))
    own_cpu = time.process_time() - own_before
    web_cpu = cpu.tree_cpu_seconds(layout.processes["gunicorn"].pid) - web_before
    machine_after = cpu.machine_busy_seconds()
    answers = run.answers
    statuses = [answer.status for answer in answers]
    confirmed, taking, counted = data.count_bookings(target)
    filled_at = max((at for at, outcome in run.outcomes if outcome.result == "booked"), default=run.started)
    told_full_after = sum(1 for at, outcome in run.outcomes if outcome.result == "full" and at > filled_at)
    return {
        "places": PLACES,
        "clients": CLIENTS,
        "attempts": len(run.outcomes),
        # Confirmed with the e-mailed code, as the database holds them (some may have lost their page to shedding).
        "booked": confirmed,
        "booked_and_saw_confirmation": run.count("booked"),
        "bookings_recorded": confirmed,
        "held_unconfirmed": taking - confirmed,  # held at the review, the code never typed (the hold expires)
        "overbooked": max(0, taking - PLACES, counted - PLACES),
        "told_full": run.count("full"),
        "errors_5xx": sum(1 for status in statuses if status >= 500),
        "shed_503": statuses.count(503),
        "unanswered": run.errors,
        "other_outcomes": len(run.outcomes) - run.count("booked") - run.count("full"),
        "outcomes": dict(Counter(outcome.result for _, outcome in run.outcomes)),
        "answers": len(answers),
        "seconds": round(run.seconds, 1),
        "attempts_per_s": round(len(run.outcomes) / run.seconds, 1),
        "answers_per_s": round(len(answers) / run.seconds, 1),
        "floor_per_s": round(floor_per_s, 1),
        "ratio_to_floor": round(len(answers) / run.seconds / floor_per_s, 3),
        "cpu_ms_per_answer": round(web_cpu * 1000 / len(answers), 2),
        "machine_busy_share": round((machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1]), 3),
        "load_generator_cpu_s": round(own_cpu, 1),  # on the same 2 cores, the proofs of work included
        "web_cpu_s": round(web_cpu, 1),
        "p50_ms": round(percentile([a.ms for a in answers], 0.5), 1),
        "p99_ms": round(percentile([a.ms for a in answers], 0.99), 1),
        "rejections_per_s": round(told_full_after / max(run.finished - filled_at, 0.001), 1),
    }


def wait_for_confirmations(target: data.SlotTarget, expected: int, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    sent, rows = data.count_sent_for_slot(target)
    while sent < expected and time.monotonic() < deadline:
        time.sleep(2)
        sent, rows = data.count_sent_for_slot(target)
    return {"confirmations_queued": rows, "confirmations_sent": sent}


def measure_half_floor(layout: Layout, target: data.SlotTarget, floor_per_s: float) -> dict:
    rate = floor_per_s / 2 / ANSWERS_PER_BOOKING
    own_before = time.process_time()
    run = asyncio.run(
        load.steady(
            layout.base_url, target, mailbox=mailbox(layout), attempts_per_s=rate, seconds=PHASE_S, first_n=100_000
        )
    )
    durations = [answer.ms for answer in run.answers]
    return {
        "offered_answers_per_s": round(rate * ANSWERS_PER_BOOKING, 1),
        "seconds": round(run.seconds, 1),  # more than the phase's when the proofs of work fall behind
        "load_generator_cpu_s": round(time.process_time() - own_before, 1),
        "attempts": len(run.outcomes),
        "outcomes": dict(Counter(outcome.result for _, outcome in run.outcomes)),
        "served_answers_per_s": round(len(durations) / run.seconds, 1),
        "p50_ms": round(percentile(durations, 0.5), 1),
        "p99_ms": round(percentile(durations, 0.99), 1),
        "shed_503": sum(1 for answer in run.answers if answer.status == 503),
        "unanswered": run.errors,
    }


def measure_overload(layout: Layout, cookies: list[str]) -> dict:
    result = load.run_wrk(
        layout.base_url, "/rendez-vous/creneau/", connections=OVERLOAD_CLIENTS, seconds=PHASE_S + 5, cookies=cookies
    )
    return {
        "clients": OVERLOAD_CLIENTS,
        "path": "/rendez-vous/creneau/",
        "requests": result.requests,
        "per_s": round(result.per_s, 1),
        "p50_ms": round(result.p50_ms, 1),
        "p99_ms": round(result.p99_ms, 1),
        "max_wait_ms": round(result.max_ms, 1),
        "unanswered": result.unanswered,
        "socket_errors": result.socket_errors,
        "shed_share": round(result.non_2xx_3xx / max(result.requests, 1), 3),
    }


def measure_growth(layout: Layout, small: data.SlotTarget, large: data.SlotTarget) -> dict:
    async def listing(target: data.SlotTarget) -> float:
        cookie = (
            await load.read_sessions(
                layout.base_url, target.counter_type_id, mailbox=mailbox(layout), count=1, permit_expires_on=""
            )
        )[0]
        return statistics.median(await load.timed_gets(layout.base_url, "/rendez-vous/creneau/", cookie, times=40))

    async def booking(target: data.SlotTarget, first_n: int) -> tuple[float, float]:
        holds, codes = await load.timed_confirmations(
            layout.base_url, target, mailbox=mailbox(layout), times=20, first_n=first_n
        )
        return statistics.median(holds), statistics.median(codes)

    small_list, large_list = asyncio.run(listing(small)), asyncio.run(listing(large))
    (small_book, small_code), (large_book, large_code) = (
        asyncio.run(booking(small, 200_000)),
        asyncio.run(booking(large, 300_000)),
    )
    return {
        "slots_small": data.count_slots(small),
        "slots_large": data.count_slots(large),
        "listing_ms_small": round(small_list, 1),
        "listing_ms_large": round(large_list, 1),
        "listing_ratio": round(large_list / small_list, 2),
        "booking_ms_small": round(small_book, 1),
        "booking_ms_large": round(large_book, 1),
        "booking_ratio": round(large_book / small_book, 2),
        "code_ms_small": round(small_code, 1),
        "code_ms_large": round(large_code, 1),
        "code_ratio": round(large_code / small_code, 2),
    }


def describe(layout: Layout) -> tuple[dict, dict]:
    env = layout.django_env()
    machine = {
        "cores": os.cpu_count(),
        "cpu": report.cpu_model(),
        "memory_gib": report.memory_gib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": report.postgres_version(),
        "shared_with_other_work": True,
        "load_average": " ".join(f"{value:.1f}" for value in os.getloadavg()),
    }
    config = {
        "layout": "nginx → gunicorn gthread → PgBouncer (transaction) → PostgreSQL; Celery worker + beat on Redis",
        "gunicorn_workers": int(env.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))),
        "gunicorn_threads": int(env.get("GUNICORN_THREADS", "32")),
        "admission_concurrency": int(env.get("ADMISSION_CONCURRENCY", "2")),  # the production default
        "admission_max_wait_ms": int(env.get("ADMISSION_MAX_WAIT_MS", str(settings.ADMISSION_MAX_WAIT_MS))),
        "pgbouncer_pool_size": layout.pool_size,
        "first_served_form_submissions": True,
        "quick": QUICK,
    }
    return machine, config


def main() -> None:
    data.ensure_database()
    data.clear_previous_run()
    targets = {
        "rush": data.one_slot("bench-rush", capacity=PLACES),
        "steady": data.one_slot("bench-steady", capacity=10_000_000),
        "floor": data.one_slot("bench-floor", capacity=2_000_000_000),
        "growth_small": data.slots_every_day("bench-growth-1", counters=1),
        "growth_large": data.slots_every_day("bench-growth-100", counters=100),
        "emails": data.one_slot("bench-emails", capacity=EMAILS),
    }
    connections.close_all()
    layout = Layout(
        database_url=os.environ["DATABASE_URL"],
        broker_url=os.environ["CELERY_BROKER_URL"],
        run_dir=load.tmp_dir(),
        http_port=free_port(),
        env={
            "BENCH_FLOOR_VIEW": "true",
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
            # Rate limits counted afresh: a run within the hour of another starts from nothing, as an opening does.
            "RATELIMIT_KEY_PREFIX": f"prefecture:rl:bench-{int(time.time())}",
        },
    )
    layout.run_dir.chmod(0o755)
    results: dict = {"date": timezone.now().isoformat(timespec="seconds")}
    with layout.running():
        results["machine"], results["settings"] = describe(layout)
        run_phases(layout, targets, results)
        measure_fairness(layout, results)
    if "email" in PHASES:
        results["email"] = emails.measure(layout, targets["emails"], count=EMAILS, workers=2, max_seconds=EMAIL_MAX_S)
        print(f"email: {results['email']}", flush=True)
    if "inbox" in PHASES:
        results["inbox"] = inbox.measure(count=INBOX_QUESTIONS, repeats=20 if QUICK else inbox.REPEATS)
        print(f"inbox: {results['inbox']}", flush=True)
    if "profile" in PHASES:
        report.PROFILE.write_text(breakdown.profile(targets["steady"]) + "\n")
        print(f"profile: {report.PROFILE}", flush=True)
    report.write(results, quick=QUICK or PHASES != ALL_PHASES)


def run_phases(layout: Layout, targets: dict, results: dict) -> None:
    permit = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    cookies = asyncio.run(
        load.read_sessions(
            layout.base_url, data.read_procedure().pk, mailbox=mailbox(layout), count=READERS, permit_expires_on=permit
        )
    )
    floor_per_s = measure_floor(layout, targets["floor"].slot_id).per_s if "floor" in PHASES else 1.0
    print(f"floor: {floor_per_s:.0f} requests/s", flush=True)
    if "read" in PHASES:
        results["read"] = measure_read(layout, cookies, floor_per_s)
        print(f"read: {results['read']}", flush=True)
    if "rush" in PHASES:
        results["rush"] = measure_rush(layout, targets["rush"], floor_per_s)
        results["rush"].update(wait_for_confirmations(targets["rush"], results["rush"]["bookings_recorded"]))
        half = measure_half_floor(layout, targets["steady"], floor_per_s)
        results["rush"]["p99_ms_at_half_floor"] = half["p99_ms"]
        results["rush"]["half_floor"] = half
        print(f"rush: {results['rush']}", flush=True)
    if "overload" in PHASES:
        results["overload"] = measure_overload(layout, cookies)
        results["overload"]["seconds_to_settle"] = round(asyncio.run(load.settle(layout.base_url)), 1)
        print(f"overload: {results['overload']}", flush=True)
    if "growth" in PHASES:
        results["growth"] = measure_growth(layout, targets["growth_small"], targets["growth_large"])
        print(f"growth: {results['growth']}", flush=True)


def measure_fairness(layout: Layout, results: dict) -> None:
    """People and bots for one opening, first come then by lottery, and one script alone (bench/fairness.py)."""
    if "fairness" in PHASES:
        results["fairness"] = fairness.measure(layout.base_url, layout.run_dir, quick=QUICK)


if __name__ == "__main__":
    main()
