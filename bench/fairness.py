"""Fair access against bots: people and scripted resellers compete for one opening, first come and by lottery.

Everything goes through the production layout over HTTP (bench/flow.py), the
proof of work, the rate limits and the e-mailed codes included:

- **People** (`Sizes.humans`): each from a loopback address of their own, with
  their own identity and e-mail address, arriving at random over the opening's
  first moments (`arrival_s`), trying once to a few times (`human_tries`,
  `human_retry_s` apart). They solve the proof of work with the same solver as
  the bots, at this machine's speed: a phone is several times slower, which the
  bench cannot wait for (the page's script takes about a second at level 0).
- **Bots** (`Sizes.bots` resellers): each from ONE address, running
  `bot_flows` flows at once, with invented identities and e-mail addresses at
  its own domain, which it reads (it confirms its holds); retrying 10 times as
  often as people, solving the proof of work at full CPU (one thread for all
  bots: a core of this machine's two), its level rising with the holds (or
  registrations) made from its address (booking.limits.proof_level).
- **First come**: one slot of `places` places, opened at once; people and bots
  book it, until every person has made their tries.
- **Lottery**: an opening of `places` places in lottery mode; the same
  population registers (the form, its proof of work, the code), the window is
  then closed and the draw run by the layout's Celery worker (the task beat
  runs every minute), and those drawn confirm by the e-mail's link.
- **One script** from one address, booking a large slot back to back for
  `script_s` seconds with invented identities: what it gets in an hour,
  extrapolated from that run (see `single_script`).

Places are counted in the database (confirmed bookings), e-mails in the
layout's mail folder. Identities, addresses and domains are the bench's own:
`personnes.example.org` for people, `revendeurN.example.net` for bots.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import random
import time
from collections import Counter
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field

import aiohttp
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from bench import data
from bench.flow import Mailbox, Outcome, Resident
from booking.limits import rate
from booking.lottery.models import Lottery, Registration
from booking.lottery.tasks import draw_due_lotteries_task
from booking.models import Booking, OutboundEmail

HUMAN_DOMAIN = "personnes.example.org"
SEED = 8  # the arrivals and tries of people: the same from run to run
# How long people and bots wait for an e-mailed code before trying again: registering again does not e-mail a
# code that works in the new session (booking.lottery.services: the same answer whoever registers).
CODE_WAIT_S = 120


@dataclass(frozen=True)
class Sizes:
    places: int
    humans: int
    bots: int
    bot_flows: int  # flows each bot runs at once, all from its one address
    arrival_s: float  # people arrive over this many seconds from the opening
    human_tries: int  # each person tries 1 to this many times
    human_retry_s: float  # between two tries of a person; a bot retries 10 times as often
    script_s: float  # the single script's measured run

    @property
    def bot_retry_s(self) -> float:
        return self.human_retry_s / 10


FULL = Sizes(places=200, humans=300, bots=5, bot_flows=4, arrival_s=90, human_tries=3, human_retry_s=10, script_s=30)
QUICK = Sizes(places=20, humans=40, bots=3, bot_flows=2, arrival_s=10, human_tries=3, human_retry_s=5, script_s=20)


def human_address(i: int) -> str:
    return f"127.20.{i // 250 % 250}.{i % 250 + 1}"


def bot_address(b: int) -> str:
    return f"127.30.0.{b + 1}"


SCRIPT_ADDRESS = "127.31.0.1"


def bot_domain(b: int) -> str:
    return f"revendeur{b}.example.net"


# Identity numbers (bench/flow.py's `identity`): apart from the other phases' and from each other.
HUMAN_N, BOT_N, SCRIPT_N = 1_000_000, 2_000_000, 3_000_000


@dataclass
class Actor:
    """What one person or bot did: each attempt's outcome, the 429s received, the proofs of work solved."""

    name: str
    outcomes: Counter = field(default_factory=Counter)
    answers: int = 0
    too_many: int = 0  # 429 answers
    proofs: list[tuple[int, float]] = field(default_factory=list)
    booked_at: list[float] = field(default_factory=list)

    def note(self, resident: Resident, outcome: Outcome, *, at: float) -> None:
        self.outcomes[outcome.result] += 1
        self.answers += len(resident.answers)
        self.too_many += sum(1 for answer in resident.answers if answer.status == 429)
        self.proofs += resident.proofs
        if outcome.result in ("booked", "registered"):
            self.booked_at.append(at)

    @property
    def pow_seconds(self) -> float:
        return sum(seconds for _, seconds in self.proofs)

    @property
    def max_level(self) -> int:
        return max((level for level, _ in self.proofs), default=0)


