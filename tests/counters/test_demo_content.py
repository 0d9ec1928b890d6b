"""The demo prefectures speak every shipped language, in plain language."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from counters.models import CounterType, ExceptionalOpening, Site

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_every_demo_procedure_says_who_it_is_for_what_to_bring_and_what_happens_in_every_language():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    fields = ("name", "description", "audience", "documents_to_bring", "at_the_counter")
    for counter_type in CounterType.objects.all():
        for field in fields:
            for language in LANGUAGES:
                assert getattr(counter_type, build_localized_fieldname(field, language)), (
                    counter_type,
                    field,
                    language,
                )
    for site in Site.objects.all():
        assert all(getattr(site, build_localized_fieldname("opening_information", code)) for code in LANGUAGES)
    for opening in ExceptionalOpening.objects.all():
        assert all(getattr(opening, build_localized_fieldname("announcement_title", code)) for code in LANGUAGES)

    cards = CounterType.objects.get(site__slug="herault", code="remise-titre")
    with translation.override("ar"):
        assert cards.name == "تسلّم بطاقة الإقامة" and cards.documents[0] == "استدعاؤك (مطبوعًا أو على هاتفك)"
    with translation.override("zh-hans"):
        assert cards.name == "领取居留卡"
    # Short sentences: plain language, not paragraphs.
    for counter_type in CounterType.objects.all():
        for language in LANGUAGES:
            audience = getattr(counter_type, build_localized_fieldname("audience", language))
            assert len(audience) < 250, (counter_type.code, language)
