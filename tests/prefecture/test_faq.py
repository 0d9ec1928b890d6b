"""The frequently asked questions: entries staff write and translate, on their own page."""

import pytest
from django.urls import reverse

from prefecture.models import FaqEntry, FaqTopic
from prefecture.selectors import list_faq_entries
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries():
    FaqEntry.objects.all().delete()  # the general questions the migration created
    nanterre = SiteFactory(name="Préfecture des Hauts-de-Seine")
    return {
        "general": FaqEntry.objects.create(
            question="Quand demander le renouvellement ?",
            question_tr="Yenilemeyi ne zaman istemeliyim?",
            answer="Dans les deux mois avant l'expiration.\nAu plus tard le jour où il expire.",
            answer_tr="Süre dolmadan önceki iki ay içinde.\nEn geç sürenin dolduğu gün.",
            topic=FaqTopic.RENEWAL,
            position=1,
        ),
        "site": FaqEntry.objects.create(
            question="Le bureau est-il ouvert le jeudi ?",
            answer="Non, sauf la remise des titres.",
            site=nanterre,
            topic=FaqTopic.OTHER,
        ),
        "draft": FaqEntry.objects.create(question="Brouillon", answer="Pas encore.", is_published=False),
        "nanterre": nanterre,
    }


def test_the_faq_page_answers_in_the_readers_language_one_paragraph_per_line(client, entries):
    page = client.get(reverse("faq"), HTTP_ACCEPT_LANGUAGE="tr").content.decode()

    assert "Yenilemeyi ne zaman istemeliyim?" in page
    assert '<p class="fr-mb-1w">Süre dolmadan önceki iki ay içinde.</p><p class="fr-mb-1w">En geç' in page
    # Not translated: the French question and answer, marked as French.
    assert '<span lang="fr">Le bureau est-il ouvert le jeudi ?</span>' in page
    assert '<div class="fr-mb-3w" lang="fr">' in page
    assert "Brouillon" not in page
    # The questions for every site come before those of one site.
    assert page.index("Yenilemeyi") < page.index("Préfecture des Hauts-de-Seine") < page.index("jeudi")


def test_the_faq_is_linked_from_every_page_and_no_longer_written_in_the_template(client, entries):
    page = client.get(reverse("practical-information")).content.decode()
    assert f'href="{reverse("faq")}"' in page
    assert "Quand demander le renouvellement de mon titre ?" not in page  # the old static answer


def test_other_pages_can_pick_the_questions_of_a_site_and_a_topic(entries):
    nanterre = entries["nanterre"]
    assert list(list_faq_entries(site=nanterre)) == [entries["general"], entries["site"]]
    assert list(list_faq_entries(site=SiteFactory())) == [entries["general"]]
    assert list(list_faq_entries(topic=FaqTopic.RENEWAL)) == [entries["general"]]


def test_the_general_questions_exist_in_every_language_from_the_start():
    """Created by the migration that moved them out of the template (the test database ran it)."""
    general = list(FaqEntry.objects.filter(site__isnull=True))
    assert len(general) >= 4
    for entry in general:
        for language in ("fr", "en", "ar", "es", "pt", "ru", "tr", "zh_hans"):
            assert getattr(entry, f"question_{language}") and getattr(entry, f"answer_{language}"), (entry, language)
