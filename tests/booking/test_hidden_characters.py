"""Names cannot carry invisible or bidi-control characters, on the public form or the agents' one."""

import html
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from tests.booking.test_flow_views import IDENTITY, to_identity
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SlotFactory
from tests.flow import hold

pytestmark = pytest.mark.django_db

HIDDEN = {
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "soft hyphen": "\u00ad",
    "tab": "\t",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "private use": "\ue000",
}


@pytest.fixture
def slot():
    return SlotFactory(capacity=2, counter_type=CounterTypeFactory(min_days_ahead=0))


@pytest.mark.parametrize("character", HIDDEN.values(), ids=HIDDEN.keys())
@pytest.mark.parametrize("field", ["last_name", "first_names"])
def test_a_name_with_a_hidden_character_is_refused_on_the_public_form(client, slot, field, character):
    to_identity(client, slot)
    response = client.post(reverse("booking:identity"), {**IDENTITY, field: f"Ngu{character}yen"})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "caractère invisible ou de mise en forme" in page
    assert f"U+{ord(character):04X}" in page


def test_an_email_with_a_bidi_override_is_refused(client, slot):
    to_identity(client, slot)
    email = "van.anh@exa\u202emple.org"
    response = client.post(reverse("booking:identity"), {**IDENTITY, "email": email, "email_confirmation": email})
    assert response.status_code == 400
    assert "caractère invisible" in html.unescape(response.content.decode())


def test_names_are_stored_in_nfc(client, slot, django_capture_on_commit_callbacks):
    decomposed = unicodedata.normalize("NFD", "Hélène Zoë")
    to_identity(client, slot)
    response = client.post(reverse("booking:identity"), {**IDENTITY, "first_names": decomposed})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        hold(client)
    assert Booking.objects.get().first_names == "Hélène Zoë"


def test_plain_spaces_hyphens_and_apostrophes_are_accepted(client, slot):
    to_identity(client, slot)
    response = client.post(
        reverse("booking:identity"), {**IDENTITY, "last_name": "N'Diaye-Ben Ali", "first_names": "Jean Marie"}
    )
    assert response.status_code == 302


def test_an_agent_cannot_record_a_name_with_a_bidi_override(client, agent, slot):
    log_in(client, agent)
    starts_at = timezone.localtime(slot.starts_at)
    data = {
        **IDENTITY,
        "counter_type": slot.counter_type_id,
        "date": starts_at.date().isoformat(),
        "starts_at": starts_at.isoformat(),
        "channel": "phone",
        "last_name": "\u202eneyugN",
    }
    response = client.post(reverse("staff:book"), data)
    assert response.status_code == 400
    assert "caractère invisible ou de mise en forme" in html.unescape(response.content.decode())
    assert not Booking.objects.exists()


def test_a_correction_in_the_admin_cannot_bring_a_bidi_override_into_the_address(admin_client, slot, book):
    booking = book(slot)
    url = reverse("admin:booking_booking_change", args=[booking.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(email="aminata@exa\u202emple.org")
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "caractère invisible ou de mise en forme" in html.unescape(response.content.decode())
    booking.refresh_from_db()
    assert booking.email == "aminata0@example.org"
