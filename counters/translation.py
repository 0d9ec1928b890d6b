"""Which content staff translate (django-modeltranslation), and the audit trail of those models.

Each field named here gets one column per language of settings.LANGUAGES (`name_fr`, `name_ar`,
`name_zh_hans`…); reading `counter_type.name` gives the active language's text, or the French one
when that language has none yet (templates mark it: prefecture/templatetags/content.py).

Their history (django-simple-history) is registered here rather than on the models: the historical
model copies the fields that exist when it is built, and the translated ones exist only from now on.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import CounterType, ExceptionalOpening, Site


@register(Site)
class SiteTranslation(TranslationOptions):
    # The name and address are proper names, the same in every language.
    fields = ("opening_information",)


@register(CounterType)
class CounterTypeTranslation(TranslationOptions):
    fields = ("name", "description", "audience", "documents_to_bring", "at_the_counter")


@register(ExceptionalOpening)
class ExceptionalOpeningTranslation(TranslationOptions):
    fields = ("announcement_title", "announcement_text")


simple_history.register(Site)
simple_history.register(CounterType)
simple_history.register(ExceptionalOpening, m2m_fields=["counter_types"])
