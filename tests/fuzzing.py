"""Finding what to fuzz without a hand list: every URL the resolver knows, and every form and link on its pages.

`crawl` starts from each URL pattern of the project (the admin aside), its
path parameters filled with the world's values (a booking's token, a
procedure's id…), and explores like a visitor: it reads each page's forms
and links, submits each form that asks for data once with plausible values
(as a person would, so that the next step of a flow shows its own form), and
follows where that leads. Forms with nothing to fill in (cancel, leave, log
out, the desk's buttons) are not submitted while exploring: they are fuzzed
like the others, in a transaction rolled back.

Every form found, every link with a query string, and every URL pattern's
path parameters become a `Target`, with the session as it was when the page
was shown, so that fuzzing a step starts from that step.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tests.antibot import solve

# The admin is explored on its own (the "admin" area), never from the other pages; the language switch not at all.
SKIPPED_NAMESPACES = {"admin"}
ADMIN = "/" + settings.ADMIN_PATH
SKIPPED_PATHS = ("/static/", "/i18n/")
VALID_PROOF = object()  # replaced, at send time, by a freshly solved anti-robot proof
MAX_PAGES = 120


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: dict[str, str]  # name -> converter ("int", "str", "slug", "path")


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    values: list[str] = field(default_factory=list)  # value, or the options offered
    autocomplete: str = ""

    @property
    def editable(self) -> bool:
        return self.kind not in ("hidden", "submit", "button", "image", "reset")


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)
    challenge_url: str = ""

    @property
    def asks_for_data(self) -> bool:
        return any(f.editable for f in self.fields)


@dataclass
class Target:
    """A request to fuzz: a form, a link's query string, or a URL pattern's path parameters."""

    area: str  # "public" or "staff"
    method: str
    path: str
    fields: list[Field]
    session: tuple[str, str] | None = None  # (session key, session data) when the page was shown
    challenge_url: str = ""
    route: Route | None = None  # for path-parameter targets

    def __str__(self) -> str:
        what = f"route {self.route.name}" if self.route else ", ".join(f.name for f in self.fields)
        return f"{self.area} {self.method.upper()} {self.path} [{what}]"


# --- The URL patterns ---------------------------------------------------------------------------


def project_routes() -> list[Route]:
    routes = []

    def walk(patterns, namespace: str, converters: dict):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
                walk(entry.url_patterns, inner, {**converters, **_converters(entry)})
            elif isinstance(entry, URLPattern) and entry.name:
                params = {**converters, **_converters(entry)}
                routes.append(Route(f"{namespace}:{entry.name}".strip(":"), params))

    walk(get_resolver().url_patterns, "", {})
    return routes


def _converters(entry) -> dict[str, str]:
    converters = getattr(entry.pattern, "converters", {})
    return {name: type(converter).__name__.replace("Converter", "").lower() for name, converter in converters.items()}


def route_urls(route: Route, candidates: dict[str, list]) -> list[str]:
    """The route's URL with each candidate value of its parameters (the first of the others)."""
    if not route.params:
        return [reverse(route.name)]
    urls = []
    for varying in route.params:
        for value in candidates.get(varying, ["1"]):
            kwargs = {name: (value if name == varying else candidates.get(name, ["1"])[0]) for name in route.params}
            try:
                urls.append(reverse(route.name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return list(dict.fromkeys(urls))


# --- Reading pages ------------------------------------------------------------------------------


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._challenge = ""

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif "data-challenge-url" in a and self._form is not None:
            self._form.challenge_url = a["data-challenge-url"]
        elif tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            existing = next((f for f in self._form.fields if f.name == a["name"]), None)
            if existing and kind in ("radio", "checkbox"):
                existing.values.append(a.get("value", "on"))
            else:
                default = a.get("value", "on" if kind in ("radio", "checkbox") else "")
                self._form.fields.append(Field(a["name"], kind, [default], a.get("autocomplete", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select", [], a.get("autocomplete", ""))
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._form.fields.append(Field(a["name"], "textarea", [""]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def read_page(path: str, content: bytes) -> PageParser:
    parser = PageParser()
    parser.feed(content.decode("utf-8", errors="replace"))
    for form in parser.forms:
        form.action = form.action or path
        form.fields = [f for f in form.fields if f.name != "csrfmiddlewaretoken"]
    return parser


# --- Plausible values, what a person would type -------------------------------------------------


DATE_PART = re.compile(r"^(?P<base>.+)_(?P<part>day|month|year)$")  # booking.dates.DateParts: three boxes


def plausible_day(name: str, *, today: dt.date) -> dt.date | None:
    """The date a person would give in the date field `name`, if it is one."""
    if "birth" in name or "naissance" in name:
        return dt.date(1990, 5, 17)
    if "expires" in name or "expir" in name:
        return today + dt.timedelta(days=60)
    if "date" in name or name in ("start", "end", "jour", "day", "first", "last"):
        return today + dt.timedelta(days=7)
    return None


def plausible(field_: Field, *, today: dt.date) -> str:
    """A value that a person filling the form in good faith might give."""
    name, hint = field_.name.lower(), field_.autocomplete
    offered = [value for value in field_.values if value]
    if (match := DATE_PART.match(name)) and (day := plausible_day(match["base"], today=today)):
        return str(getattr(day, match["part"]))
    if field_.kind in ("select", "radio", "checkbox", "hidden") and offered:
        return offered[0]
    if field_.kind == "hidden" and name == "altcha":
        return ""
    if field_.kind == "email" or "email" in name:
        return "aminata.fuzz@example.org"
    if hint == "bday" or "birth" in name or "naissance" in name:
        return "17/05/1990"
    if field_.kind == "date" or "date" in name or name in ("start", "end", "jour", "day"):
        return (today + dt.timedelta(days=7)).isoformat()
    if "expires" in name or "expir" in name:
        return (today + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    if "foreigner" in name:
        return "7512345678"
    if "passport" in name:
        return ""
    if hint == "tel" or "phone" in name:
        return "0612345678"
    if "code" in name:
        return "123456"
    if hint == "family-name" or "last_name" in name:
        return "Diallo"
    if hint == "given-name" or "first_name" in name:
        return "Aminata"
    return field_.values[0] if field_.values else "x"


def proof_for(client, challenge_url: str) -> str:
    """What the page's script would send: the challenge fetched and solved."""
    response = client.get(challenge_url)
    return solve(json.loads(response.content))


# --- Sessions -------------------------------------------------------------------------------------


def session_state(client) -> tuple[str, str] | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if cookie is None:
        return None
    row = Session.objects.filter(pk=cookie.value).values_list("session_data", flat=True).first()
    return (cookie.value, row) if row is not None else None


def restore_session(client, state: tuple[str, str] | None) -> None:
    """Put the session back as it was when the target's page was shown (in the example's transaction)."""
    if state is None:
        return
    key, data = state
    expire = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    Session.objects.update_or_create(pk=key, defaults={"session_data": data, "expire_date": expire})
    client.cookies[settings.SESSION_COOKIE_NAME] = key


# --- The crawl ------------------------------------------------------------------------------------


def crawl(client, *, area: str, seeds: list[str], today: dt.date, within: str = "/") -> list[Target]:
    """Explore from `seeds` the pages under `within`; returns every target found, once each."""
    targets: dict[tuple, Target] = {}
    seen: set[str] = set()
    visits = 0
    # (url, reached by submitting a form): a step of a flow is visited again once the step before is done.
    queue = deque((url, False) for url in seeds)
    while queue and visits < MAX_PAGES:
        url, submitted = queue.popleft()
        if (url in seen and not submitted) or not _inside(url, within):
            continue
        seen.add(url)
        visits += 1
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.appendleft((response["Location"], submitted))
            continue
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = read_page(urlsplit(url).path, response.content)
        state = session_state(client)
        for link in page.links:
            _add_link(targets, area, link, state, within)
            queue.append((link, False))
        for form in page.forms:
            key = (area, form.method, urlsplit(form.action).path, tuple(sorted(f.name for f in form.fields)))
            if key in targets or not _inside(form.action, within):
                continue
            targets[key] = Target(area, form.method, form.action, form.fields, state, form.challenge_url)
            if form.asks_for_data:
                queue.appendleft((_submit_plausibly(client, form, today=today), True))
    return list(targets.values())


def _inside(url: str, within: str) -> bool:
    """A page of this site, under `within`, and in the admin only when exploring the admin."""
    parts = urlsplit(url)
    path = parts.path
    return (
        not parts.netloc.replace("testserver", "")
        and path.startswith(within)
        and not path.startswith(SKIPPED_PATHS)
        and (within.startswith(ADMIN) or not path.startswith(ADMIN))
    )


def _add_link(targets: dict, area: str, link: str, state, within: str) -> None:
    parts = urlsplit(link)
    if not parts.query or not _inside(link, within):
        return
    names = dict(parse_qsl(parts.query, keep_blank_values=True))
    key = (area, "get", parts.path, tuple(sorted(names)))
    if key not in targets:
        fields = [Field(name, "text", [value]) for name, value in names.items()]
        targets[key] = Target(area, "get", parts.path, fields, state)


def _submit_plausibly(client, form: Form, *, today: dt.date) -> str:
    data = {f.name: plausible(f, today=today) for f in form.fields if f.kind not in ("submit", "button")}
    if form.challenge_url:
        data["altcha"] = proof_for(client, form.challenge_url)
    send = client.post if form.method == "post" else client.get
    response = send(form.action, data)
    return response.get("Location", form.action)


# --- What must not change -------------------------------------------------------------------------

# Rows a refused or read-only request may still write: sessions, the staff login's throttles and
# failed attempts (django-axes, django-otp), the rate limits' fallback, and audit history, which a
# wrong code counted on a hold appends to (the booking's columns checked below leave the count out).
UNCHECKED_TABLES = ("django_session", "axes_", "otp_", "booking_redeemedproof", "django_migrations")
BOOKING_COLUMNS = (
    "id, status, slot_id, counter_type_id, last_name, first_names, birth_date, nationality, foreigner_number, "
    "passport_number, email, phone, cancelled_at, anonymised_at, version, checked_in_at, handed_over"
)


@functools.cache
def _snapshot_query() -> tuple[list[str], str]:
    with connection.cursor() as cursor:
        tables = [
            table
            for table in connection.introspection.table_names(cursor)
            if not table.startswith(UNCHECKED_TABLES) and "_historical" not in table
        ]
    parts = [f"(SELECT count(*) FROM {connection.ops.quote_name(table)})::text" for table in tables]
    parts.append(
        f"(SELECT md5(coalesce(string_agg(concat_ws('|', {BOOKING_COLUMNS}), ',' ORDER BY id), '')) "
        "FROM booking_booking)"
    )
    parts.append(
        "(SELECT md5(coalesce(string_agg(concat_ws('|', id, starts_at, capacity, booked), ',' ORDER BY id), '')) "
        "FROM counters_slot)"
    )
    return [*tables, "bookings", "slots"], f"SELECT {', '.join(parts)}"


def snapshot() -> tuple:
    """Row counts of every table and a checksum of the bookings and slots, in one query: what is saved."""
    names, query = _snapshot_query()
    with connection.cursor() as cursor:
        cursor.execute(query)
        return tuple(zip(names, cursor.fetchone(), strict=True))
