import pytest
from django.utils import timezone

from booking.questions.models import Question, ReplyTemplate, Topic
from booking.questions.services import ask_question, confirm_question
from tests.conftest import assign_sites
from tests.factories import SiteFactory


@pytest.fixture
def site(db):
    return SiteFactory(name="Préfecture de Nanterre", slug="nanterre", phone="01 40 97 20 00")


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Renouvellement", faq_topic="renewal")


@pytest.fixture
def template(topic):
    return ReplyTemplate.objects.create(
        title="Délai de renouvellement",
        topic=topic,
        body_fr="Votre dossier {file_number} est en cours. Référence {reference}. Appelez le {phone}.",
        body_en="Your file {file_number} is in progress. Reference {reference}. Call {phone}.",
    )


def open_question(site, topic, *, n=0, language="fr", now=None, body="Où en est mon renouvellement ?") -> Question:
    """A question whose address is proved: in the team's inbox."""
    now = now or timezone.now()
    question = ask_question(
        site=site,
        topic=topic,
        body=body,
        email=f"resident{n}@example.org",
        file_number="92-2026-001",
        language=language,
        now=now,
    )
    return confirm_question(token=question.verification_token, now=now)


@pytest.fixture
def head(head, site):
    """The head of bureau of the site (its figures, its templates)."""
    assign_sites(head, [site])
    return head


@pytest.fixture
def agent(agent, site):
    """An agent of the site (its inbox, its phone)."""
    assign_sites(agent, [site])
    return agent
