"""{% load bidi %}: text that must keep its left-to-right order inside a right-to-left page.

`{{ site.phone|ltr }}` gives `<bdi dir="ltr">+33 4 67 61 61 61</bdi>` (escaped): in an Arabic line, the
"+" of a phone number would otherwise be drawn after its digits. It also works as a blocktranslate
argument (`{% blocktranslate with phone=phone|ltr %}`), the catalogue keeping its plain placeholder.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def ltr(value):
    return format_html('<bdi dir="ltr">{}</bdi>', value) if value not in (None, "") else ""
