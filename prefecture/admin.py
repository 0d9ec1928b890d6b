"""The frequently asked questions, written in French and translated by staff."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .admin_translations import TranslatedContentAdmin
from .models import FaqEntry


@admin.register(FaqEntry)
class FaqEntryAdmin(TranslatedContentAdmin, SimpleHistoryAdmin):
    list_display = ["question", "topic", "site", "position", "is_published", "missing_translations"]
    list_filter = ["topic", "site", "is_published"]
    list_select_related = ["site"]
    list_editable = ["position", "is_published"]
    search_fields = ["question", "answer"]
    fields = ["question", "answer", "topic", "site", "position", "is_published"]
