"""A first login sets up the authenticator app, then shows recovery codes once; each works once."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from prefecture.staff_auth import services
from tests.conftest import STAFF_PASSWORD, current_code, log_in, wrong_code
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

LOGIN = "/agents/connexion/"
ENROL = "/agents/connexion/activation/"
CODES = "/agents/connexion/codes-de-secours/"


@pytest.fixture
def newcomer(django_user_model):
    """An agent whose account was just made: a password, no second factor yet."""
    from booking.roles import AGENT_GROUP, sync_staff_groups
    from tests.conftest import assign_sites

    user = django_user_model.objects.create_user(username="nouvelle", password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(sync_staff_groups()[AGENT_GROUP])
    assign_sites(user, [SiteFactory()])
    return user


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page)


def _enrol(client, newcomer) -> list[str]:
    client.post(LOGIN + "?next=/agents/agenda/", {"username": "nouvelle", "password": STAFF_PASSWORD})
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=newcomer)
    assert client.post(ENROL, {"code": current_code(device)})["Location"] == CODES
    return _codes_on(client.get(CODES).content.decode())


def test_without_a_second_factor_the_password_leads_to_its_set_up(client, newcomer):
    response = client.post(LOGIN, {"username": "nouvelle", "password": STAFF_PASSWORD})
    assert response["Location"] == ENROL
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page  # the QR code, an image of the site's own page
    secret = re.search(r'<p class="otp-secret" id="otp-secret">([A-Z2-7 ]+)</p>', page).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key  # the same key, for typing by hand
    assert SESSION_KEY not in client.session


def test_the_key_offered_stays_the_same_until_it_is_confirmed(client, newcomer):
    client.post(LOGIN, {"username": "nouvelle", "password": STAFF_PASSWORD})
    first = client.get(ENROL).content.decode()
    second = client.get(ENROL).content.decode()
    secret = re.compile(r'id="otp-secret">([A-Z2-7 ]+)<')
    assert secret.search(first).group(1) == secret.search(second).group(1)
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_a_wrong_first_code_is_refused_and_nothing_is_set_up(client, newcomer):
    client.post(LOGIN, {"username": "nouvelle", "password": STAFF_PASSWORD})
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed and SESSION_KEY not in client.session


def test_the_first_code_sets_up_the_app_and_shows_ten_recovery_codes_once(client, newcomer):
    codes = _enrol(client, newcomer)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    # Every staff page shows the codes first, until the user says they are kept.
    assert client.get("/agents/agenda/")["Location"] == CODES
    response = client.post(CODES, {})
    assert response.status_code == 400 and "Cochez la case" in response.content.decode()
    response = client.post(CODES, {"saved": "on"})
    assert response["Location"] == "/agents/agenda/"
    assert client.get(CODES)["Location"] == reverse("staff_auth:account")  # never shown again
    assert client.get("/agents/agenda/").status_code == 200


def test_a_recovery_code_logs_in_once(client, newcomer):
    code = _enrol(client, newcomer)[0]
    client.post(CODES, {"saved": "on"})
    client.post(reverse("staff_auth:logout"))
    client.post(LOGIN, {"username": "nouvelle", "password": STAFF_PASSWORD})
    response = client.post("/agents/connexion/code/", {"code": code.upper().replace("-", " ")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "Il vous en reste 9." in response.content.decode()
    client.post(reverse("staff_auth:logout"))
    client.post(LOGIN, {"username": "nouvelle", "password": STAFF_PASSWORD})
    response = client.post("/agents/connexion/code/", {"code": code})
    assert response.status_code == 400 and SESSION_KEY not in client.session


def test_new_recovery_codes_replace_the_old_ones(client, agent):
    old = services.replace_recovery_codes(user=agent)
    log_in(client, agent)
    assert client.get(reverse("staff_auth:new-recovery-codes")).status_code == 405
    response = client.post(reverse("staff_auth:new-recovery-codes"))
    assert response["Location"] == CODES
    new = [code.replace("-", "") for code in _codes_on(client.get(CODES).content.decode())]
    assert len(new) == 10 and not set(new) & set(old)
    client.post(CODES, {"saved": "on"})
    assert services.verify_second_factor(user=agent, code=new[0]).name == services.RECOVERY_DEVICE_NAME
    with pytest.raises(services.CodeRefused):
        services.verify_second_factor(user=agent, code=old[0])


def test_the_account_page_says_how_many_recovery_codes_are_left(client, agent):
    services.replace_recovery_codes(user=agent)
    log_in(client, agent)
    page = client.get(reverse("staff_auth:account")).content.decode()
    assert "Il vous reste 10 codes de secours." in page