async def one_try(resident: Resident, step) -> Outcome:
    try:
        return await step(resident)
    except (TimeoutError, aiohttp.ClientError, RuntimeError) as error:
        return Outcome(f"error-{type(error).__name__}", resident.answers)
    finally:
        await resident.close()


async def pause(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0))
    except TimeoutError:
        pass


def retry_after(resident: Resident) -> float:
    for answer in reversed(resident.answers):
        if answer.status == 429 and answer.retry_after and answer.retry_after.isdigit():
            return float(answer.retry_after)
    return 0.0


async def compete(base_url: str, mailbox: Mailbox, sizes: Sizes, step_for, *, mode: str) -> dict[str, Actor]:
    """People arrive and make their tries; bots loop from the start until every person is done.

    `step_for(n, email)` gives the coroutine function one try runs on a Resident ("booked"/"registered" when
    it succeeded)."""
    rng = random.Random(SEED)
    arrivals = sorted(rng.uniform(0, sizes.arrival_s) for _ in range(sizes.humans))
    tries = [rng.randint(1, sizes.human_tries) for _ in range(sizes.humans)]
    actors: dict[str, Actor] = {}
    started = time.monotonic()
    stop = asyncio.Event()
    # A bot's proof of work stops at the latest when every person could have finished, and some.
    hard_end = started + sizes.arrival_s + sizes.human_tries * sizes.human_retry_s + 60

    async def human(i: int) -> None:
        actor = actors.setdefault(f"human-{i}", Actor(f"human-{i}"))
        await asyncio.sleep(arrivals[i])
        for attempt in range(tries[i]):
            if attempt:
                await asyncio.sleep(sizes.human_retry_s)
            resident = Resident(base_url, mailbox=mailbox, address=human_address(i), code_timeout=CODE_WAIT_S)
            outcome = await one_try(resident, step_for(HUMAN_N + i, f"{mode}-{i}@{HUMAN_DOMAIN}"))
            actor.note(resident, outcome, at=time.monotonic() - started)
            if outcome.result in ("booked", "registered"):
                return

    async def bot_flow(b: int, numbers: itertools.count, executor: Executor) -> None:
        actor = actors.setdefault(f"bot-{b}", Actor(f"bot-{b}"))
        while not stop.is_set() and time.monotonic() < hard_end:
            k = next(numbers)
            left = max(hard_end - time.monotonic(), 0.1)
            resident = Resident(
                base_url,
                mailbox=mailbox,
                address=bot_address(b),
                solve_timeout=left,
                executor=executor,
                code_timeout=CODE_WAIT_S,
            )
            n = BOT_N + b * 100_000 + (50_000 if mode == "lot" else 0) + k
            outcome = await one_try(resident, step_for(n, f"{mode}-{k}@{bot_domain(b)}"))
            actor.note(resident, outcome, at=time.monotonic() - started)
            if outcome.result not in ("booked", "registered"):
                # Told no (full, 429): retry soon, or when the limit says if sooner than the phase's end.
                await pause(stop, max(sizes.bot_retry_s, min(retry_after(resident), hard_end - time.monotonic())))

    # The bots' proofs of work share one thread, a core at full speed: theirs would be their own machines,
    # but here every core they take is one the server does not have.
    bots_core = ThreadPoolExecutor(max_workers=1)
    numbers = [itertools.count(1) for _ in range(sizes.bots)]
    bots = [
        asyncio.create_task(bot_flow(b, numbers[b], bots_core))
        for b in range(sizes.bots)
        for _ in range(sizes.bot_flows)
    ]
    await asyncio.gather(*(human(i) for i in range(sizes.humans)))
    stop.set()
    await asyncio.gather(*bots)
    bots_core.shutdown()
    return actors


