"""The frequently asked questions, written in French and translated by staff.

A question may be for every site (no site) or for one. A head of bureau writes those of their own
sites only, like the rest of their sites' configuration (counters.staff_sites); the questions for
every site, read by the residents of every prefecture, are the national administrator's.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from counters.staff_sites.admin import SiteConfinedAdminMixin
from counters.staff_sites.selectors import sees_all_sites

from .admin_translations import TranslatedContentAdmin
from .models import FaqEntry


@admin.register(FaqEntry)
class FaqEntryAdmin(SiteConfinedAdminMixin, TranslatedContentAdmin, SimpleHistoryAdmin):
    # Through its site: a question for every site has none, so only a national administrator sees it here.
    site_via = "site"
    list_display = ["question", "topic", "site", "position", "is_published", "missing_translations"]
    list_filter = ["topic", "site", "is_published"]
    list_select_related = ["site"]
    list_editable = ["position", "is_published"]
    search_fields = ["question", "answer"]
    fields = ["question", "answer", "topic", "site", "position", "is_published"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "site" in form.base_fields and not sees_all_sites(request.user):
            # Left empty, the question would be for every site: not a head of bureau's to write.
            form.base_fields["site"].required = True
        return form
