import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counters.models import Slot
from counters.services import plan_opening_slots
from tests.conftest import log_in
from tests.factories import (
    CounterFactory,
    CounterTypeFactory,
    ExceptionalOpeningFactory,
    OpeningRuleFactory,
    SiteFactory,
    SlotFactory,
    at,
    book_confirmed,
    next_weekday,
    person,
)

pytestmark = pytest.mark.django_db


def _slot_form(slot, **changes):
    return {"capacity": slot.capacity, "reserved_capacity": slot.reserved_capacity, **changes}


def test_anonymous_users_get_the_staff_login_page(client):
    response = client.get(reverse("admin:counters_counter_changelist"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("staff_auth:login"))


def test_an_agent_can_read_but_not_change_configuration(client, agent):
    counter = CounterFactory()
    log_in(client, agent)
    assert client.get(reverse("admin:counters_counter_changelist")).status_code == 200
    assert client.get(reverse("admin:counters_counter_add")).status_code == 403
    change_url = reverse("admin:counters_counter_change", args=[counter.pk])
    assert client.post(change_url, {"label": "Renommé", "site": counter.site_id}).status_code == 403
    counter.refresh_from_db()
    assert counter.label != "Renommé"
    slot = SlotFactory(capacity=3)
    response = client.post(reverse("admin:counters_slot_change", args=[slot.pk]), _slot_form(slot, capacity=9))
    assert response.status_code == 403


def test_a_head_of_bureau_raises_a_slots_places(client, head):
    slot = SlotFactory(capacity=2)
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_slot_change", args=[slot.pk]), _slot_form(slot, capacity=5, reserved_capacity=1)
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.reserved_capacity, slot.capacity_set_by_hand) == (5, 1, True)
    assert slot.history.latest().history_user == head


def test_lowering_a_slot_below_what_is_booked_is_refused_with_a_clear_error(client, head):
    slot = SlotFactory(capacity=3)
    for n in range(2):
        book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))
    log_in(client, head)
    response = client.post(reverse("admin:counters_slot_change", args=[slot.pk]), _slot_form(slot, capacity=1))
    assert response.status_code == 200
    assert "2 place(s) sont déjà prises sur ce créneau" in response.content.decode()
    slot.refresh_from_db()
    assert slot.capacity == 3


def test_the_opening_page_previews_the_slots_and_publishing_creates_exactly_them(client, head):
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, slot_duration_minutes=30, name="Dépôt du samedi")
    opening = ExceptionalOpeningFactory(site=site, published_at=None, places=40, counter_types=[filing])
    log_in(client, head)
    url = reverse("admin:counters_exceptionalopening_change", args=[opening.pk])
    page = client.get(url).content.decode()
    assert "8 créneaux, 40 places" in page
    assert "Dépôt du samedi" in page
    preview = [(p.starts_at, p.capacity) for p in plan_opening_slots(opening)]
    form = {
        "site": site.pk,
        "date": opening.date.isoformat(),
        "start_time": "08:30",
        "end_time": "12:30",
        "counter_types": [filing.pk],
        "places": 40,
        "published_at_0": "",
        "published_at_1": "",
        "announcement_title_fr": opening.announcement_title,
        "announcement_text_fr": "",
        "_publish": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    opening.refresh_from_db()
    assert opening.published_at is not None
    assert list(opening.slots.order_by("starts_at").values_list("starts_at", "capacity")) == preview


def _changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_admin_lists_do_not_query_per_row(client, head):
    counter_type = CounterTypeFactory()
    log_in(client, head, sites=[counter_type.site])  # a head of this site: the lists filter by it
    monday = next_weekday(0)

    def add_rows(start: int, count: int) -> None:
        for n in range(start, start + count):
            slot = SlotFactory(counter_type=counter_type, starts_at=at(monday, 8, n), capacity=2)
            book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(n))
            counter = CounterFactory(site=counter_type.site, counter_types=[counter_type])
            OpeningRuleFactory(counter=counter, counter_type=counter_type)
            ExceptionalOpeningFactory(site=counter_type.site, counter_types=[counter_type])

    urls = [
        reverse("admin:booking_booking_changelist"),
        reverse("admin:counters_slot_changelist"),
        reverse("admin:counters_counter_changelist"),
        reverse("admin:counters_exceptionalopening_changelist"),
        reverse("admin:counters_closure_changelist"),
        reverse("admin:counters_countertype_changelist"),
    ]
    add_rows(0, 2)
    few = [_changelist_queries(client, url) for url in urls]
    add_rows(2, 10)
    many = [_changelist_queries(client, url) for url in urls]
    assert many == few
    assert client.get(urls[0]).context["cl"].result_count == 12  # the rows are there to be counted


