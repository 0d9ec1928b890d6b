"""In Chromium: a resident asks a question without an account (the FAQ entries that may answer it are shown
first), confirms their address with the e-mailed code; an agent answers it from a reply template; the resident
reads the answer, says it helped and replies once; the head of bureau sees the figures. The residents' pages
pass an axe audit with no serious or critical violation."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from booking.questions.models import Question, ReplyTemplate, Topic
from booking.roles import AGENT_GROUP, HEAD_GROUP
from prefecture.models import FaqEntry
from tests.browser.conftest import log_in_browser
from tests.browser.test_accessibility import serious_violations
from tests.conftest import make_staff_user
from tests.factories import SiteFactory
from tests.flow import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Mon titre expire en mars. Quand dois-je déposer ma demande de renouvellement ?"


def test_a_resident_asks_an_agent_answers_from_a_template_and_the_head_sees_the_figures(phone_page, page):
    resident, desk = phone_page, page
    site = SiteFactory(name="Préfecture des Hauts-de-Seine", slug="hauts-de-seine", phone="01 40 97 20 00")
    renewal = Topic.objects.create(name="Renouvellement d'un titre de séjour", faq_topic="renewal")
    Topic.objects.create(name="Autre question", faq_topic="other")
    FaqEntry.objects.create(
        question="Quand renouveler mon titre de séjour ?",
        answer="Deux mois avant son expiration, en prenant rendez-vous en ligne.",
        topic="renewal",
    )
    ReplyTemplate.objects.create(
        title="Renouvellement : délai de dépôt",
        topic=renewal,
        body_fr="Bonjour,\nDéposez votre demande deux mois avant l'expiration. Référence : {reference}.",
    )
    agent = make_staff_user("agent-renseignements", AGENT_GROUP)
    head = make_staff_user("cheffe-renseignements", HEAD_GROUP)
    audited = {}

    # The resident writes the question; the preview shows the FAQ entry of the topic before sending.
    resident.goto("/questions-frequentes/")
    resident.locator("#content").get_by_role("link", name="Poser une question").click()
    expect(resident.get_by_role("heading", name="Poser une question")).to_be_visible()
    resident.get_by_role("button", name="Continuer").click()  # empty: errors next to the fields
    expect(resident.get_by_text("Écrivez votre question.", exact=True)).to_be_visible()
    audited["ask with errors"] = serious_violations(resident)
    resident.get_by_label("Préfecture ou sous-préfecture concernée").select_option(label=site.name)
    resident.get_by_label("Thème").select_option(label=renewal.name)
    resident.get_by_label("Votre question").fill(QUESTION)
    resident.get_by_label(re.compile(r"^Adresse e-mail")).fill("amina@example.org")
    resident.get_by_role("button", name="Continuer").click()
    expect(resident.get_by_role("heading", name="Ces réponses peuvent vous aider")).to_be_visible()
    expect(resident.get_by_text("Quand renouveler mon titre de séjour ?")).to_be_visible()
    audited["preview"] = serious_violations(resident)
    resident.get_by_role("button", name="Envoyer ma question").click()

    expect(resident.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    audited["code"] = serious_violations(resident)
    resident.get_by_label("Code à 6 chiffres").fill(last_code())
    resident.get_by_role("button", name="Envoyer ma question").click()
    question = Question.objects.get()
    expect(resident.get_by_role("heading", name=f"Votre question {question.reference}")).to_be_visible()
    expect(resident.get_by_text("entre les mains de l'équipe")).to_be_visible()
    assert question.reference in mail.outbox[-1].subject  # the acknowledgement, with the reference
    audited["thread, waiting"] = serious_violations(resident)

    # The agent takes it from the inbox and answers from the template.
    log_in_browser(desk, agent, "/agents/questions/", sites=[site])
    expect(desk.get_by_role("heading", name="Questions écrites")).to_be_visible()
    desk.get_by_role("link", name=question.reference).click()
    expect(desk.get_by_text(QUESTION)).to_be_visible()
    desk.get_by_label("Partir d'une réponse type").select_option(label="Renouvellement : délai de dépôt")
    desk.get_by_role("button", name="Utiliser ce modèle").click()
    expect(desk.get_by_label("Réponse", exact=True)).to_have_value(re.compile(f"Référence : {question.reference}"))
    desk.get_by_role("button", name="Envoyer la réponse").click()
    expect(desk.get_by_text("Réponse envoyée à la personne.")).to_be_visible()

    # The resident opens the answer's link, says it helped, and replies once.
    answer = mail.outbox[-1]
    assert "Déposez votre demande deux mois avant l'expiration." in answer.body
    link = re.search(r"https?://[^/\s]+(/ma-question/[^/\s]+/)", answer.body).group(1)
    resident.goto(link)
    expect(resident.get_by_text("Déposez votre demande deux mois avant l'expiration.")).to_be_visible()
    audited["thread, answered"] = serious_violations(resident)
    resident.get_by_role("button", name="Oui, elle m'a aidé").click()
    expect(resident.get_by_text("Vous avez indiqué que la réponse vous a aidé. Merci.")).to_be_visible()
    resident.get_by_label("Votre réponse").fill("Merci. Faut-il apporter une photo ?")
    resident.get_by_role("button", name="Envoyer ma réponse").click()
    expect(resident.get_by_text("Merci. Faut-il apporter une photo ?")).to_be_visible()
    expect(resident.get_by_role("heading", name="Répondre à l'équipe")).to_have_count(0)
    audited["thread, replied"] = serious_violations(resident)
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN and question.helpful is True and question.message_count == 3

    # The head of bureau sees the figures beside the appointments'.
    desk.context.clear_cookies()
    log_in_browser(desk, get_user_model().objects.get(pk=head.pk), "/agents/statistiques/", sites=[site])
    figures = desk.get_by_role("region", name="Service de renseignements")
    expect(figures).to_be_visible()
    expect(figures.locator('[data-figure="received"]')).to_have_text("1")
    expect(figures.locator('[data-figure="answered"]')).to_have_text("1")
    expect(figures.locator('[data-figure="helpful"]')).to_have_text(re.compile(r"^1"))

    assert {name: found for name, found in audited.items() if found} == {}
