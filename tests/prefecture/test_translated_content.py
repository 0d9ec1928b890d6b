"""Content staff enter in French and translate: shown in the reader's language, or in French, marked."""

import pytest
from django.urls import reverse
from django.utils import translation

from booking.statistics import get_statistics
from counters.services import generate_slots, materialise_opening
from prefecture.content import content_language, is_in_french_only
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SiteFactory, SlotFactory, days_through

pytestmark = pytest.mark.django_db


def test_a_translated_procedure_reads_in_the_readers_language():
    counter_type = CounterTypeFactory(
        name="Remise d'un titre de séjour", name_ar="تسلّم بطاقة الإقامة", documents_to_bring_ar="جواز السفر"
    )
    with translation.override("ar"):
        assert counter_type.name == "تسلّم بطاقة الإقامة"
        assert counter_type.documents == ["جواز السفر"]
        assert content_language(counter_type, "name") == "ar" and not is_in_french_only(counter_type, "name")
    with translation.override("fr"):
        assert counter_type.name == "Remise d'un titre de séjour"


def test_an_untranslated_text_falls_back_to_french_and_says_so():
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", name_en="Collecting a residence permit")
    with translation.override("en"):
        assert counter_type.documents == ["Passeport", "Justificatif de domicile"]  # French, the only version
        assert is_in_french_only(counter_type, "documents_to_bring")
        assert not is_in_french_only(counter_type, "name")
    with translation.override("fr"):
        assert not is_in_french_only(counter_type, "documents_to_bring")  # French readers read the source


def test_the_procedure_list_marks_a_french_name_for_screen_readers_and_sighted_readers(client):
    CounterTypeFactory(name="Échange d'un permis de conduire étranger", description="Hors Union européenne.")
    CounterTypeFactory(name="Remise d'un titre de séjour", name_ru="Получение вида на жительство")
    page = client.get(reverse("booking:procedures"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert ">Получение вида на жительство</a>" in page
    assert '<span lang="fr">Échange d&#x27;un permis de conduire étranger</span>' in page
    assert '<span class="content-in-french">(на французском)</span>' in page
    french = client.get(reverse("booking:procedures"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "content-in-french" not in french and 'lang="fr">Échange' not in french


def test_the_eligibility_step_says_in_plain_language_who_the_procedure_is_for_and_what_happens(client):
    counter_type = CounterTypeFactory(
        name="Dépôt",
        audience="Pour une première demande.",
        audience_ar="لطلب أول لبطاقة الإقامة.",
        at_the_counter="Un agent vérifie vos pièces.",
        documents_to_bring_ar="جواز السفر\nصورتان شمسيتان",
        eligibility="renewal",
    )
    # No place: the link that goes on to the questions all the same.
    client.get(reverse("booking:start", args=[counter_type.pk]), {"questions": "1"}, HTTP_ACCEPT_LANGUAGE="ar")
    page = client.get(reverse("booking:eligibility"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert "لطلب أول لبطاقة الإقامة." in page
    assert "<ul><li>جواز السفر</li><li>صورتان شمسيتان</li></ul>" in page  # translated: no French mark
    assert '<p lang="fr">Un agent vérifie vos pièces.</p>' in page  # not translated yet: French, marked


def test_an_announcement_not_yet_translated_is_shown_in_french_marked(client):
    site = SiteFactory()
    counter_type = CounterTypeFactory(site=site)
    opening = ExceptionalOpeningFactory(
        site=site,
        counter_types=[counter_type],
        announcement_title="Ouverture exceptionnelle samedi matin",
        announcement_title_es="Apertura excepcional el sábado por la mañana",
        announcement_text="Sur rendez-vous uniquement.",
    )
    generate_slots(days=days_through(opening.date))
    materialise_opening(opening=opening)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Apertura excepcional el sábado por la mañana" in page
    assert '<p class="fr-callout__text" lang="fr">Sur rendez-vous uniquement.</p>' in page
    assert "(en francés)" in page


def test_statistics_name_each_procedure_in_the_readers_language_or_in_french():
    slot = SlotFactory(counter_type=CounterTypeFactory(name="Dépôt", name_tr="Başvuru"))
    day = slot.starts_at.date()
    with translation.override("tr"):
        assert [row.counter_type for row in get_statistics(site=slot.counter_type.site, start=day, end=day).rows] == [
            "Başvuru"
        ]
    with translation.override("zh-hans"):
        assert [row.counter_type for row in get_statistics(site=slot.counter_type.site, start=day, end=day).rows] == [
            "Dépôt"
        ]
