"""In Chromium, under the Content-Security-Policy: a first login with the set-up of the second factor,
then a login with a recovery code, and the lockout page. Each page passes an axe audit too."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from booking.roles import AGENT_GROUP, sync_staff_groups
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_content_security_policy import ViolationRecorder
from tests.conftest import STAFF_PASSWORD, assign_sites
from tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newcomer(django_user_model):
    user = django_user_model.objects.create_user(username="nouvelle", password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(sync_staff_groups()[AGENT_GROUP])
    assign_sites(user, [SiteFactory(name="Préfecture de Montpellier")])
    return user


def _password(page, password=STAFF_PASSWORD):
    page.get_by_label("Identifiant").fill("nouvelle")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Continuer").click()


def test_a_first_login_sets_up_the_app_then_a_recovery_code_logs_in(page, newcomer):
    recorder = ViolationRecorder(page)
    audited = {}
    page.goto("/agents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion des agents")
    recorder.assert_none()
    audited["login"] = serious_violations(page)
    _password(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    qr_code = page.get_by_role("img", name=re.compile("QR code à scanner"))
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 100  # drawn, the data: image allowed by the policy
    audited["enrolment"] = serious_violations(page)
    # Typed from the key shown, as on a phone without a camera.
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code affiché par l'application").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Activer la double authentification").click()
    recorder.assert_none()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = page.get_by_role("list", name="Codes de secours").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()
    audited["recovery codes"] = serious_violations(page)
    page.get_by_text("J'ai conservé ces codes en lieu sûr").click()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace agents")
    expect(page.get_by_text("Vos sites : Préfecture de Montpellier")).to_be_visible()
    recorder.assert_none()

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté.")).to_be_visible()
    _password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    audited["code"] = serious_violations(page)
    page.get_by_label("Code de vérification").fill(recovery_code)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace agents")
    expect(page.get_by_text("Il vous en reste 9.")).to_be_visible()
    recorder.assert_none()
    assert {name: found for name, found in audited.items() if found} == {}


def test_repeated_wrong_passwords_get_the_lockout_page(page, newcomer):
    recorder = ViolationRecorder(page)
    page.goto("/agents/connexion/")
    for _ in range(5):
        _password(page, password="pas-le-bon-mot-de-passe")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion temporairement bloquée")
    page.goto("/agents/connexion/")
    _password(page)  # the right password, too late
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion temporairement bloquée")
    recorder.assert_none()
    assert serious_violations(page) == []
