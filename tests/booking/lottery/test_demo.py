"""The demo's lottery opening (Nanterre, a Saturday) takes registrations from `make run` on, and its procedure's
pages offer the waiting list and the certificate."""

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.lottery.services import is_registration_open
from counters.demo import seed_hauts_de_seine
from counters.models import CounterType, ExceptionalOpening
from counters.selectors import list_available_days
from counters.services import materialise_opening

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_lottery_open_now_and_a_procedure_to_wait_for(client):
    seed_hauts_de_seine(timezone.localdate())
    opening = ExceptionalOpening.objects.get(mode=ExceptionalOpening.Mode.LOTTERY)
    materialise_opening(opening=opening)
    opening.refresh_from_db()
    assert is_registration_open(opening, now=timezone.now())
    assert opening.registration_closes_at.astimezone(opening.site.zone).date() < opening.date

    admission = CounterType.objects.get(code="admission-exceptionnelle")
    assert opening.slots.filter(counter_type=admission).exists()
    assert list_available_days(admission) == []
    page = client.get(reverse("booking:start", args=[admission.pk]), follow=True).content.decode()
    assert reverse("waitlist:join", args=[admission.pk]) in page
    assert reverse("attestations:request", args=[admission.pk]) in page
    assert client.get(reverse("lottery:opening", args=[opening.pk])).status_code == 200

    seed_hauts_de_seine(timezone.localdate())  # again: the same opening, its window kept
    assert ExceptionalOpening.objects.get(mode=ExceptionalOpening.Mode.LOTTERY).registration_opens_at == (
        opening.registration_opens_at
    )
