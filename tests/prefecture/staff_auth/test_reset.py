"""A lost phone: a head of bureau (for their sites) or an administrator resets the second factor, audited."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from prefecture.staff_auth import services
from tests.conftest import STAFF_PASSWORD, assign_sites, log_in

pytestmark = pytest.mark.django_db


def _reset_action(client, *users):
    return client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk for user in users]},
    )


def test_a_head_of_bureau_resets_an_agent_of_their_site_and_it_is_audited(client, head, agent, montpellier):
    services.replace_recovery_codes(user=agent)
    assign_sites(agent, [montpellier.site])
    agent_client = log_in(type(client)(), agent, sites=[montpellier.site])
    assert agent_client.get("/agents/").status_code == 200
    log_in(client, head, sites=[montpellier.site])
    response = _reset_action(client, agent)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=agent).exists() and not StaticDevice.objects.filter(user=agent).exists()
    entry = LogEntry.objects.get(object_id=str(agent.pk))
    assert (entry.user, entry.change_message) == (head, "Double authentification réinitialisée.")
    # The agent's open session is no longer verified; the next login sets up a new app.
    assert agent_client.get("/agents/")["Location"].startswith(reverse("staff_auth:login"))
    agent_client.logout()
    response = agent_client.post(reverse("staff_auth:login"), {"username": "agent", "password": STAFF_PASSWORD})
    assert response["Location"] == reverse("staff_auth:enrol")


def test_a_head_of_bureau_cannot_reset_an_agent_of_another_site(client, head, agent, montpellier, nanterre):
    assign_sites(agent, [nanterre.site])
    log_in(client, head, sites=[montpellier.site])
    _reset_action(client, agent)
    assert TOTPDevice.objects.filter(user=agent).exists()
    with pytest.raises(services.ResetRefused):
        services.reset_second_factor(user=agent, by=head)
    assert not LogEntry.objects.exists()


def test_nobody_but_an_administrator_resets_an_administrator(head, national_admin, agent, admin_user, montpellier):
    assign_sites(head, [montpellier.site])
    assign_sites(national_admin, [montpellier.site])
    for user in (national_admin, admin_user):
        with pytest.raises(services.ResetRefused):
            services.reset_second_factor(user=user, by=head)
    with pytest.raises(services.ResetRefused):  # an agent has no such right at all
        services.reset_second_factor(user=head, by=agent)
    services.reset_second_factor(user=head, by=national_admin)
    assert not TOTPDevice.objects.filter(user=head).exists()


def test_the_admin_never_shows_the_keys_of_second_factors(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404