def test_bookings_are_found_by_reference_as_printed_and_by_name(client, head):
    slot = SlotFactory(capacity=2)
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1))
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(2, last_name="Nguyen"))
    log_in(client, head)
    url = reverse("admin:booking_booking_changelist")
    by_reference = client.get(url, {"q": booking.display_reference.lower()}).context["cl"].result_list
    assert [b.pk for b in by_reference] == [booking.pk]
    by_name = client.get(url, {"q": "nguyen"}).context["cl"].result_list
    assert [b.last_name for b in by_name] == ["Nguyen"]


def test_slots_cannot_be_added_or_deleted_by_hand(client, head):
    slot = SlotFactory()
    log_in(client, head)
    assert client.get(reverse("admin:counters_slot_add")).status_code == 403
    assert client.post(reverse("admin:counters_slot_delete", args=[slot.pk]), {"post": "yes"}).status_code == 403
    assert Slot.objects.filter(pk=slot.pk).exists()


def test_the_publish_action_publishes_the_chosen_openings_and_reports_a_missing_procedure(client, head):
    ready = ExceptionalOpeningFactory(published_at=None, places=10, counter_types=[CounterTypeFactory()])
    empty = ExceptionalOpeningFactory(published_at=None)
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_exceptionalopening_changelist"),
        {"action": "publish_now", "_selected_action": [ready.pk, empty.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Choisissez au moins une démarche" in page
    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.published_at is not None and ready.slots.exists()
    assert empty.published_at is None


def test_the_slot_form_shows_the_services_capacity_refusal(client, head, monkeypatch):
    """The admin asks counters.services for the rule: the message it shows is the service's own."""
    from counters import admin as counters_admin
    from counters.exceptions import CapacityBelowBooked

    def refuse(*, slot, capacity, reserved_capacity):
        raise CapacityBelowBooked("Refus venu du service", field="reserved_capacity")

    monkeypatch.setattr(counters_admin, "check_slot_capacity", refuse)
    slot = SlotFactory(capacity=3)
    log_in(client, head)
    response = client.post(reverse("admin:counters_slot_change", args=[slot.pk]), _slot_form(slot, capacity=4))
    assert response.status_code == 200
    assert "Refus venu du service" in response.content.decode()
    slot.refresh_from_db()
    assert slot.capacity == 3


def test_a_booking_made_between_the_form_check_and_the_save_is_counted_by_the_service(client, head, monkeypatch):
    """The form saw no booking; the service, on the locked row, sees the one made meanwhile and refuses."""
    from counters import admin as counters_admin

    slot = SlotFactory(capacity=3)
    check = counters_admin.check_slot_capacity

    def check_then_someone_books(*, slot, capacity, reserved_capacity):
        check(slot=slot, capacity=capacity, reserved_capacity=reserved_capacity)
        for n in range(2):
            book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))

    monkeypatch.setattr(counters_admin, "check_slot_capacity", check_then_someone_books)
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_slot_change", args=[slot.pk]), _slot_form(slot, capacity=1), follow=True
    )
    page = response.content.decode()
    assert "2 place(s) sont déjà prises sur ce créneau" in page
    assert "avec succès" not in page
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.capacity_set_by_hand) == (3, 2, False)