def is_bot_address(address: str) -> bool:
    return address.lower().split("@")[-1].startswith("revendeur")


def booking_figures(bookings, places: int) -> dict:
    """Places to bots and people among confirmed `bookings`, per identity and per bot."""
    confirmed = bookings.filter(status=Booking.Status.CONFIRMED)
    emails = list(confirmed.values_list("email", flat=True))
    bot_places = sum(1 for address in emails if is_bot_address(address))
    per_identity = confirmed.values("foreigner_key").annotate(n=Count("pk")).order_by("-n").first()
    per_bot = Counter(address.split("@")[-1] for address in emails if is_bot_address(address))
    return {
        "places": places,
        "booked": len(emails),
        "bot_places": bot_places,
        "human_places": len(emails) - bot_places,
        "bot_share": round(bot_places / max(len(emails), 1), 3),
        "max_places_per_identity": per_identity["n"] if per_identity else 0,
        "max_places_per_bot": max(per_bot.values(), default=0),
    }


def actor_figures(actors: dict[str, Actor], mailbox: Mailbox, *, mode: str) -> dict:
    bots = [actor for name, actor in actors.items() if name.startswith("bot-")]
    humans = [actor for name, actor in actors.items() if name.startswith("human-")]
    mailbox.read_all()
    received = {address: count for address, count in mailbox.received.items() if address.startswith(f"{mode}-")}
    human_proofs = [seconds for actor in humans for _, seconds in actor.proofs]
    return {
        "humans": len(humans),
        "bots": len(bots),
        "bot_attempts": sum(sum(actor.outcomes.values()) for actor in bots),
        "bot_outcomes": dict(sum((actor.outcomes for actor in bots), Counter())),
        "human_outcomes": dict(sum((actor.outcomes for actor in humans), Counter())),
        "bot_429s": sum(actor.too_many for actor in bots),
        "human_429s": sum(actor.too_many for actor in humans),
        "bot_pow_seconds": round(sum(actor.pow_seconds for actor in bots), 1),
        "bot_max_pow_level": max((actor.max_level for actor in bots), default=0),
        "human_pow_seconds_mean": round(sum(human_proofs) / max(len(human_proofs), 1), 2),
        "max_emails_per_address": max(received.values(), default=0),
        "emails": sum(received.values()),
    }


WAITING = (OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING)


