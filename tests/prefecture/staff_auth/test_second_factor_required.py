"""No staff page and no admin page without the second factor: each leads to the code step."""

import pytest
from django.urls import reverse

from tests.conftest import STAFF_PASSWORD, current_code, give_second_factor, log_in
from tests.factories import SiteFactory, SlotFactory

pytestmark = pytest.mark.django_db

STAFF_URLS = [
    "staff:home",
    "staff:agenda",
    "staff:check-in",
    "staff:book",
    "staff:export",
    "staff:statistics",
    "staff_auth:account",
    "admin:index",
    "admin:booking_booking_changelist",
    "admin:counters_counter_changelist",
    "admin:auth_user_changelist",
]


@pytest.fixture
def superuser(django_user_model):
    SiteFactory()  # a site to show, so that every page answers 200 once both factors are given
    user = django_user_model.objects.create_superuser(username="national", password=STAFF_PASSWORD)
    give_second_factor(user)
    return user


@pytest.mark.parametrize("name", STAFF_URLS)
def test_after_the_password_alone_every_staff_page_leads_to_the_code_step(client, superuser, name):
    client.post(reverse("staff_auth:login"), {"username": "national", "password": STAFF_PASSWORD})
    response = client.get(reverse(name), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_auth:verify")
    assert "Code de vérification" in response.content.decode()


@pytest.mark.parametrize("name", STAFF_URLS)
def test_a_session_logged_in_without_a_second_factor_is_asked_for_the_code(client, superuser, name):
    client.force_login(superuser)  # as a session opened before the second factor was required
    response = client.get(reverse(name), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff_auth:verify")
    response = client.post(reverse("staff_auth:verify"), {"code": current_code(give_second_factor(superuser))})
    assert client.get(reverse(name)).status_code == 200


def test_a_desk_page_needs_the_second_factor_too(client, agent):
    slot = SlotFactory()
    log_in(client, agent)
    client.logout()
    client.force_login(agent)
    response = client.get(reverse("staff:booking", args=["ABCDEFGH"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff_auth:login"))
    assert slot.pk  # the site exists: the redirect is about the login, not about the site


def test_the_admin_login_sends_to_the_staff_login_keeping_where_to_go(client):
    response = client.get(reverse("admin:login") + "?next=/admin/counters/counter/")
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_auth:login") + "?next=/admin/counters/counter/"


def test_the_admin_logs_in_through_the_same_page(client, superuser):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("staff_auth:login"))
    client.post(
        response.redirect_chain[-1][0], {"username": "national", "password": STAFF_PASSWORD}
    )  # the next address rides along
    response = client.post(reverse("staff_auth:verify"), {"code": current_code(give_second_factor(superuser))})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