def _opening_form(opening, **changes):
    return {
        "site": opening.site_id,
        "date": opening.date.isoformat(),
        "start_time": opening.start_time.strftime("%H:%M"),
        "end_time": opening.end_time.strftime("%H:%M"),
        "counter_types": [t.pk for t in opening.counter_types.all()],
        "places": opening.places,
        "published_at_0": "",
        "published_at_1": "",
        "announcement_title_fr": opening.announcement_title,
        "announcement_text_fr": "",
        **changes,
    }


def _published_and_twin():
    from counters.services import publish_opening

    site = SiteFactory()
    filing = CounterTypeFactory(site=site, slot_duration_minutes=30)
    saturday = dt.date(2027, 1, 16)
    published = ExceptionalOpeningFactory(site=site, date=saturday, places=40, counter_types=[filing])
    publish_opening(opening=published, confirmed=True)
    twin = ExceptionalOpeningFactory(site=site, date=saturday, published_at=None, places=40, counter_types=[filing])
    return published, twin


def test_the_preview_warns_that_an_identical_opening_is_already_published(client, head):
    published, twin = _published_and_twin()
    log_in(client, head)
    page = html.unescape(
        client.get(reverse("admin:counters_exceptionalopening_change", args=[twin.pk])).content.decode()
    )
    assert "Publier celle-ci doublerait les places" in page and str(published) in page


def test_publishing_an_identical_opening_from_the_admin_needs_a_confirmation(client, head):
    published, twin = _published_and_twin()
    log_in(client, head)
    url = reverse("admin:counters_exceptionalopening_change", args=[twin.pk])
    page = html.unescape(client.post(url, _opening_form(twin, _publish="1"), follow=True).content.decode())
    assert "doublerait les places" in page
    twin.refresh_from_db()
    assert twin.published_at is None and not twin.slots.exists()

    client.post(url, _opening_form(twin, _publish="1", confirm_overlap="on"))
    twin.refresh_from_db()
    assert twin.published_at is not None and twin.slots.count() == 8


def test_a_publication_date_typed_in_the_form_is_refused_for_an_identical_opening(client, head):
    published, twin = _published_and_twin()
    log_in(client, head)
    url = reverse("admin:counters_exceptionalopening_change", args=[twin.pk])
    form = _opening_form(twin, published_at_0="2026-11-02", published_at_1="10:00")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "doublerait les places" in html.unescape(response.content.decode())
    twin.refresh_from_db()
    assert twin.published_at is None and not twin.slots.exists()
    assert client.post(url, {**form, "confirm_overlap": "on"}).status_code == 302
    twin.refresh_from_db()
    assert twin.published_at is not None and twin.slots.exists()


def test_the_publish_action_refuses_an_identical_opening(client, head):
    published, twin = _published_and_twin()
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_exceptionalopening_changelist"),
        {"action": "publish_now", "_selected_action": [twin.pk]},
        follow=True,
    )
    assert "doublerait les places" in html.unescape(response.content.decode())
    twin.refresh_from_db()
    assert twin.published_at is None


@pytest.mark.parametrize("value", ["\u202e\u2066gnp.exe", "12abc", "99999999999999999999999"])
def test_a_forged_urgent_procedure_is_refused_with_the_form_shown_again(admin_client, value):
    """Found by the fuzz test: the autocomplete widget looked the value up as is when showing the form again."""
    procedure = CounterTypeFactory()
    url = reverse("admin:counters_countertype_change", args=[procedure.pk])
    response = admin_client.post(url, {"site": procedure.site_id, "code": procedure.code, "urgent_counter_type": value})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["urgent_counter_type"]


@pytest.mark.parametrize("value", ["\u202e\u2066gnp.exe", "12abc"])
def test_an_admin_action_on_a_forged_selection_is_a_bad_request(admin_client, value):
    """Found by the fuzz test: Django filtered the rows by the forged value as sent, and the lookup raised."""
    site = SiteFactory()
    url = reverse("admin:counters_site_changelist")
    response = admin_client.post(url, {"action": "delete_selected", "_selected_action": [str(site.pk), value]})
    assert response.status_code == 400
    assert site.__class__.objects.filter(pk=site.pk).exists()
