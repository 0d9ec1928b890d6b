"""The FAQ is translated by staff, like the procedures (see counters/translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import FaqEntry


@register(FaqEntry)
class FaqEntryTranslation(TranslationOptions):
    fields = ("question", "answer")


simple_history.register(FaqEntry)
