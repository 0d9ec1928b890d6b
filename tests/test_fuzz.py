"""No input gets a 500: property-based fuzzing of every public and staff form, link and URL parameter.

The targets are found, not listed (tests/fuzzing.py): every URL pattern of the
project, every form and link on the pages reached from them, as a visitor and
as a staff member logged in with the second factor. Hypothesis then sends
values no one should: text with NUL, bidi controls and other unicode, huge and
negative numbers, dates in years 1 and 9999, wrong types, fields missing or
given twice. Every answer must be below 500; a GET, and any request refused
with a 4xx, must leave what is saved as it was. Each example runs in a
transaction rolled back, from the session its page was shown with.

`make test` runs a bounded, reproducible number of examples per target (the
"suite" profile) on the public and staff pages; `make fuzz` runs many more,
random each time (FUZZ_PROFILE=fuzz), and the admin's forms too.
"""

import datetime as dt
import functools
import os
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from booking.attestations.services import issue_certificate
from booking.limits import DEFAULT_RATES
from booking.retention.bookings import anonymise_bookings
from booking.services import DeskAction
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person
from tests.fairness import lottery_opening, registered, waiting
from tests.fuzzing import (
    ADMIN,
    VALID_PROOF,
    Route,
    Target,
    crawl,
    plausible,
    project_routes,
    proof_for,
    restore_session,
    route_urls,
    snapshot,
)

hypothesis_settings.register_profile(
    "suite",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
PROFILE = hypothesis_settings.get_profile(os.environ.get("FUZZ_PROFILE", "suite"))
# A URL pattern's parameters are sent twice per example (GET and POST): half as many examples.
ROUTE_PROFILE = hypothesis_settings(PROFILE, max_examples=max(1, PROFILE.max_examples // 2))

pytestmark = pytest.mark.django_db

MISSING = object()
NASTY = [
    "\x00",
    "a\x00b",
    "\u202e\u2066gnp.exe",
    "\u200f\u200b\ufeff",
    "\ud7ff\U0010ffff",
    "é" * 300,
    "x" * 5000,
    "-1",
    "0",
    "99999999999999999999999999",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31/12/9999",
    "00/00/0000",
    "2026-02-30",
    "29/02/2027",
    "true",
    "[]",
    '{"a": 1}',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    " ",
    "",
]
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
SCALAR = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).flatmap(
        lambda day: st.sampled_from([day.isoformat(), day.strftime("%d/%m/%Y")])
    ),
    TEXT,
)


def field_values(field, *, today: dt.date):
    offered = [value for value in field.values if value] or [plausible(field, today=today)]
    if field.name == "altcha":
        offered = [VALID_PROOF]
    one = st.one_of(st.sampled_from(offered), SCALAR)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3), st.just(MISSING))


def form_data(target: Target, *, today: dt.date):
    fields = [field for field in target.fields if field.kind not in ("submit", "button", "image", "reset")]
    return st.fixed_dictionaries({field.name: field_values(field, today=today) for field in fields})


PARAMETER_VALUES = {
    "int": st.one_of(st.integers(min_value=0, max_value=10**30), st.integers(min_value=0, max_value=50)),
    "slug": st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True),
    "string": TEXT.filter(lambda text: text and "/" not in text),
    "path": TEXT.filter(bool),
}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A site with bookable procedures, a booking, a lottery registration, a waiting-list entry, a certificate."""
    site = SiteFactory()
    procedure = CounterTypeFactory(site=site)
    # Places every day of the next two weeks: a day a form asks for (a week ahead, say) has some.
    for days in range(1, 15):
        SlotFactory(counter_type=procedure, starts_at=at(timezone.localdate() + dt.timedelta(days=days), 9), capacity=3)
    day = next_weekday(1, weeks=1)
    SlotFactory(counter_type=procedure, starts_at=at(day, 10), capacity=3)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_confirmed(counter_type=procedure, starts_at=at(day, 10), person=person(1))
        erased = book_confirmed(counter_type=procedure, starts_at=at(day, 10), person=person(4))
    anonymise_bookings([erased.pk], now=timezone.now())  # what retention leaves: pages must still show it
    opening = lottery_opening(places=2)
    registration = registered(opening, 2)
    entry = waiting(CounterTypeFactory(site=site), 3)
    full = CounterTypeFactory(site=site)
    certificate = issue_certificate(counter_type=full, last_name="Diallo")
    return {
        "token": [booking.token, registration.token, entry.token, erased.token],
        "pk": [procedure.pk, opening.pk, full.pk],
        "type_pk": list(opening.counter_types.values_list("pk", flat=True)),
        "reference": [booking.reference, erased.reference],
        "action": [action.value for action in DeskAction],
        "code": [certificate.code],
        "slug": [site.slug],
        "purpose": ["hold", "lost-link"],
    }


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Limits are tested elsewhere; here they would only stop the fuzzing after a few requests (the proof of
    work's cost too, which doubles with each hold from one address)."""
    settings.RATE_LIMITS = {name: (10**9, 3600) for name in DEFAULT_RATES}
    settings.POW_FREE_HOLDS_PER_IP = 10**9


