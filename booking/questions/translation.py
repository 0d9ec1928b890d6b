"""Topics and reply templates are translated by staff, like the procedures (see counters/translation.py): a
template answers in the resident's language when the site wrote it in that language."""

from modeltranslation.translator import TranslationOptions, register

from .models import ReplyTemplate, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name",)


@register(ReplyTemplate)
class ReplyTemplateTranslation(TranslationOptions):
    fields = ("title", "body")
