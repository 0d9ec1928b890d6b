import datetime as dt
import html
import re
from base64 import b32decode
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from booking.management.commands.seed_demo import DEMO_PASSWORD
from booking.models import Booking
from booking.roles import AGENT_GROUP, HEAD_GROUP
from booking.services import check_in_booking
from counters.models import CounterType, ExceptionalOpening, Site, Slot
from counters.services import plan_opening_slots
from tests.clock import freeze
from tests.conftest import log_in
from tests.factories import at, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.SLOT_HORIZON_DAYS = 10  # enough for the demo appointments, and quick
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def demo_sites(user):
    """The sites seed_demo gave the demo login: the tests keep them."""
    return list(user.staff_profile.sites.all())


def test_the_demo_has_one_login_per_role_and_prints_them(demo):
    users = get_user_model().objects
    assert [g.name for g in users.get(username="agent").groups.all()] == [AGENT_GROUP]
    assert [g.name for g in users.get(username="cheffe").groups.all()] == [HEAD_GROUP]
    assert "agent  (Agent d'accueil, " in demo and "cheffe  (Chef de bureau, " in demo
    assert Slot.objects.filter(reserved_capacity__gt=0).exists()
    assert CounterType.objects.filter(handover="permit").exists()


def _printed(demo: str, username: str) -> tuple[bytes, list[str]]:
    """The key and recovery codes seed_demo printed for `username`."""
    block = demo.split(f"  {username}  (", 1)[1]
    secret = re.search(r"key: ([A-Z2-7 ]+)\n", block).group(1).replace(" ", "")
    codes = re.search(r"recovery codes: ([a-z2-7 -]+)\n", block).group(1).split()
    return b32decode(secret), codes


