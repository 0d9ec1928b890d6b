"""The accessibility statement, in the RGAA's form, linked from every page's footer."""

import html

import pytest
from django.urls import reverse

from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_the_statement_says_partially_conform_and_gives_the_contact_and_the_recourse(client):
    SiteFactory(name="Préfecture de l'Hérault", email="accessibilite@herault.example", phone="04 67 61 61 61")

    response = client.get(reverse("accessibility"))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    for section in (
        "État de conformité",
        "partiellement conforme",
        "RGAA), version 4.1",
        "Contenus non accessibles",
        "Dérogations pour charge disproportionnée",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ):
        assert section in page, section
    assert "mailto:accessibilite@herault.example" in page and "04 67 61 61 61" in page
    assert "https://formulaire.defenseurdesdroits.fr/" in page
    assert "09 69 39 00 00" in page
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in page


def test_every_page_links_to_the_statement_with_its_status(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}">Accessibilité : partiellement conforme</a>' in page


def test_the_statement_is_translated(client):
    client.cookies["django_language"] = "ar"
    page = client.get(reverse("accessibility"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in page
    assert "Déclaration d'accessibilité</h1>" not in html.unescape(page)
