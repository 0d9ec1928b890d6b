"""{% load content %}: translated content, the French text marked where a translation is missing.

{{ counter_type|translated:"name" }}   the name, or <span lang="fr">…</span> (in French)
{% if counter_type|in_french_only:"documents_to_bring" %} lang="fr" {% endif %}
{% in_french_badge %}                  the "(in French)" mark alone, after a block
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from prefecture import content

register = template.Library()


@register.simple_tag
def in_french_badge():
    return format_html('<span class="content-in-french">{}</span>', gettext("(en français)"))


@register.filter
def in_french_only(obj, field: str) -> bool:
    return content.is_in_french_only(obj, field)


@register.filter
def translated(obj, field: str):
    """The field's text, escaped; marked as French when the active language has no translation of it."""
    text = getattr(obj, field, "") or ""
    if not text or not content.is_in_french_only(obj, field):
        return text
    return format_html('<span lang="fr">{}</span> {}', text, in_french_badge())