def wait_for_emails(query, *, timeout: float = 180) -> None:
    """Until the e-mails of `query` have left, but those put off by the cap per address (an hour later)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        soon = timezone.now() + dt.timedelta(minutes=1)
        if not query.filter(status__in=WAITING).exclude(retry_after__gt=soon).exists():
            return
        time.sleep(1)


def delayed_by_cap(query) -> int:
    """E-mails put off by the cap per address (EMAILS_PER_ADDRESS_PER_HOUR): still waiting, for later."""
    return query.filter(status__in=WAITING, retry_after__gt=timezone.now() + dt.timedelta(minutes=1)).count()


def first_come(base_url: str, mailbox: Mailbox, sizes: Sizes) -> dict:
    target = data.one_slot("bench-fair-first-come", capacity=sizes.places)

    def step_for(n: int, email: str):
        return lambda resident: resident.attempt(**target.flow_args(), n=n, email=email)

    started = time.monotonic()
    actors = asyncio.run(compete(base_url, mailbox, sizes, step_for, mode="fc"))
    seconds = time.monotonic() - started
    bookings = Booking.objects.filter(slot_id=target.slot_id)
    sent = OutboundEmail.objects.filter(booking__in=bookings)
    wait_for_emails(sent)
    filled = sorted(at for actor in actors.values() for at in actor.booked_at)
    return {
        **booking_figures(bookings, sizes.places),
        **actor_figures(actors, mailbox, mode="fc"),
        "emails_delayed_by_cap": delayed_by_cap(sent),
        "seconds": round(seconds, 1),
        "last_place_after_s": round(filled[-1], 1) if filled else None,
    }


def lottery(base_url: str, mailbox: Mailbox, sizes: Sizes) -> dict:
    # The window stays open while people register; the bench closes it once they are all done.
    target = data.lottery_opening("bench-fair-lottery", places=sizes.places, closes_in=dt.timedelta(hours=1))

    def step_for(n: int, email: str):
        return lambda resident: resident.register_for_lottery(
            opening_id=target.opening_id, counter_type_id=target.counter_type_id, n=n, email=email
        )

    started = time.monotonic()
    actors = asyncio.run(compete(base_url, mailbox, sizes, step_for, mode="lot"))
    registering_s = time.monotonic() - started
    data.close_registrations(target)
    draw_due_lotteries_task.delay()  # what beat sends every minute, run by the layout's worker
    lottery = Lottery.objects.get(opening_id=target.opening_id)
    deadline = time.monotonic() + 120
    while not Lottery.objects.filter(pk=lottery.pk, drawn_at__isnull=False).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the lottery was not drawn within 2 minutes")
        time.sleep(0.5)
    registrations = Registration.objects.filter(lottery=lottery)
    wait_for_emails(OutboundEmail.objects.filter(registration__in=registrations))
    mailbox.read_all()
    drawn = [address for address in registrations.values_list("email", flat=True) if address.lower() in mailbox.links]
    confirmed = asyncio.run(confirm_drawn(base_url, mailbox, drawn, tries=sizes.human_tries))
    bookings = Booking.objects.filter(slot__opening_id=target.opening_id)
    sent = OutboundEmail.objects.filter(Q(booking__in=bookings) | Q(registration__in=registrations))
    wait_for_emails(sent)
    emails = list(registrations.values_list("email", flat=True))
    bot_registrants = sum(1 for address in emails if is_bot_address(address))
    per_identity = registrations.values("foreigner_key").annotate(n=Count("pk")).order_by("-n").first()
    figures = booking_figures(bookings, sizes.places)
    share = bot_registrants / max(len(emails), 1)
    return {
        **figures,
        **actor_figures(actors, mailbox, mode="lot"),
        "registrants": len(emails),
        "bot_registrants": bot_registrants,
        "bot_registrants_share": round(share, 3),
        "bot_places_expected": round(share * figures["booked"], 1),
        "max_registrations_per_identity": per_identity["n"] if per_identity else 0,
        "drawn": len(drawn),
        "drawn_outcomes": dict(confirmed),
        "emails_delayed_by_cap": delayed_by_cap(sent),
        "registering_s": round(registering_s, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


async def confirm_drawn(base_url: str, mailbox: Mailbox, addresses: list[str], tries: int) -> Counter:
    """Each person or bot drawn opens the e-mail's link and confirms, from their own address, trying again a few
    seconds later when the page failed (up to `tries` times). Returns the last outcome of each."""
    limit = asyncio.Semaphore(20)
    outcomes: Counter = Counter()

    async def confirm(address: str) -> None:
        local = address.split("@")[0]
        if is_bot_address(address):
            source = bot_address(int(address.split("@")[1].removeprefix("revendeur").split(".")[0]))
        else:
            source = human_address(int(local.split("-")[1]))
        link = await mailbox.link_for(address, timeout=1)
        if not link:
            outcomes["no-link"] += 1
            return
        for attempt in range(tries):
            if attempt:
                await asyncio.sleep(5)
            async with limit:
                resident = Resident(base_url, mailbox=mailbox, address=source)
                outcome = await one_try(resident, lambda r: r.confirm_by_link(link))
            if outcome.result == "booked":
                break
        outcomes[outcome.result] += 1

    await asyncio.gather(*(confirm(address) for address in addresses))
    return outcomes


def single_script(base_url: str, mailbox: Mailbox, sizes: Sizes) -> dict:
    """One script, one address, invented identities, back to back on a large slot for `script_s` seconds.

    Places per hour: if the limit per IP refused it within the run, what it got (the limit counts per hour);
    otherwise extrapolated: the next holds' proofs of work, each twice the last (measured: seconds per unit of
    work at level 0 here), and the flow's own time per place, fitted in the rest of the hour, up to the limit.
    """
    target = data.one_slot("bench-fair-script", capacity=100_000)
    actor = Actor("script")

    async def run() -> float:
        executor = ThreadPoolExecutor(max_workers=1)
        try:
            return await booking_loop(executor)
        finally:
            executor.shutdown()

    async def booking_loop(executor: Executor) -> float:
        started = time.monotonic()
        k = 0
        while time.monotonic() - started < sizes.script_s:
            k += 1
            left = sizes.script_s - (time.monotonic() - started)
            resident = Resident(
                base_url, mailbox=mailbox, address=SCRIPT_ADDRESS, solve_timeout=max(left, 0.1), executor=executor
            )
            email = f"script-{k}@script.example.net"
            outcome = await one_try(
                resident, lambda r, k=k, email=email: r.attempt(**target.flow_args(), n=SCRIPT_N + k, email=email)
            )
            actor.note(resident, outcome, at=time.monotonic() - started)
            if outcome.result == "http-429":
                return time.monotonic() - started
        return time.monotonic() - started

    seconds = asyncio.run(run())
    places = Booking.objects.filter(slot_id=target.slot_id, status=Booking.Status.CONFIRMED).count()
    limit = rate("hold:ip").count
    refused = actor.too_many > 0
    # Work of a proof at level L: 2**L units; seconds per unit measured over the run's proofs.
    units = sum(2**level for level, _ in actor.proofs)
    per_unit = actor.pow_seconds / units if units else 0.0
    flow_s = max((seconds - actor.pow_seconds) / max(places, 1), 0.0)
    per_hour = places
    if not refused:
        spent, holds = seconds, places
        while holds < limit:
            level = max(0, holds + 1 - settings.POW_FREE_HOLDS_PER_IP)
            cost = per_unit * 2**level + flow_s
            if spent + cost > 3600:
                break
            spent, holds = spent + cost, holds + 1
        per_hour = holds
    return {
        "seconds": round(seconds, 1),
        "places": places,
        "attempts": sum(actor.outcomes.values()),
        "outcomes": dict(actor.outcomes),
        "refused_429": refused,
        "max_pow_level": actor.max_level,
        "pow_seconds": round(actor.pow_seconds, 1),
        "pow_seconds_per_unit": round(per_unit, 3),
        "hold_ip_limit_per_hour": limit,
        "places_per_hour": per_hour,
        "places_per_hour_extrapolated": not refused,
    }


def measure(base_url: str, run_dir, *, quick: bool) -> dict:
    sizes = QUICK if quick else FULL
    mailbox = Mailbox(run_dir / "sent-emails", since=time.time() - 1)
    results: dict = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "sizes": {**sizes.__dict__, "bot_retry_s": sizes.bot_retry_s},
    }
    results["first_come"] = first_come(base_url, mailbox, sizes)
    print(f"fairness.first_come: {results['first_come']}", flush=True)
    results["lottery"] = lottery(base_url, mailbox, sizes)
    print(f"fairness.lottery: {results['lottery']}", flush=True)
    results["single_script"] = single_script(base_url, mailbox, sizes)
    print(f"fairness.single_script: {results['single_script']}", flush=True)
    return results
