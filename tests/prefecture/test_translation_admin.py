"""Staff enter the translations in the admin: French in place, each other language folded apart."""

import re

import pytest
from django.urls import reverse

from counters.models import CounterType
from prefecture.models import FaqEntry
from tests.conftest import log_in
from tests.factories import CounterTypeFactory

pytestmark = pytest.mark.django_db


def _procedure_form(counter_type, **changes):
    """The admin form of a procedure as a head of bureau sends it, with `changes`."""
    form = {
        "site": counter_type.site_id,
        "code": counter_type.code,
        "name_fr": counter_type.name_fr,
        "documents_to_bring_fr": counter_type.documents_to_bring_fr,
        "slot_duration_minutes": 15,
        "online_booking": "on",
        "min_days_ahead": 0,
        "max_days_ahead": 60,
        "reminder_hours_before": 48,
        "change_cutoff_hours": 2,
        "max_moves": 2,
        "eligibility": "none",
        "handover": "nothing",
        "position": 0,
        "is_active": "on",
    }
    form.update(changes)
    return form


def test_the_procedure_form_folds_each_languages_fields_under_its_own_name(client, head):
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour")
    log_in(client, head)
    page = client.get(reverse("admin:counters_countertype_change", args=[counter_type.pk])).content.decode()

    for field in ("name_fr", "audience_fr", "documents_to_bring_fr", "at_the_counter_fr", "name_ar", "name_zh_hans"):
        assert f'name="{field}"' in page
    assert 'name="name"' not in page  # the untranslated column is not edited any more
    folded = re.findall(r"<details>\s*<summary>\s*<h2[^>]*>([^<]+)</h2>", page)
    assert "Traduction : العربيّة (Arabe)" in folded and "Traduction : 简体中文 (Chinois simplifié)" in folded
    # Each language's section holds that language's fields only.
    arabic = page[page.index("Traduction : العربيّة") : page.index("Traduction : Español")]
    assert 'name="name_ar"' in arabic and 'name="name_en"' not in arabic


def test_a_head_of_bureau_saves_an_arabic_translation_and_the_audit_trail_keeps_it(client, head):
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour")
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_countertype_change", args=[counter_type.pk]),
        _procedure_form(counter_type, name_ar="تسلّم بطاقة الإقامة", documents_to_bring_ar="جواز السفر"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    counter_type = CounterType.objects.get(pk=counter_type.pk)
    assert (counter_type.name_fr, counter_type.name_ar) == ("Remise d'un titre de séjour", "تسلّم بطاقة الإقامة")
    latest = counter_type.history.latest()
    assert latest.name_ar == "تسلّم بطاقة الإقامة" and latest.history_user == head


def test_the_french_name_stays_required_and_the_translations_do_not(client, head):
    counter_type = CounterTypeFactory()
    log_in(client, head)
    response = client.post(
        reverse("admin:counters_countertype_change", args=[counter_type.pk]), _procedure_form(counter_type, name_fr="")
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()


def test_the_lists_say_which_languages_still_lack_a_translation(client, head):
    translated = {f"name_{code}": "x" for code in ("en", "ar", "es", "pt")}
    site = CounterTypeFactory(name="Dépôt", documents_to_bring="", **translated).site
    FaqEntry.objects.create(
        question="Question ?", answer="Réponse.", question_en="Question?", answer_en="Answer.", site=site
    )
    log_in(client, head)

    procedures = client.get(reverse("admin:counters_countertype_changelist")).content.decode()
    assert re.search(r'<td class="field-missing_translations">ru tr zh-hans</td>', procedures)
    questions = client.get(reverse("admin:prefecture_faqentry_changelist")).content.decode()
    assert re.search(r'<td class="field-missing_translations">ar es pt ru tr zh-hans</td>', questions)


def test_heads_of_bureau_edit_the_faq_and_agents_only_read_it(client, head, agent):
    site = CounterTypeFactory().site
    entry = FaqEntry.objects.create(question="Question ?", answer="Réponse.", site=site)
    url = reverse("admin:prefecture_faqentry_change", args=[entry.pk])
    form = {"question_fr": "Modifiée ?", "answer_fr": "Oui.", "topic": "other", "site": site.pk, "position": 0}
    log_in(client, agent)
    assert client.post(url, form).status_code == 403
    log_in(client, head)
    response = client.post(url, {**form, "is_published": "on"})
    assert response.status_code == 302
    assert FaqEntry.objects.get(pk=entry.pk).question_fr == "Modifiée ?"