def staff_client() -> Client:
    user = get_user_model().objects.create_superuser("fuzz-admin", "admin@example.org", "mot-de-passe-fuzz")
    return log_in(Client(), user)


def is_staff_route(route: Route) -> bool:
    return route.name.startswith(("staff:", "staff_auth:"))


def send(client, target: Target, data: dict, path: str | None = None):
    payload = {}
    for name, value in data.items():
        if value is MISSING:
            continue
        values = value if isinstance(value, list) else [value]
        payload[name] = [proof_for(client, target.challenge_url) if v is VALID_PROOF else v for v in values]
    method = client.post if target.method == "post" else client.get
    return method(path or target.path, payload)


def check(client, target: Target, request) -> None:
    """Send one request in a transaction rolled back; nothing answers 500, nothing saved changes on a refusal."""
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    try:
        with transaction.atomic():
            restore_session(client, target.session)
            before = snapshot()
            response = request()
            note(f"{target}: {response.status_code}")
            assert response.status_code < 500, f"{target} answered {response.status_code}"
            if target.method == "get" or response.status_code >= 400:
                after = snapshot()
                assert after == before, f"{target} answered {response.status_code} and changed {changes(before, after)}"
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


def changes(before: tuple, after: tuple) -> list[str]:
    return [name for (name, old), (_, new) in zip(before, after, strict=True) if old != new]


def fuzz(client, target: Target, *, today: dt.date) -> None:
    if target.route is not None:
        route = target.route

        @ROUTE_PROFILE
        @given(st.fixed_dictionaries({name: PARAMETER_VALUES[kind] for name, kind in route.params.items()}))
        def run(kwargs):
            try:
                path = reverse(route.name, kwargs=kwargs)
            except NoReverseMatch:
                assume(False)
            for send_path in (client.get, client.post):
                check(client, target, functools.partial(send_path, path))

    else:

        @PROFILE
        @given(form_data(target, today=today))
        def run(data):
            check(client, target, lambda: send(client, target, data))

    run()


def targets_of(area: str, client: Client, world: dict, routes: list[Route]) -> list[Target]:
    today = timezone.localdate()
    if area == "admin":  # the configuration heads of bureau and administrators do (opening rules, openings…)
        return crawl(client, area=area, seeds=[reverse("admin:index")], today=today, within=ADMIN)
    mine = [route for route in routes if is_staff_route(route) == (area == "staff")]
    seeds = [url for route in mine for url in route_urls(route, world)]
    # Staff pages are fuzzed as staff; the public pages they link to, as the public.
    within = reverse("staff:home") if area == "staff" else "/"
    found = crawl(client, area=area, seeds=seeds, today=today, within=within)
    found += [Target(area, "get", "", [], route=route) for route in mine if route.params]
    return found


# The admin's many forms take minutes: `make fuzz` explores it, `make test` does not (FUZZ_ADMIN=1 to force).
AREAS = ["public", "staff"]
if os.environ.get("FUZZ_ADMIN", "1" if os.environ.get("FUZZ_PROFILE") == "fuzz" else "") == "1":
    AREAS.append("admin")


@pytest.mark.parametrize("area", AREAS)
def test_no_input_on_any_form_link_or_url_parameter_gets_a_500(area, world):
    routes = project_routes()
    assert {"booking:review", "staff:agenda", "booking:erase"} <= {route.name for route in routes}
    client = Client() if area == "public" else staff_client()
    targets = targets_of(area, client, world, routes)
    # The exploration reached the forms deep in the flows, not only the first pages.
    paths = {target.path for target in targets if target.fields}
    expected = {
        "public": {reverse("booking:identity"), reverse("booking:review"), reverse("booking:lost-link")},
        "staff": {reverse("staff:book"), reverse("staff:agenda"), reverse("staff:statistics")},
        "admin": {reverse("admin:counters_countertype_add"), reverse("admin:counters_exceptionalopening_add")},
    }[area]
    assert expected <= paths, sorted(paths)
    today = timezone.localdate()
    for target in targets:
        fuzz(client, target, today=today)
