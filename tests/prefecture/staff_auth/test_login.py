"""The staff login: a page of the site, the password, then a code; nothing staff-only before both."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from prefecture.staff_auth.pending import PENDING_KEY, PENDING_SECONDS
from tests.conftest import STAFF_PASSWORD, assign_sites, current_code, give_second_factor, log_in, wrong_code
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

LOGIN = "/agents/connexion/"
CODE = "/agents/connexion/code/"


def _password_step(client, username="agent", password=STAFF_PASSWORD, next_path=""):
    query = f"?next={next_path}" if next_path else ""
    return client.post(LOGIN + query, {"username": username, "password": password})


def test_the_login_is_a_page_of_the_site_on_the_design_system(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Connexion des agents" in page
    assert 'class="fr-header' in page and 'class="fr-input' in page
    assert 'name="username"' in page and 'type="password"' in page
    assert "django-admin" not in page and "Django administration" not in page


def test_the_right_password_leads_to_the_code_step_without_logging_in(client, agent):
    response = _password_step(client)
    assert response.status_code == 302 and response["Location"] == reverse("staff_auth:verify")
    assert SESSION_KEY not in client.session  # nobody is logged in yet
    page = client.get(CODE)
    assert page.status_code == 200 and "Code de vérification" in page.content.decode()


def test_the_code_of_the_app_completes_the_login_and_goes_where_asked(client, agent):
    assign_sites(agent, [SiteFactory()])
    device = give_second_factor(agent)
    _password_step(client, next_path="/agents/agenda/")
    response = client.post(CODE, {"code": current_code(device)})
    assert response.status_code == 302 and response["Location"] == "/agents/agenda/"
    assert client.session[SESSION_KEY] == str(agent.pk)
    assert client.get("/agents/").status_code == 200


def test_a_code_is_accepted_only_once(client, agent):
    device = give_second_factor(agent)
    code = current_code(device)
    _password_step(client)
    assert client.post(CODE, {"code": code}).status_code == 302
    client.post(reverse("staff_auth:logout"))
    _password_step(client)
    response = client.post(CODE, {"code": code})  # seen over the shoulder, or replayed
    assert response.status_code == 400
    assert "Ce code n&#x27;est pas valable" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_wrong_code_gets_a_clear_message_and_no_login(client, agent):
    device = give_second_factor(agent)
    _password_step(client)
    response = client.post(CODE, {"code": wrong_code(device)})
    assert response.status_code == 400
    assert "Saisissez les 6 chiffres affichés par votre application" in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(("username", "password"), [("agent", "pas-le-bon-mot-de-passe"), ("personne", STAFF_PASSWORD)])
def test_a_wrong_login_name_or_password_gets_the_same_answer(client, agent, username, password):
    response = _password_step(client, username=username, password=password)
    assert response.status_code == 400
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert PENDING_KEY not in client.session


@pytest.mark.parametrize(("username", "password"), [("a" * 300, STAFF_PASSWORD), ("agent", "x" * 5000)])
def test_an_overlong_login_name_or_password_gets_a_message_not_an_error(client, agent, username, password):
    response = _password_step(client, username=username, password=password)
    assert response.status_code == 400
    assert "caractères" in response.content.decode()


def test_the_password_step_expires_after_a_few_minutes(client, agent):
    _password_step(client)
    session = client.session
    session[PENDING_KEY]["at"] = time.time() - PENDING_SECONDS - 1
    session.save()
    response = client.get(CODE)
    assert response.status_code == 302 and response["Location"] == reverse("staff_auth:login")


def test_a_next_address_on_another_site_is_ignored(client, agent):
    device = give_second_factor(agent)
    _password_step(client, next_path="https://evil.example/")
    response = client.post(CODE, {"code": current_code(device)})
    assert response["Location"] == reverse("staff:home")


def test_logging_out_takes_a_post(client, agent):
    log_in(client, agent)
    assert client.get(reverse("staff_auth:logout")).status_code == 405
    assert client.get("/agents/").status_code == 200
    response = client.post(reverse("staff_auth:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("staff_auth:login")
    assert client.get("/agents/").status_code == 302
