"""The team's inbox at scale: listing, filtering and opening a thread with 50,000 questions stored.

Each page is asked through Django's test client, in this process, as an agent logged in with the second
factor (the view, its queries and its template; no network): p50 and p99 of `REPEATS` requests each.
Questions are seeded once (booking.questions.demo, in bulk) at a site of their own, "bench-inbox", and kept
between runs.

    python bench/inbox.py                 # 50,000 questions, prints the figures
    python bench/inbox.py --count 2000    # a quick check of the harness
    python bench/inbox.py --write         # and merges them into bench/results.json (`inbox` key)

`make bench` runs it as its "inbox" phase (bench/run.py), writing inbox.stored, inbox.list_ms, inbox.filter_ms
and inbox.open_ms (each the p99, in ms; the p50 beside it as *_p50_ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prefecture.settings")
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/prefecture_bench")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_DEBUG", "false")  # cached templates, no query log: as in production
    import django

    django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from booking.questions.demo import bulk_questions  # noqa: E402
from booking.questions.models import Question, Topic  # noqa: E402
from booking.roles import AGENT_GROUP, sync_staff_groups  # noqa: E402
from counters.models import Site  # noqa: E402
from counters.staff_sites.models import StaffProfile  # noqa: E402

COUNT = 50_000
REPEATS = 100
RESULTS = ROOT / "bench" / "results.json"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


def bench_site() -> Site:
    site, _ = Site.objects.get_or_create(
        slug="bench-inbox",
        defaults={
            "name": "Banc d'essai — renseignements",
            "address": "1 rue du Banc",
            "postal_code": "92000",
            "city": "Nanterre",
        },
    )
    return site


def seed(site: Site, count: int, agent) -> int:
    """Bring the site's questions up to `count` (kept between runs)."""
    stored = Question.objects.filter(site=site).count()
    if stored < count:
        bulk_questions(site=site, count=count - stored, now=timezone.now(), days=60, seed=stored, agents=[agent])
    return Question.objects.filter(site=site).count()


def bench_agent(site: Site):
    groups = sync_staff_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-inbox-agent", defaults={"is_staff": True})
    user.groups.set([groups[AGENT_GROUP]])
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    profile.sites.set([site])
    return user


def logged_in_client(user) -> Client:
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "127.0.0.1")
    client = Client(HTTP_HOST=host, secure=getattr(settings, "SECURE_SSL_REDIRECT", False))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(client: Client, paths: list[str]) -> dict:
    durations = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        durations.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return {"p50": round(percentile(durations, 0.5), 1), "p99": round(percentile(durations, 0.99), 1)}


def measure(*, count: int = COUNT, repeats: int = REPEATS) -> dict:
    site = bench_site()
    agent = bench_agent(site)
    started = time.perf_counter()
    stored = seed(site, count, agent)
    seeded_s = time.perf_counter() - started
    client = logged_in_client(agent)
    inbox = reverse("staff:questions:inbox")
    topics = list(Topic.objects.filter(site__isnull=True, is_active=True).values_list("pk", flat=True))
    rng = random.Random(1)
    references = list(Question.objects.filter(site=site).values_list("reference", flat=True)[:5000])
    boxes = ["unassigned", "mine", "waiting", "closed"]
    client.get(inbox)  # warm: the first request loads templates and the connection
    listing = timed(client, [f"{inbox}?box={rng.choice(boxes)}" for _ in range(repeats)])
    filtering = timed(
        client,
        [f"{inbox}?box={rng.choice(boxes)}&site={site.pk}&topic={rng.choice(topics)}" for _ in range(repeats)],
    )
    opening = timed(client, [reverse("staff:questions:thread", args=[rng.choice(references)]) for _ in range(repeats)])
    return {
        "stored": stored,
        "seconds_to_seed": round(seeded_s, 1),
        "requests_each": repeats,
        "list_ms": listing["p99"],
        "list_p50_ms": listing["p50"],
        "filter_ms": filtering["p99"],
        "filter_p50_ms": filtering["p50"],
        "open_ms": opening["p99"],
        "open_p50_ms": opening["p50"],
    }


def main() -> None:
    from django.core.management import call_command

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--write", action="store_true", help="merge the figures into bench/results.json")
    args = parser.parse_args()
    from django.db import connections

    name = connections["default"].settings_dict["NAME"]
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    figures = measure(count=args.count, repeats=args.repeats)
    print(json.dumps({"inbox": figures}, indent=2))
    if args.write:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["inbox"] = figures
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
