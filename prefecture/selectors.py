"""Reads for the public information pages."""

from __future__ import annotations

from django.db.models import F, QuerySet

from counters.models import Site

from .models import FaqEntry, FaqTopic


def list_faq_entries(*, site: Site | None = None, topic: FaqTopic | str | None = None) -> QuerySet[FaqEntry]:
    """Published questions in display order: those for every site first, then those for `site` when
    given (every site's when not); only those of `topic` when given."""
    entries = FaqEntry.objects.filter(is_published=True).select_related("site")
    if site is not None:
        entries = entries.for_site(site)
    if topic:
        entries = entries.filter(topic=topic)
    return entries.order_by(F("site__name").asc(nulls_first=True), "site_id", "position", "pk")
