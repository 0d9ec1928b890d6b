"""The waiting lists' admin reads each procedure through a proxy (models.WaitingList): registered with the same
translated fields as the procedure (counters/translation.py), so that it shows their names in every language."""

from modeltranslation.translator import register

from counters.translation import CounterTypeTranslation

from .models import WaitingList


@register(WaitingList)
class WaitingListTranslation(CounterTypeTranslation):
    pass