def test_the_demo_logins_work_with_the_printed_key_or_a_printed_recovery_code(client, demo):
    key, codes = _printed(demo, "agent")
    assert len(codes) == 10
    client.post(reverse("staff_auth:login"), {"username": "agent", "password": DEMO_PASSWORD})
    response = client.post(reverse("staff_auth:verify"), {"code": f"{totp(key):06d}"})
    assert response["Location"] == reverse("staff:home")
    client.post(reverse("staff_auth:logout"))
    key, codes = _printed(demo, "admin")
    client.post(reverse("staff_auth:login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert client.post(reverse("staff_auth:verify"), {"code": codes[0]})["Location"] == reverse("staff:home")
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_demo_key_stays_from_one_run_to_the_next(demo):
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert _printed(again.getvalue(), "cheffe")[0] == _printed(demo, "cheffe")[0]


def test_the_demo_staff_work_at_their_sites(demo):
    users = get_user_model().objects
    assert {s.slug for s in users.get(username="agent").staff_profile.sites.all()} == {"herault", "la-reunion"}
    assert {s.slug for s in users.get(username="cheffe").staff_profile.sites.all()} == {"herault"}


def test_seeding_twice_changes_nothing(demo):
    counts = (Slot.objects.count(), Booking.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Slot.objects.count(), Booking.objects.count()) == counts


def test_with_the_demo_a_head_publishes_a_saturday_and_an_agent_checks_someone_in(client, demo):
    site = Site.objects.get(slug="herault")
    head = get_user_model().objects.get(username="cheffe")
    agent = get_user_model().objects.get(username="agent")
    log_in(client, head, sites=demo_sites(head))
    saturday = next_weekday(5, weeks=2)  # clear of the demo's own Saturday, and not a public holiday
    types = list(site.counter_types.filter(code__in=["depot-renouvellement", "remise-titre"]))
    response = client.post(
        reverse("admin:counters_exceptionalopening_add"),
        {
            "site": site.pk,
            "date": saturday.isoformat(),
            "start_time": "09:00",
            "end_time": "12:00",
            "counter_types": [t.pk for t in types],
            "places": 120,
            "published_at_0": "",
            "published_at_1": "",
            "announcement_title_fr": "Samedi matin supplémentaire",
            "announcement_text": "",
        },
    )
    assert response.status_code == 302
    opening = ExceptionalOpening.objects.get(date=saturday, announcement_title="Samedi matin supplémentaire")
    preview = [(p.counter_type.pk, p.starts_at, p.capacity) for p in plan_opening_slots(opening)]
    change = reverse("admin:counters_exceptionalopening_change", args=[opening.pk])
    client.post(change, {**_form(opening, types), "_publish": "1"})
    assert sorted(opening.slots.values_list("counter_type_id", "starts_at", "capacity")) == sorted(preview)
    listing = client.get(reverse("admin:counters_slot_changelist"), {"opening__id__exact": opening.pk})
    assert listing.context["cl"].result_count == len(preview)

    demo = Booking.objects.filter(counter_type__site=site, email__endswith="@demo.example.org")
    booking = demo.order_by("slot__starts_at").first()
    check_in_booking(booking=booking, agent=agent, now=booking.slot.starts_at)
    day = timezone.localtime(booking.slot.starts_at).date().isoformat()
    stats = client.get(reverse("staff:statistics"), {"site": site.pk, "start": day, "end": day}).context["statistics"]
    demo_day = Booking.objects.filter(counter_type__site=site, slot__starts_at__date=day)
    assert stats.total.booked == demo_day.count()
    assert stats.total.checked_in == 1


def _form(opening, types):
    return {
        "site": opening.site_id,
        "date": opening.date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "counter_types": [t.pk for t in types],
        "places": opening.places,
        "published_at_0": "",
        "published_at_1": "",
        "announcement_title_fr": opening.announcement_title,
        "announcement_text_fr": "",
    }


def test_demo_documents_to_bring_make_sense_on_the_pages_and_the_pdf_too(demo):
    """The list is shown on pages, in every e-mail and on the printed convocation: never "this e-mail"."""
    documents = [doc for counter_type in CounterType.objects.all() for doc in counter_type.documents]
    assert "Votre convocation (imprimée ou sur votre téléphone)" in documents
    assert not [doc for doc in documents if "cet e-mail" in doc or "ce courriel" in doc]


TUESDAY_EVENING = at(dt.date(2026, 11, 24), 21, 30)  # Paris; already Wednesday 00:30 in La Réunion


@pytest.fixture
def demo_at_night(settings, monkeypatch):
    settings.SLOT_HORIZON_DAYS = 2
    freeze(monkeypatch, TUESDAY_EVENING)
    call_command("seed_demo", stdout=StringIO())


def demo_days(slug):
    site = Site.objects.get(slug=slug)
    bookings = Booking.objects.filter(counter_type__site=site, email__endswith="@demo.example.org")
    return site, {b.slot.starts_at.astimezone(ZoneInfo(site.time_zone)).date() for b in bookings}, bookings


def test_demo_appointments_are_for_today_in_each_sites_time_zone_even_late_in_the_evening(demo_at_night):
    herault, herault_days, herault_bookings = demo_days("herault")
    reunion, reunion_days, reunion_bookings = demo_days("la-reunion")
    assert herault_days == {dt.date(2026, 11, 24)} and herault_bookings.count() == 6
    assert reunion_days == {dt.date(2026, 11, 25)} and reunion_bookings.count() == 6
    assert reunion.time_zone == "Indian/Reunion"


def test_with_the_demo_at_night_an_agent_has_people_to_check_in_today(client, demo_at_night):
    site, _days, bookings = demo_days("herault")
    agent = get_user_model().objects.get(username="agent")
    log_in(client, agent, sites=demo_sites(agent))
    page = html.unescape(client.get(reverse("staff:agenda"), {"site": site.pk}).content.decode())
    for booking in bookings:
        assert booking.display_reference in page
    assert "Enregistrer l'arrivée" in page
    first = bookings.order_by("slot__starts_at").first()
    assert client.post(reverse("staff:check-in"), {"reference": first.reference}).status_code == 302


def test_the_default_statistics_period_shows_the_demo_figures(client, demo_at_night):
    site, _days, bookings = demo_days("herault")
    head = get_user_model().objects.get(username="cheffe")
    log_in(client, head, sites=demo_sites(head))
    statistics = client.get(reverse("staff:statistics"), {"site": site.pk}).context["statistics"]
    assert statistics.total.booked == bookings.count() == 6


def test_the_next_day_the_demo_books_that_day_too(settings, monkeypatch, demo_at_night):
    freeze(monkeypatch, TUESDAY_EVENING + dt.timedelta(days=1))
    call_command("seed_demo", stdout=StringIO())
    _site, days, _bookings = demo_days("herault")
    assert days == {dt.date(2026, 11, 24), dt.date(2026, 11, 25)}


def test_on_a_sunday_the_demo_appointments_are_on_the_next_open_day(settings, monkeypatch):
    settings.SLOT_HORIZON_DAYS = 2
    freeze(monkeypatch, at(dt.date(2026, 11, 29), 10))
    call_command("seed_demo", stdout=StringIO())
    _site, days, bookings = demo_days("herault")
    assert days == {dt.date(2026, 11, 30)} and bookings.count() == 6
